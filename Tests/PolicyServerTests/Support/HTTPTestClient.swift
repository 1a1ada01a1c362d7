import AsyncHTTPClient
import Foundation
import NIOCore

/// What a test sends policyd and reads back, whether over a socket (`HTTPTestClient`) or to its
/// router in process (`InProcessPolicyd`).
protocol TestHTTPClient: Sendable {
    /// A body of any bytes, UTF-8 or not.
    func send(_ method: String, _ path: String, bodyBytes: [UInt8]?, headers: [String: String]) async throws
        -> HTTPTestClient.Answer
}

extension TestHTTPClient {
    func get(_ path: String) async throws -> HTTPTestClient.Answer {
        try await send("GET", path)
    }

    func post(_ path: String, body: String? = nil, bearer: String? = nil) async throws -> HTTPTestClient.Answer {
        try await send("POST", path, body: body, headers: bearer.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    func send(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) async throws
        -> HTTPTestClient.Answer
    {
        try await send(method, path, bodyBytes: body.map { Array($0.utf8) }, headers: headers)
    }

    func send(_ method: String, _ path: String, bodyBytes: [UInt8]?) async throws -> HTTPTestClient.Answer {
        try await send(method, path, bodyBytes: bodyBytes, headers: [:])
    }
}

/// Calls a server on loopback and reads JSON answers.
struct HTTPTestClient: TestHTTPClient {
    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data

        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
        var jsonArray: [Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [Any]) ?? [] }
        var isAuthorised: Bool? { json["is_authorised"] as? Bool }
        var reason: String? { json["reason"] as? String }
        var detail: String? { json["detail"] as? String }
    }

    let port: Int
    let baseURL: String

    init(port: Int) {
        self.port = port
        baseURL = "http://127.0.0.1:\(port)"
    }

    func send(_ method: String, _ path: String, bodyBytes: [UInt8]?, headers: [String: String]) async throws
        -> Answer
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let bodyBytes {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bodyBytes))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 22)
        var collected: [String: String] = [:]
        for header in response.headers { collected[header.name.lowercased()] = header.value }
        return Answer(status: Int(response.status.code), headers: collected, body: Data(bytes.readableBytesView))
    }
}

/// Query-string encoding of a value the way Python's `requests` does it (space as `+`).
func encoded(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed)!
}
