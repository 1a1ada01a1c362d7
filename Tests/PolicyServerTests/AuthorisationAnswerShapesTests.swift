import Foundation
import PolicyCore
import PolicyDigest
@testable import PolicyServer
import Testing

/// What every authorisation request answers, whatever its shape, written down once from the framework's
/// answers before the authorisation pipeline took these requests over (fixtures/http/authorisation-answers.txt),
/// and every decision's `X-Policy-Revision` since: the pipeline must keep every one of them, byte for
/// byte but the date, and the revision, which must be the one of the policies served (the test
/// policies name the test issuer, whose port differs from run to run).
@Suite struct AuthorisationAnswerShapesTests {
    struct Shape: Sendable {
        let name: String
        let method: String
        let target: String
        var body: String? = nil
        var headers: [String] = []
        var token: Bool = true
    }

    static let namespace = #"{"namespace": "testing"}"#
    static let list = "/v1/authorise/route/data-management-api?route=%2Fdata%2Flist%2F%7Bnamespace%7D&method=GET"

    static let shapes: [Shape] = [
        Shape(name: "plain", method: "POST", target: list, body: namespace),
        Shape(name: "trailing slash", method: "POST", target: "/v1/authorise/route/data-management-api/?route=%2Fdata%2Flist%2F%7Bnamespace%7D", body: namespace),
        Shape(name: "double slash", method: "POST", target: "/v1//authorise/route/data-management-api?route=%2Fdata%2Flist%2F%7Bnamespace%7D", body: namespace),
        Shape(name: "leading double slash", method: "POST", target: "//v1/authorise/route/data-management-api?route=%2Fdata%2Flist%2F%7Bnamespace%7D", body: namespace),
        Shape(name: "escaped service", method: "POST", target: "/v1/authorise/route/data%2Dmanagement-api?route=%2Fdata%2Flist%2F%7Bnamespace%7D", body: namespace),
        Shape(name: "bad escape in service", method: "POST", target: "/v1/authorise/route/data%ZZ?route=%2F", body: namespace),
        Shape(name: "escaped slash in service", method: "POST", target: "/v1/authorise/route/a%2Fb?route=%2F", body: namespace),
        Shape(name: "fragment", method: "POST", target: "/v1/authorise/route/data-management-api#x?route=%2F", body: namespace),
        Shape(name: "query then fragment", method: "POST", target: list + "#frag", body: namespace),
        Shape(name: "absolute form", method: "POST", target: "http://h" + list, body: namespace),
        Shape(name: "dot service", method: "POST", target: "/v1/authorise/route/.?route=%2F", body: namespace),
        Shape(name: "dot-dot service", method: "POST", target: "/v1/authorise/route/..?route=%2F", body: namespace),
        Shape(name: "extra segment", method: "POST", target: "/v1/authorise/route/a/b?route=%2F", body: namespace),
        Shape(name: "no service", method: "POST", target: "/v1/authorise/route/", body: namespace),
        Shape(name: "unknown type", method: "POST", target: "/v1/authorise/gateway/a", body: namespace),
        Shape(name: "type in capitals", method: "POST", target: "/v1/authorise/Route/data-management-api", body: namespace),
        Shape(name: "GET", method: "GET", target: list),
        Shape(name: "HEAD", method: "HEAD", target: list),
        Shape(name: "PUT", method: "PUT", target: list, body: namespace),
        Shape(name: "PROPFIND", method: "PROPFIND", target: list),
        Shape(name: "GET with trailing slash", method: "GET", target: "/v1/authorise/route/x/"),
        Shape(name: "no such policy", method: "POST", target: "/v1/authorise/route/no-such-service?route=%2F", body: namespace),
        Shape(name: "no body", method: "POST", target: list),
        Shape(name: "body not JSON", method: "POST", target: list, body: "{"),
        Shape(name: "body too large", method: "POST", target: list, body: "{\"namespace\": \"" + String(repeating: "a", count: 70_000) + "\"}"),
        Shape(name: "Content-Length over the limit", method: "POST", target: list, body: String(repeating: " ", count: (1 << 20) + 1)),
        Shape(name: "chunked", method: "POST", target: list, body: nil, headers: ["Transfer-Encoding: chunked"]),
        Shape(name: "no token", method: "POST", target: list, body: namespace, token: false),
        Shape(name: "unknown version", method: "POST", target: list + "&version=7", body: namespace),
        Shape(name: "rooted prefix", method: "POST", target: "/permissions/api" + list, body: namespace),
    ]

    /// The request's bytes: `Authorization` with a token of the viewer of `testing` unless `token` is false.
    static func request(_ shape: Shape, token: String) -> String {
        var head = "\(shape.method) \(shape.target) HTTP/1.1\r\nHost: x\r\nX-Request-ID: \(shape.name.replacingOccurrences(of: " ", with: "-"))\r\n"
        if shape.token { head += "Authorization: Bearer \(token)\r\n" }
        for header in shape.headers { head += header + "\r\n" }
        if shape.headers.contains("Transfer-Encoding: chunked") {
            let body = namespace
            return head + "\r\n" + String(body.utf8.count, radix: 16) + "\r\n" + body + "\r\n0\r\n\r\n"
        }
        guard let body = shape.body else { return head + "\r\n" }
        return head + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    /// Status line, headers sorted (the date's value left out, and the revision when it is `revision`) and body.
    static func comparable(_ text: String, revision: String) -> String {
        guard let end = text.range(of: "\r\n\r\n") else { return "(no answer) " + text }
        var lines = text[..<end.lowerBound].split(separator: "\r\n").map(String.init)
        let status = lines.removeFirst()
        let headers = lines.map { line -> String in
            let lower = line.lowercased()
            if line == "X-Policy-Revision: " + revision { return "X-Policy-Revision: (the revision served)" }
            return lower.hasPrefix("date:") ? "date: (now)" : lower.hasPrefix("content-length") ? lower : line
        }.sorted()
        return ([status] + headers).joined(separator: "\n") + "\n" + String(text[end.upperBound...])
    }

    static func answers(of harness: PolicydHarness) async throws -> String {
        let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
        let revision = PolicyRevision(of: try PolicyLoader().load(directory: harness.policyDirectory)).text
        var transcript = ""
        for shape in shapes {
            for round in 1...2 {
                let connection = try RawConnection(port: harness.port)
                defer { connection.close() }
                #expect(await connection.sendAll(request(shape, token: token), seconds: 10))
                let text = try await connection.read(untilReceiving: shape.method == "HEAD" ? "\r\n\r\n" : "}", seconds: 5) ?? "(nothing)"
                transcript += "== \(shape.name) (\(round))\n" + comparable(text, revision: revision) + "\n"
            }
        }
        return transcript
    }

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/http/authorisation-answers.txt")

    @Test func everyShapeAnswersAsWrittenDown() async throws {
        try await PolicydHarness.run(configure: { configuration, _ in configuration.rootPath = try! RootPath("/permissions/api") }) { harness in
            let transcript = try await Self.answers(of: harness)
            // To write the transcript down again, remove the file: this run writes it and fails.
            guard FileManager.default.fileExists(atPath: Self.fixture.path) else {
                try FileManager.default.createDirectory(at: Self.fixture.deletingLastPathComponent(), withIntermediateDirectories: true)
                try transcript.write(to: Self.fixture, atomically: true, encoding: .utf8)
                Issue.record("\(Self.fixture.path) written: read it, and check it in")
                return
            }
            let expected = try String(contentsOf: Self.fixture, encoding: .utf8)
            #expect(transcript == expected)
        }
    }
}
