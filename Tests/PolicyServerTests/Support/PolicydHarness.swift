import Foundation
import Logging
import PolicyServer

/// A test issuer and a policyd that trusts it (via discovery unless the test configures otherwise),
/// both on loopback ports of their own.
struct PolicydHarness: Sendable {
    let issuer: TestIssuer
    let issuerURL: String
    let client: HTTPTestClient
    let policyDirectory: String

    var port: Int { Int(client.baseURL.split(separator: ":").last!)! }

    static func run<Value: Sendable>(
        issuer: TestIssuer = TestIssuer(),
        policies: [String: String] = TestPolicies.all,
        configure: @Sendable (inout ServerConfiguration, String) -> Void = { _, _ in },
        logger: Logger = RunningApplication.quietLogger,
        _ body: @Sendable (PolicydHarness) async throws -> Value
    ) async throws -> Value {
        try await issuer.serve { issuerURL in
            let directory = try TestPolicies.directory(issuer: issuerURL, files: policies)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var configuration = ServerConfiguration(
                host: "127.0.0.1", port: 0, policyDirectory: directory, reloadsOnHangup: false)
            // Off unless a test turns it on: the test runner's standard output is not an audit log.
            configuration.auditSampleRate = 0
            configure(&configuration, issuerURL)
            let server = try PolicyServer(configuration: configuration, logger: logger)
            return try await RunningApplication.with({ server.makeApplication(onServerRunning: $0) }) { port in
                try await body(PolicydHarness(
                    issuer: issuer, issuerURL: issuerURL, client: HTTPTestClient(port: port), policyDirectory: directory))
            }
        }
    }

    /// A token the test issuer's key signed, for the data-management-api policy unless told otherwise.
    func token(
        audience: String = "data-management-api", groups: [String] = [],
        scope: String? = "data-management-api-service", lifetime: TimeInterval = 600, kid: String = "dev",
        issuer: String? = nil
    ) async throws -> String {
        try await TestKeys.mint(
            issuer: issuer ?? issuerURL, audience: audience, groups: groups, scope: scope, lifetime: lifetime, kid: kid)
    }

    /// Calls answered for a caller the token cache held.
    func tokenCacheHits() async throws -> Int {
        let text = String(decoding: try await client.get("/metrics").body, as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix("policyd_token_cache_hits_total ") }
        return line.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
    }

    /// Polls until `condition` holds (for what the server does in the background), for at most `seconds`.
    func eventually(seconds: Double = 10, _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        try await PolicyServerTests.eventually(seconds: seconds, condition)
    }
}

enum Paths {
    /// The Data Management API's check for `GET /data/list/{namespace}`, as the service sends it.
    static let dataList = "/v1/authorise/route/data-management-api?route=" + encoded("/data/list/{namespace}")
}

/// Polls until `condition` holds, for at most `seconds`.
func eventually(seconds: Double = 10, _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
