import Foundation
import Logging
import PolicyServer

/// A test issuer and a policyd that trusts it (via discovery unless the test configures otherwise),
/// both on loopback ports of their own: for what policyd's own network or channel is part of.
struct PolicydHarness: PolicydUnderTest {
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
            var configuration = ServerConfiguration.forTests(policyDirectory: directory)
            configure(&configuration, issuerURL)
            let server = try PolicyServer(configuration: configuration, logger: logger)
            return try await RunningApplication.with({ server.makeApplication(onServerRunning: $0) }) { port in
                try await body(PolicydHarness(
                    issuer: issuer, issuerURL: issuerURL, client: HTTPTestClient(port: port), policyDirectory: directory))
            }
        }
    }
}
