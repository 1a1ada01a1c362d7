import Foundation
import PolicyServer
import Testing

/// Where tokens and keys come from: header or query, the cache, group claims, JWKS URL or file. In
/// process, with the test issuer on loopback where the test looks at what it was asked; over sockets,
/// the JWKS URL that skips discovery (the key fetch is the subject).
@Suite struct TokenSourcesTests {
    static let body = #"{"namespace": "testing"}"#

    @Test func theTokenMayComeFromTheQueryOrTheHeader() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            #expect(try await harness.client.post(Paths.dataList + "&token=" + encoded(token), body: Self.body).isAuthorised == true)
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: token).isAuthorised == true)
        }
    }

    @Test func aRepeatedTokenIsServedFromTheCache() async throws {
        let issuer = TestIssuer()
        try await InProcessPolicyd.run(issuer: issuer) { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            for _ in 0..<5 {
                #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: token).isAuthorised == true)
            }
            let cache = try #require(try await harness.client.get("/v1/health").json["token_cache"] as? [String: Any])
            #expect(cache["hits"] as? Int == 4)
            #expect(cache["misses"] as? Int == 1)
            #expect(cache["entries"] as? Int == 1)
            #expect(issuer.jwksFetches == 1)
        }
    }

    @Test func theCacheIsKeptPerRequirements() async throws {
        try await InProcessPolicyd.run { harness in
            // Valid for the data-management-api policy, but not for site-capabilities-api (other audience).
            let token = try await harness.token(groups: ["services/site-capabilities-api/roles/SKAO/viewer"])
            _ = try await harness.client.post(Paths.dataList, body: Self.body, bearer: token)
            let sites = try await harness.client.post(
                "/v1/authorise/route/site-capabilities-api?route=" + encoded("/sites/{site}"),
                body: #"{"site": "SKAO"}"#, bearer: token)
            #expect(sites.reason == "wrong audience")
        }
    }

    @Test func wlcgGroupsAndAConfiguredGroupsClaimAreRead() async throws {
        try await InProcessPolicyd.run { harness in
            let wlcg = try await TestKeys.sign(.init(
                iss: harness.issuerURL, aud: "data-management-api", scope: "data-management-api-service",
                wlcgGroups: ["/data/namespaces/testing/viewer"]))
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: wlcg).isAuthorised == true)
        }
        try await InProcessPolicyd.run(configure: { configuration, _ in configuration.groupsClaim = "roles" }) { harness in
            let roles = try await TestKeys.sign(.init(
                iss: harness.issuerURL, aud: "data-management-api", scope: "data-management-api-service",
                roles: ["data/namespaces/testing/viewer"]))
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: roles).isAuthorised == true)
        }
    }

    @Test func keysFromAConfiguredJWKSURLSkipDiscovery() async throws {
        let issuer = TestIssuer(servesDiscovery: false)
        try await PolicydHarness.run(
            issuer: issuer,
            configure: { configuration, url in
                configuration.issuerKeySources = [url: .url(url + "/keys/jwks.json")]
            }
        ) { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: token).isAuthorised == true)
            #expect(issuer.state.withLockedValue { $0.discoveryFetches } == 0)
            let health = try await harness.client.get("/v1/health")
            #expect(health.status == 200)
            let issuers = try #require(health.json["issuers"] as? [[String: Any]])
            #expect(issuers.first?["source"] as? String == "jwks_url")
        }
    }

    @Test func keysFromAJWKSFileNeedNoNetwork() async throws {
        let jwksFile = FileManager.default.temporaryDirectory.appendingPathComponent("policyd-jwks-\(UUID()).json")
        try TestKeys.developmentJWKS.write(to: jwksFile)
        defer { try? FileManager.default.removeItem(at: jwksFile) }
        // The issuer serves nothing (its JWKS fails), so only the file can supply the keys.
        let issuer = TestIssuer(failsJWKS: true, servesDiscovery: false)
        try await InProcessPolicyd.run(
            issuer: issuer,
            configure: { configuration, url in configuration.issuerKeySources = [url: .file(jwksFile.path)] }
        ) { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: token).isAuthorised == true)
            #expect(issuer.jwksFetches == 0)
            #expect(try await harness.client.get("/v1/health").status == 200)
        }
    }

    @Test func developmentTokensAreNotTrustedWithoutDevelopmentMode() async throws {
        // The issuer publishes a different key under kid "dev": a development-key token must fail.
        let otherKey = try #require(
            String(decoding: TestKeys.developmentJWKS, as: UTF8.self).replacingOccurrences(of: "z3-8tWWM", with: "x3-8tWWM")
                .data(using: .utf8))
        try await InProcessPolicyd.run(issuer: TestIssuer(jwks: otherKey)) { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: token).reason == "bad signature")
        }
    }
}
