import Foundation
@testable import PolicyServer
import Testing

/// Calls of every kind (token in the header or the query, none, another scheme; route, exchange,
/// plugin and gatekeeper bodies; refusals) through the authorisation pipeline, in process: a token's
/// first call, verified, and its second, from the cache, get the same answer (status, headers but the
/// date, body).
@Suite struct AuthorisationCallTests {
    /// One call; `TOKEN` in the path is replaced by the token, percent-encoded.
    struct Call: Sendable {
        enum Presented: Sendable { case header, query, none, basicAuthorization }
        let path: String
        var body: String?
        var audience = "data-management-api"
        var groups: [String] = []
        var scope: String? = "data-management-api-service"
        var presented = Presented.header
        /// The answer's status.
        var status = 200
        /// Whether the second call finds the caller in the cache (a valid token, a call that gets that far).
        var cached = true
    }

    static let namespace = #"{"namespace": "testing"}"#
    static let viewer = ["data/namespaces/testing/viewer"]

    static let calls: [Call] = [
        Call(path: Paths.dataList + "&method=GET", body: namespace, groups: viewer),
        Call(path: Paths.dataList, body: #"{"namespace": "other"}"#, groups: viewer),
        Call(path: Paths.dataList + "&explain=true", body: #"{"namespace": "other"}"#, groups: viewer),
        Call(path: Paths.dataList + "&token=TOKEN", body: namespace, groups: viewer, presented: .query),
        Call(
            path: "/v1/authorise/route/data-management-api?version=1&route=" + encoded("/data/list"),
            groups: ["services/data-management-api/roles/admin"]),
        Call(
            path: "/v1/authorise/exchange/site-capabilities-api?token=TOKEN", audience: "authn-api",
            groups: ["services/authn-api/roles/service"], scope: nil, presented: .query),
        Call(
            path: "/v1/authorise/plugin/storage-plugin", body: #"{"action": "read", "area": "a1"}"#,
            audience: "storage-plugin", groups: ["storage/ops/areas/a1/read"], scope: nil),
        // A site gatekeeper's call: the body nested, the entry chosen by service.method (spec 2.6).
        Call(
            path: "/v1/authorise/plugin/echo?version=latest&token=TOKEN", body: GatekeeperTests.body(),
            audience: "echo", groups: [GatekeeperTests.member], scope: nil, presented: .query),
        Call(
            path: "/v1/authorise/plugin/echo?version=latest&token=TOKEN", body: GatekeeperTests.body(node: ""),
            audience: "echo", groups: [GatekeeperTests.member], scope: nil, presented: .query),
        // No usable token: a denial that needs no verification.
        Call(path: Paths.dataList, body: namespace, presented: .none, cached: false),
        Call(path: "/v1/authorise/plugin/echo?version=latest&token=", body: GatekeeperTests.body(), presented: .none, cached: false),
        Call(path: Paths.dataList, body: namespace, presented: .basicAuthorization, cached: false),
        // Refusals before the token is looked at; a service name escaped.
        Call(path: Paths.dataList, body: #"{"namespace": "#, groups: viewer, status: 422, cached: false),
        Call(path: Paths.dataList, body: "[1]", groups: viewer, status: 422, cached: false),
        Call(path: Paths.dataList + "&version=7", body: namespace, groups: viewer, status: 404, cached: false),
        Call(path: "/v1/authorise/route/no-such-service?route=%2F", groups: viewer, status: 404, cached: false),
        Call(path: "/v1/authorise/route/data%2Dmanagement-api?route=" + encoded("/data/list/{namespace}"),
             body: namespace, groups: viewer),
        Call(path: "/v1/authorise/route/data-management-api", body: namespace, groups: viewer, status: 422, cached: false),
    ]

    /// With the correlation headers of spec 4.1, so that the answers' `X-Request-ID` is compared too.
    func send(_ call: Call, to harness: InProcessPolicyd, token: String, requestID: String) async throws -> HTTPTestClient.Answer {
        let path = call.path.replacingOccurrences(of: "TOKEN", with: encoded(token))
        var headers = CorrelationTests.headers
        headers["X-Request-ID"] = requestID
        switch call.presented {
        case .header: headers["Authorization"] = "Bearer \(token)"
        case .basicAuthorization: headers["Authorization"] = "Basic YWxpY2U6c2VjcmV0"
        case .query, .none: break
        }
        return try await harness.client.send("POST", path, body: call.body, headers: headers)
    }

    /// Status, headers but the date (which must be there), and body.
    func comparable(_ answer: HTTPTestClient.Answer) -> String {
        #expect(answer.headers["date"]?.hasSuffix(" GMT") == true)
        let headers = answer.headers.filter { $0.key != "date" }.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return "\(answer.status)\n\(headers.joined(separator: "\n"))\n\(String(decoding: answer.body, as: UTF8.self))"
    }

    @Test func aTokensFirstCallAndItsCachedCallsAreAnsweredAlike() async throws {
        try await InProcessPolicyd.run(policies: GatekeeperTests.policies) { harness in
            for (index, call) in Self.calls.enumerated() {
                // A group of its own makes each call's token new to the cache.
                let groups = call.groups + ["unrelated/\(index)"]
                let token = try await harness.token(audience: call.audience, groups: groups, scope: call.scope)
                let before = try await harness.tokenCacheHits()
                let requestID = "call-\(index)"
                let first = comparable(try await send(call, to: harness, token: token, requestID: requestID))
                let second = comparable(try await send(call, to: harness, token: token, requestID: requestID))
                #expect(first.contains("\nx-request-id: \(requestID)\n"), "\(call.path)")
                #expect(first.hasPrefix("\(call.status)\n"), "\(call.path): \(first)")
                #expect(second == first, "\(call.path)")
                #expect(try await harness.tokenCacheHits() - before == (call.cached ? 1 : 0), "\(call.path)")
            }
        }
    }
}
