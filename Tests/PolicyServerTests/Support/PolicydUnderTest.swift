import Foundation
import PolicyServer

/// What a test asks of the policyd it runs, whether on loopback sockets (`PolicydHarness`) or in
/// process (`InProcessPolicyd`): a test written against this runs at either depth unchanged.
protocol PolicydUnderTest: Sendable {
    associatedtype Client: TestHTTPClient
    var client: Client { get }
    /// The issuer the test policies name.
    var issuerURL: String { get }
    var policyDirectory: String { get }
}

extension PolicydUnderTest {
    /// A token the development key signed, for the data-management-api policy unless told otherwise.
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

extension ServerConfiguration {
    /// What both depths start policyd with before the test's own changes: any free port, no reload on
    /// SIGHUP (the test process's signals are not policyd's), and no audit log (the test runner's
    /// standard output is not one) unless a test turns it on.
    static func forTests(policyDirectory: String) -> ServerConfiguration {
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, policyDirectory: policyDirectory, reloadsOnHangup: false)
        configuration.auditSampleRate = 0
        return configuration
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
