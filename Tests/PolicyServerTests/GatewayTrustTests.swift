import Foundation
import Testing

/// What an attacker controls at the gateway endpoint, and what the upstream will act on: each case
/// here was a wrongful 200 before the gateway decided on the request line alone. In process: the
/// router is handed the target as written (a literal `{namespace}`, 8,000 query items).
@Suite struct GatewayTrustTests {
    static let gateway = "/v1/gateway/data-management-api"
    static let viewer = ["data/namespaces/testing/viewer"]
    static let policies = ["data-management-api.json": TestPolicies.dataManagementV1]

    func ask(
        _ harness: InProcessPolicyd, _ path: String, method: String = "GET", token: String, headers: [String: String] = [:]
    ) async throws -> HTTPTestClient.Answer {
        var all = headers
        all["Authorization"] = "Bearer \(token)"
        return try await harness.client.send(method, path, headers: all)
    }

    /// A viewer of `testing` asks to move `prod`: the service reads the namespace from its body, which
    /// nginx never passes to the check, while the query says `testing`.
    @Test func aQueryParameterTheUpstreamDoesNotReadGrantsNothing() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let nginx = try await ask(
                harness, Self.gateway, token: token,
                headers: ["X-Original-URI": "/data/move?namespace=testing", "X-Original-Method": "POST"])
            #expect(nginx.status == 403)
            #expect(nginx.headers["x-auth-reason"]
                == "parameter 'namespace' is not in the path: decide this route in the service with /v1/authorise")
            let envoy = try await ask(harness, Self.gateway + "/data/move?namespace=testing", method: "POST", token: token)
            #expect(envoy.status == 403)
            // An admin needs no parameter: the route is still served at the gateway for admins.
            let admin = try await harness.token(groups: ["services/data-management-api/roles/admin"])
            let allowed = try await ask(harness, Self.gateway + "/data/move", method: "POST", token: admin)
            #expect(allowed.status == 200)
            #expect(allowed.headers["x-auth-roles"] == "admin")
        }
    }

    @Test func trustedQueryParametersGivenTwiceWithDifferentValuesDeny() async throws {
        try await InProcessPolicyd.run(
            policies: Self.policies, configure: { configuration, _ in configuration.gatewayQueryParameters = true }
        ) { harness in
            let token = try await harness.token(groups: Self.viewer)
            // FastAPI reads the last value, this check would have read the first.
            let twice = try await ask(
                harness, Self.gateway, token: token,
                headers: ["X-Original-URI": "/data/move?namespace=testing&namespace=prod", "X-Original-Method": "POST"])
            #expect(twice.status == 403)
            #expect(twice.headers["x-auth-reason"] == "parameter 'namespace' is given more than once with different values")
        }
    }

    /// Envoy's form: the request's own method is the original one. A site viewer's DELETE with a
    /// header claiming GET was a 200.
    @Test func inTheURLFormTheRequestsOwnMethodDecides() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let path = Self.gateway + "/data/list/testing"
            for claimed in ["GET", "get", ""] {
                let answer = try await ask(harness, path, method: "DELETE", token: token, headers: ["X-Original-Method": claimed])
                #expect(answer.status == 400, "X-Original-Method '\(claimed)' beside DELETE")
            }
            let plain = try await ask(harness, path, method: "DELETE", token: token)
            #expect(plain.status == 403)
            #expect(plain.headers["x-auth-reason"] == "method DELETE not allowed on /data/list/{namespace}")
            #expect(try await ask(harness, path, method: "GET", token: token, headers: ["X-Original-Method": "GET"]).status == 200)
        }
    }

    @Test func inTheHeaderFormTheMethodMustBeGivenExactly() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let token = try await harness.token(groups: Self.viewer)
            func original(_ method: String?) async throws -> HTTPTestClient.Answer {
                var headers = ["X-Original-URI": "/data/list/testing"]
                if let method { headers["X-Original-Method"] = method }
                return try await ask(harness, Self.gateway, token: token, headers: headers)
            }
            #expect(try await original("").status == 400, "empty is no method, never GET")
            #expect(try await original(nil).status == 400, "the subrequest's own GET says nothing")
            #expect(try await original("GE T").status == 400, "not a token")
            // HTTP methods are case-sensitive; the upstream serves `get` as `get`, not as GET.
            let lower = try await original("get")
            #expect(lower.status == 403)
            #expect(lower.headers["x-auth-reason"] == "method get not allowed on /data/list/{namespace}")
            #expect(try await original("GET").status == 200)
        }
    }

    /// The upstream acts on the literal `{namespace}`; the path is never read as template text.
    @Test func aPathIsNeverTakenForATemplate() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let answer = try await ask(harness, "\(Self.gateway)/data/list/{namespace}?namespace=testing", token: token)
            #expect(answer.status == 403)
        }
    }

    /// nginx's `proxy_pass` with a trailing '/' sends every original request to the URL's '/'.
    @Test func aURLRestThatDisagreesWithTheHeaderIsRefused() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let admin = try await harness.token(groups: ["services/data-management-api/roles/developer"])
            let answer = try await ask(
                harness, Self.gateway + "/", token: admin,
                headers: ["X-Original-URI": "/data/move", "X-Original-Method": "POST"])
            #expect(answer.status == 400)
            #expect(answer.detail?.contains("X-Original-URI disagrees with the path in the URL") == true)
        }
    }

    @Test func theParameterLimitHoldsForTrustedQueries() async throws {
        try await InProcessPolicyd.run(
            policies: Self.policies,
            configure: { configuration, _ in
                configuration.gatewayQueryParameters = true
                configuration.maximumParameters = 8
            }
        ) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let many = (0..<8000).map { "p\($0)=1" }.joined(separator: "&")
            let answer = try await ask(harness, "\(Self.gateway)/data/list/testing?\(many)", token: token)
            #expect(answer.status == 422)
            #expect(answer.detail?.hasPrefix("too many query parameters") == true)
            #expect(try await ask(harness, Self.gateway + "/data/list/testing?a=1", token: token).status == 200)
        }
    }
}
