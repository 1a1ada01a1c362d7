import Foundation
import PolicyCore
import PolicyServer
import Testing

/// `policyd --dev`: the development key is trusted for the policies' issuers, and the printed example
/// call is allowed.
@Suite struct DevelopmentModeTests {
    static let deckIssuer = "https://ska-iam.stfc.ac.uk"

    static var shippedPolicies: String? {
        let directory = TestKeys.packageRoot.appendingPathComponent("policies").path
        let loaded = try? PolicyLoader().load(directory: directory)
        return loaded?.policy(type: .route, service: "data-management-api", version: .latest) == nil ? nil : directory
    }

    func runDevelopmentServer(policyDirectory: String) async throws {
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, policyDirectory: policyDirectory, reloadsOnHangup: false)
        let keys = try DevelopmentKeys(directory: TestKeys.fixturesDirectory.path)
        configuration.developmentKeys = keys
        let server = try PolicyServer(configuration: configuration, logger: RunningApplication.quietLogger)
        try await RunningApplication.with({ server.makeApplication(onServerRunning: $0) }) { port in
            let client = HTTPTestClient(port: port)
            let example = try #require(try await DevelopmentExample.make(
                policies: server.policies.policies, keys: keys, baseURL: client.baseURL))
            #expect(example.url.contains("/v1/authorise/route/data-management-api?route=%2Fdata%2Flist%2F%7Bnamespace%7D"))
            #expect(example.body == #"{"namespace":"testing"}"#)
            #expect(example.curlCommand.hasPrefix("curl -s -X POST 'http://127.0.0.1:\(port)/v1/authorise/route/"))
            let path = String(example.url.dropFirst(client.baseURL.count))
            let answer = try await client.post(path, body: example.body, bearer: example.token)
            #expect(answer.isAuthorised == true)
            #expect(answer.reason == "GET /data/list/{namespace}: expression true")

            let health = try await client.get("/v1/health")
            #expect(health.status == 200)
            #expect((health.json["issuers"] as? [[String: Any]])?.first?["source"] as? String == "development")
        }
    }

    @Test func theExampleCallIsAllowedOnTheDecksPolicy() async throws {
        let directory = try TestPolicies.directory(
            issuer: Self.deckIssuer,
            files: ["data-management-api.json": TestPolicies.dataManagementV1, "plugin.json": TestPolicies.plugin])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await runDevelopmentServer(policyDirectory: directory)
    }

    @Test(.enabled(if: shippedPolicies != nil, "policies/ holds no data-management-api route policy yet"))
    func theExampleCallIsAllowedOnTheShippedPolicies() async throws {
        try await runDevelopmentServer(policyDirectory: try #require(Self.shippedPolicies))
    }

    @Test func theDevelopmentKeysAreFoundBesideTheExecutable() throws {
        let search = DevelopmentKeys.SearchLocations(
            workingDirectory: "/nonexistent",
            executablePaths: [TestKeys.packageRoot.appendingPathComponent(".build/debug/policyd").path])
        let keys = try DevelopmentKeys.locate(override: nil, in: search)
        #expect(keys.directory.hasSuffix("fixtures/dev"))
        #expect(keys.keys.keyIDs == ["dev"])
        #expect(keys.signingKeyPEM != nil)
        #expect(throws: ConfigurationError.self) {
            try DevelopmentKeys.locate(
                override: nil, in: .init(workingDirectory: "/nonexistent", executablePaths: ["/nonexistent/bin/policyd"]))
        }
    }

    @Test func theWarningNamesTheTrustedIssuers() {
        let warning = DevelopmentNotice.warning(keysDirectory: "fixtures/dev", issuers: [Self.deckIssuer])
        #expect(warning.contains("DO NOT USE IN PRODUCTION"))
        #expect(warning.contains(Self.deckIssuer))
    }
}
