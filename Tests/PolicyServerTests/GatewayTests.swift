import Foundation
import Testing

/// `/v1/gateway/{service}/…`: what nginx `auth_request` and Envoy `ext_authz` ask, answered in the
/// status (200, 401, 403) with the reason, subject and roles in headers. The router's answers in
/// process (`InProcessPolicyd`); what the channel answers, over a socket.
@Suite struct GatewayTests {
    static let gateway = "/v1/gateway/data-management-api"
    static let viewer = ["data/namespaces/testing/viewer"]
    /// Version 1 only: a gateway asks the latest version, and the test set's version 2 is smaller.
    static let policies = ["data-management-api.json": TestPolicies.dataManagementV1]

    func ask(
        _ client: any TestHTTPClient, _ path: String, method: String = "GET", token: String?, headers: [String: String] = [:]
    ) async throws -> HTTPTestClient.Answer {
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        return try await client.send(method, path, headers: all)
    }

    @Test func theOriginalPathInTheURLIsMatchedAgainstTheTemplates() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let allowed = try await ask(harness.client, Self.gateway + "/data/list/testing", token: token)
            #expect(allowed.status == 200)
            #expect(allowed.headers["x-auth-reason"] == "GET /data/list/{namespace}: expression true")
            #expect(allowed.headers["x-auth-subject"] == "tester")
            #expect(allowed.headers["x-auth-roles"] == "namespace-viewer")
            #expect(allowed.isAuthorised == true)

            let denied = try await ask(harness.client, Self.gateway + "/data/list/lofar", token: token)
            #expect(denied.status == 403)
            #expect(denied.headers["x-auth-reason"] == "GET /data/list/{namespace}: expression false")
            #expect(denied.headers["x-auth-subject"] == nil)

            // The method is the original request's: the policy gives /data/list/{namespace} only GET.
            let posted = try await ask(harness.client, Self.gateway + "/data/list/testing", method: "POST", token: token)
            #expect(posted.status == 403)
            #expect(posted.headers["x-auth-reason"] == "method POST not allowed on /data/list/{namespace}")

            // The path is read as the upstream reads it: decoded once before it is matched, so a
            // needed escape is one name, and a spelling that upstreams read in different ways is refused.
            let encoded = try await ask(harness.client, Self.gateway + "/data/download/u-1/testing/a%20b%C3%A9.fits", token: token)
            #expect(encoded.status == 200)
            let slash = try await ask(harness.client, Self.gateway + "/data/download/u-1/testing/a%2Fb.fits", token: token)
            #expect(slash.status == 403)
            #expect(slash.headers["x-auth-reason"]?.hasPrefix("ambiguous path: segment 5 holds an escaped '/' (%2F)") == true)
            let needless = try await ask(harness.client, Self.gateway + "/data/list/%74esting", token: token)
            #expect(needless.status == 403)
            #expect(needless.headers["x-auth-reason"]?.hasPrefix("ambiguous path: segment 3 escapes 't' as %74") == true)
        }
    }

    @Test func nginxSaysWhatItProtectsInHeaders() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let original = ["X-Original-URI": "/data/list/testing?unused=1", "X-Original-Method": "GET"]
            #expect(try await ask(harness.client, Self.gateway, token: token, headers: original).status == 200)
            let other = ["X-Original-URI": "/data/list/lofar", "X-Original-Method": "GET"]
            #expect(try await ask(harness.client, Self.gateway, token: token, headers: other).status == 403)
            let post = ["X-Original-URI": "/data/list/testing", "X-Original-Method": "POST"]
            #expect(try await ask(harness.client, Self.gateway, token: token, headers: post).status == 403)
            // A path in the URL and another in the header: two readings of one request, believed neither.
            let spoofed = try await ask(
                harness.client, Self.gateway + "/data/list/lofar", token: token, headers: ["X-Original-URI": "/data/list/testing"])
            #expect(spoofed.status == 400)
            // Nothing to authorise.
            #expect(try await ask(harness.client, Self.gateway, token: token).status == 400)
        }
    }

    @Test func trustedQueryParametersAreParameters() async throws {
        try await InProcessPolicyd.run(
            policies: Self.policies, configure: { configuration, _ in configuration.gatewayQueryParameters = true }
        ) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let move = ["X-Original-URI": "/data/move?namespace=testing", "X-Original-Method": "POST"]
            #expect(try await ask(harness.client, Self.gateway, token: token, headers: move).status == 200)
            let elsewhere = ["X-Original-URI": "/data/move?namespace=lofar", "X-Original-Method": "POST"]
            #expect(try await ask(harness.client, Self.gateway, token: token, headers: elsewhere).status == 403)
            let conflict = try await ask(harness.client, Self.gateway + "/data/list/testing?namespace=lofar", token: token)
            #expect(conflict.status == 403)
            #expect(conflict.headers["x-auth-reason"] == "parameter 'namespace' conflicts with the path")
            // A reason that quotes the client's parameter name: no control character (C1 included,
            // which HTTP would pass as obs-text) reaches the header, where nginx hands it on.
            let controls = try await ask(harness.client, Self.gateway + "/data/list/testing?a%1B%C2%9B%E2%80%A8=1&a%1B%C2%9B%E2%80%A8=2", token: token)
            #expect(controls.status == 403)
            let reason = try #require(controls.headers["x-auth-reason"])
            #expect(reason.hasPrefix("parameter 'a"))
            #expect(!reason.unicodeScalars.contains { [.control, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) }, "\(reason.unicodeScalars.map(\.value))")
        }
    }

    @Test func noUsableTokenIs401() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let missing = try await ask(harness.client, Self.gateway + "/data/list/testing", token: nil)
            #expect(missing.status == 401)
            #expect(missing.headers["www-authenticate"] == "Bearer")
            #expect(missing.headers["x-auth-reason"] == "missing token")
            let expired = try await harness.token(groups: Self.viewer, lifetime: -600)
            let refused = try await ask(harness.client, Self.gateway + "/data/list/testing", token: expired)
            #expect(refused.status == 401)
            #expect(refused.headers["www-authenticate"] == #"Bearer error="invalid_token""#)
            #expect(refused.headers["x-auth-reason"] == "token expired")
            // A token in the query string is the original request's business, never taken here.
            let fresh = try await harness.token(groups: Self.viewer)
            #expect(try await ask(harness.client, Self.gateway + "/data/list/testing?token=\(fresh)", token: nil).status == 401)
        }
    }

    @Test func anUnknownServiceOrPathIsForbidden() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let unknown = try await ask(harness.client, "/v1/gateway/no-such-api/data/list/testing", token: token)
            #expect(unknown.status == 403)
            #expect(unknown.headers["x-auth-reason"] == "no such policy")
            let noRoute = try await ask(harness.client, Self.gateway + "/nowhere", token: token)
            #expect(noRoute.status == 403)
        }
    }

    /// Hummingbird's router answered 404 to a method it was not told about: a WebDAV upstream's
    /// PROPFIND is decided like any other method, and known paths answer made-up methods 405. Over a
    /// socket: `/v1/authorise`'s 405 is the pipeline's, and the parser's 400 the channel's.
    @Test func everyMethodIsDecidedAndKnownPathsAnswerOthers405() async throws {
        try await PolicydHarness.run(policies: Self.policies) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let propfind = try await ask(harness.client, Self.gateway + "/data/list/testing", method: "PROPFIND", token: token)
            #expect(propfind.status == 403)
            #expect(propfind.headers["x-auth-reason"] == "method PROPFIND not allowed on /data/list/{namespace}")
            let header = try await ask(
                harness.client, Self.gateway, method: "QUERY", token: token,
                headers: ["X-Original-URI": "/data/list/testing", "X-Original-Method": "GET"])
            #expect(header.status == 200, "in the header form the request's own method says nothing")
            for (method, path, allow) in [("QUERY", "/v1/ping", "GET, HEAD"), ("PROPFIND", "/v1/authorise/route/x", "POST")] {
                let answer = try await harness.client.send(method, path)
                #expect(answer.status == 405, "\(method) \(path)")
                #expect(answer.headers["allow"] == allow)
                #expect(answer.detail == "method not allowed; use \(allow)")
            }
            #expect(try await harness.client.send("PROPFIND", "/nowhere").status == 404)
            // A method NIO's HTTP parser does not know is not HTTP to it: 400, before any route.
            #expect(try await harness.client.send("MADEUP", "/v1/ping").status == 400)
        }
    }
}
