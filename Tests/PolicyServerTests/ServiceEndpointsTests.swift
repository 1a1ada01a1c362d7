import Foundation
import PolicyServer
import Testing

/// `/ping`, `/health`, the root path, and errors for paths and methods that do not exist.
@Suite struct ServiceEndpointsTests {
    @Test func pingAnswersUp() async throws {
        try await InProcessPolicyd.run { harness in
            let answer = try await harness.client.get("/v1/ping")
            #expect(answer.status == 200)
            #expect(answer.json["status"] as? String == "UP")
            #expect(answer.json["version"] as? String == PolicydVersion.current)
            #expect(try await harness.client.send("HEAD", "/v1/ping").status == 200)
        }
    }

    @Test func healthIsUpOnceTheIssuerKeysAreFetched() async throws {
        try await PolicydHarness.run { harness in
            #expect(try await harness.eventually { try await harness.client.get("/v1/health").status == 200 })
            let health = try await harness.client.get("/v1/health")
            #expect(health.json["status"] as? String == "UP")
            let issuers = try #require(health.json["issuers"] as? [[String: Any]])
            #expect(issuers.count == 1)
            #expect(issuers[0]["issuer"] as? String == harness.issuerURL)
            #expect(issuers[0]["source"] as? String == "discovery")
            #expect(issuers[0]["fresh"] as? Bool == true)
            #expect(issuers[0]["key_ids"] as? [String] == ["dev"])
            // The issuer's Cache-Control: max-age=300 sets the refresh interval.
            #expect(issuers[0]["refresh_interval_seconds"] as? Int == 300)
        }
    }

    @Test func healthFailsWhenAnIssuersKeysCannotBeFetched() async throws {
        try await PolicydHarness.run(issuer: TestIssuer(failsJWKS: true)) { harness in
            #expect(try await harness.eventually {
                let issuers = try await harness.client.get("/v1/health").json["issuers"] as? [[String: Any]]
                return (issuers?.first?["last_error"] as? String)?.contains("HTTP 500") == true
            })
            let health = try await harness.client.get("/v1/health")
            #expect(health.status == 503)
            #expect(health.json["status"] as? String == "DOWN")
            let issuer = try #require((health.json["issuers"] as? [[String: Any]])?.first)
            #expect(issuer["fresh"] as? Bool == false)
            #expect((issuer["last_error"] as? String)?.contains("HTTP 500") == true)
            // Decisions still answer 200: a denial with the reason.
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let answer = try await harness.client.post(Paths.dataList, body: #"{"namespace": "testing"}"#, bearer: token)
            #expect(answer.status == 200)
            #expect(answer.reason == "issuer keys unavailable")
        }
    }

    @Test func healthFailsWithoutPolicies() async throws {
        try await InProcessPolicyd.run(
            policies: [:], configure: { configuration, _ in configuration.allowsEmptyPolicies = true }
        ) { harness in
            let health = try await harness.client.get("/v1/health")
            #expect(health.status == 503)
            #expect((health.json["policies"] as? [String: Any])?["loaded"] as? Bool == false)
        }
    }

    @Test func everyRouteIsAlsoServedUnderTheRootPath() async throws {
        try await InProcessPolicyd.run(configure: { configuration, _ in
            configuration.rootPath = try! RootPath("/permissions/api/")
        }) { harness in
            #expect(try await harness.client.get("/permissions/api/v1/ping").status == 200)
            #expect(try await harness.client.get("/v1/ping").status == 200)
            #expect(try await harness.client.get("/permissions/api/v1/policies/route/data-management-api/1").status == 200)
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let answer = try await harness.client.post(
                "/permissions/api" + Paths.dataList, body: #"{"namespace": "testing"}"#, bearer: token)
            #expect(answer.isAuthorised == true)
            #expect(try await harness.client.get("/permissions/v1/ping").status == 404)
        }
    }

    @Test func unknownPathsAndMethodsAnswerJSON() async throws {
        try await InProcessPolicyd.run { harness in
            let unknown = try await harness.client.get("/v2/ping")
            #expect(unknown.status == 404)
            #expect(unknown.detail == "not found")
            let wrongMethod = try await harness.client.get("/v1/authorise/route/data-management-api")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.headers["allow"] == "POST")
            #expect(wrongMethod.detail != nil)
            #expect(try await harness.client.send("DELETE", "/v1/policies").status == 405)
            let trace = try await harness.client.send("TRACE", "/v1/ping")
            #expect(trace.status == 405)
            #expect(trace.headers["allow"] == "GET, HEAD")
            #expect(try await harness.client.post("/v1/authorise/nothing/data-management-api").status == 404)
        }
    }
}
