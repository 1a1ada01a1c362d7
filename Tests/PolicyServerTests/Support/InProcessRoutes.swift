import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PolicyServer

/// policyd's whole application, its router asked in process (HummingbirdTesting's `.router`): every
/// route but `/v1/authorise`, which the `AuthorisationPipeline` answers in front of the router (its
/// in-process tests use `InProcessAuthorisation`). The issuer's keys come from a file, so nothing
/// crosses a socket; the application's services (policy reloads, key refreshes) run as in policyd.
/// For what the network is part of (discovery, key fetches, issuers that fail, connections), tests
/// keep `PolicydHarness` and its loopback sockets.
struct InProcessRoutes: Sendable {
    static let issuerURL = "https://issuer.test"

    let client: any TestHTTPClient
    let policyDirectory: String
    var issuerURL: String { Self.issuerURL }

    static func run<Value: Sendable>(
        policies: [String: String] = TestPolicies.all,
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (InProcessRoutes) async throws -> Value
    ) async throws -> Value {
        let directory = try TestPolicies.directory(issuer: issuerURL, files: policies)
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json")
        try TestKeys.developmentJWKS.write(to: keys)
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(at: keys)
        }
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, policyDirectory: directory, issuerKeySources: [issuerURL: .file(keys.path)],
            reloadsOnHangup: false)
        // Off unless a test turns it on: the test runner's standard output is not an audit log.
        configuration.auditSampleRate = 0
        configure(&configuration)
        let server = try PolicyServer(configuration: configuration, logger: RunningApplication.quietLogger)
        return try await server.makeApplication().test(.router) { client in
            try await body(InProcessRoutes(client: RouterClient(client: client), policyDirectory: directory))
        }
    }

    /// A token the development key signed, for the data-management-api policy unless told otherwise.
    func token(
        audience: String = "data-management-api", groups: [String] = [],
        scope: String? = "data-management-api-service", lifetime: TimeInterval = 600
    ) async throws -> String {
        try await TestKeys.mint(issuer: issuerURL, audience: audience, groups: groups, scope: scope, lifetime: lifetime)
    }

    /// Polls until `condition` holds (for what the server does in the background), for at most `seconds`.
    func eventually(seconds: Double = 10, _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        try await PolicyServerTests.eventually(seconds: seconds, condition)
    }

    /// HummingbirdTesting's client, answering as `HTTPTestClient` does.
    private struct RouterClient: TestHTTPClient {
        let client: any TestClientProtocol

        func send(_ method: String, _ path: String, bodyBytes: [UInt8]?, headers: [String: String]) async throws
            -> HTTPTestClient.Answer
        {
            var fields = HTTPFields()
            for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            if bodyBytes != nil { fields[.contentType] = "application/json" }
            let response = try await client.execute(
                uri: path, method: HTTPRequest.Method(method)!, headers: fields, body: bodyBytes.map { ByteBuffer(bytes: $0) })
            var collected: [String: String] = [:]
            for field in response.headers { collected[field.name.canonicalName] = field.value }
            return HTTPTestClient.Answer(
                status: response.status.code, headers: collected, body: Data(response.body.readableBytesView))
        }
    }
}
