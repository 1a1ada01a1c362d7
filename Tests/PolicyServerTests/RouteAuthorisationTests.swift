import Foundation
import Testing

/// `POST /v1/authorise/route/{service}` called the way SRCNet services call it, on the deck's policy.
@Suite struct RouteAuthorisationTests {
    @Test func aNamespaceViewerMayListItsNamespace() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let answer = try await harness.client.post(
                Paths.dataList + "&method=GET&version=1&token=" + encoded(token), body: #"{"namespace": "testing"}"#)
            #expect(answer.status == 200)
            #expect(answer.isAuthorised == true)
            #expect(answer.reason == "GET /data/list/{namespace}: expression true")
            #expect(answer.headers["content-type"] == "application/json")
        }
    }

    @Test func aViewerOfOneNamespaceMayNotListAnother() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let answer = try await harness.client.post(
                Paths.dataList + "&version=1", body: #"{"namespace": "other"}"#, bearer: token)
            #expect(answer.status == 200)
            #expect(answer.isAuthorised == false)
            #expect(answer.reason == "GET /data/list/{namespace}: expression false")
        }
    }

    @Test func adminsListEverythingButOnlyWithGet() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: ["/services/data-management-api/roles/admin"])
            let route = "/v1/authorise/route/data-management-api?version=1&route=" + encoded("/data/list")
            let get = try await harness.client.post(route, bearer: token)
            #expect(get.isAuthorised == true)
            let post = try await harness.client.post(route + "&method=post", bearer: token)
            #expect(post.isAuthorised == false)
            #expect(post.reason == "method POST not allowed on /data/list")
        }
    }

    @Test func aConcretePathIsMatchedAgainstTheTemplates() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/owner"])
            let base = "/v1/authorise/route/data-management-api?version=1&route="
            let allowed = try await harness.client.post(base + encoded("/data/list/testing"), bearer: token)
            #expect(allowed.isAuthorised == true)
            let conflicting = try await harness.client.post(
                base + encoded("/data/list/testing"), body: #"{"namespace": "other"}"#, bearer: token)
            #expect(conflicting.isAuthorised == false)
            #expect(conflicting.reason == "parameter 'namespace' conflicts with the path")
            let unknown = try await harness.client.post(base + encoded("/nothing/here"), bearer: token)
            #expect(unknown.isAuthorised == false)
            #expect(unknown.reason == "no matching route")
        }
    }

    @Test func queryParametersAreParametersButTheBodyWins() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let fromQuery = try await harness.client.post(Paths.dataList + "&version=1&namespace=testing", bearer: token)
            #expect(fromQuery.isAuthorised == true)
            let bodyWins = try await harness.client.post(
                Paths.dataList + "&version=1&namespace=testing", body: #"{"namespace": "other"}"#, bearer: token)
            #expect(bodyWins.isAuthorised == false)
        }
    }

    @Test func siteScopedRolesFollowTheSiteParameter() async throws {
        try await InProcessPolicyd.run { harness in
            let viewer = try await harness.token(
                audience: "site-capabilities-api", groups: ["services/site-capabilities-api/roles/SKAO/viewer"],
                scope: nil)
            let route = "/v1/authorise/route/site-capabilities-api?route=" + encoded("/sites/{site}")
            #expect(try await harness.client.post(route, body: #"{"site": "SKAO"}"#, bearer: viewer).isAuthorised == true)
            #expect(try await harness.client.post(route, body: #"{"site": "UKSRC"}"#, bearer: viewer).isAuthorised == false)
            #expect(
                try await harness.client.post(route + "&method=DELETE", body: #"{"site": "SKAO"}"#, bearer: viewer)
                    .isAuthorised == false)
            let manager = try await harness.token(
                audience: "site-capabilities-api", groups: ["services/site-capabilities-api/roles/SKAO/manager"],
                scope: nil)
            #expect(
                try await harness.client.post(route + "&method=DELETE", body: #"{"site": "SKAO"}"#, bearer: manager)
                    .isAuthorised == true)
        }
    }

    @Test func explainShowsTheReasoning() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let answer = try await harness.client.post(
                Paths.dataList + "&version=1&explain=true", body: #"{"namespace": "testing"}"#, bearer: token)
            let explanation = try #require(answer.json["explanation"] as? [String: Any])
            #expect(explanation["route"] as? String == "/data/list/{namespace}")
            #expect((explanation["parameters"] as? [String: Any])?["namespace"] as? String == "testing")
            let roles = try #require(explanation["roles"] as? [[String: Any]])
            let viewer = try #require(roles.first { $0["role"] as? String == "namespace-viewer" })
            #expect(viewer["matched_group"] as? String == "data/namespaces/testing/viewer")
            let plain = try await harness.client.post(Paths.dataList + "&version=1", body: #"{"namespace": "testing"}"#, bearer: token)
            #expect(plain.json["explanation"] == nil)
        }
    }
}
