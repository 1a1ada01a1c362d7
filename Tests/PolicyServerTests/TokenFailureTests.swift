import Foundation
import Testing

/// Every token failure is a 200 denial with its reason, in process; keys fetched from the test issuer on
/// loopback where the test counts its fetches.
@Suite struct TokenFailureTests {
    static let viewer = ["data/namespaces/testing/viewer"]
    static let body = #"{"namespace": "testing"}"#

    func reason(_ harness: InProcessPolicyd, bearer: String?) async throws -> String? {
        let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: bearer)
        #expect(answer.status == 200)
        #expect(answer.isAuthorised == false)
        return answer.reason
    }

    @Test func expired() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: Self.viewer, lifetime: -600)
            #expect(try await reason(harness, bearer: token) == "token expired")
        }
    }

    @Test func wrongAudience() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(audience: "site-capabilities-api", groups: Self.viewer)
            #expect(try await reason(harness, bearer: token) == "wrong audience")
        }
    }

    @Test func wrongIssuer() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: Self.viewer, issuer: "https://elsewhere.example")
            #expect(try await reason(harness, bearer: token) == "wrong issuer")
        }
    }

    @Test func missingScope() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: Self.viewer, scope: "openid profile")
            #expect(try await reason(harness, bearer: token) == "missing scope 'data-management-api-service'")
        }
    }

    @Test func badSignature() async throws {
        try await InProcessPolicyd.run { harness in
            let wanted = try await harness.token(groups: ["/services/data-management-api/roles/admin"])
            let signed = try await harness.token(groups: Self.viewer)
            let forged = TestKeys.resigned(claimsFrom: wanted, signatureFrom: signed)
            #expect(try await reason(harness, bearer: forged) == "bad signature")
        }
    }

    @Test func missingToken() async throws {
        try await InProcessPolicyd.run { harness in
            #expect(try await reason(harness, bearer: nil) == "missing token")
            let empty = try await harness.client.post(Paths.dataList + "&token=", body: Self.body)
            #expect(empty.reason == "missing token")
        }
    }

    @Test func unknownKeyIDRefreshesTheKeysAtMostOncePerInterval() async throws {
        let issuer = TestIssuer()
        try await InProcessPolicyd.run(issuer: issuer) { harness in
            _ = try await harness.client.post(Paths.dataList, body: Self.body, bearer: try await harness.token(groups: Self.viewer))
            for attempt in 0..<5 {
                let token = try await harness.token(groups: Self.viewer, kid: "rotated-\(attempt)")
                #expect(try await reason(harness, bearer: token) == "unknown key id 'rotated-\(attempt)'")
            }
            #expect(issuer.jwksFetches <= 2)
        }
    }

    @Test func malformedAndUnsignedTokens() async throws {
        try await InProcessPolicyd.run { harness in
            #expect(try await reason(harness, bearer: "not-a-jwt") == "malformed token: expected three dot-separated parts")
            let unsigned = TestKeys.unsigned(try await harness.token(groups: Self.viewer))
            #expect(try await reason(harness, bearer: unsigned) == "unsupported algorithm 'none'")
        }
    }

    /// The opencadc client's transport adds the user's original token in a header while the query carries
    /// the exchanged one: that was `two different tokens given`, a denial of every such call.
    @Test func theQueryTokenIsAuthorisedWhateverTheHeaderHolds() async throws {
        try await InProcessPolicyd.run { harness in
            let exchanged = try await harness.token(groups: Self.viewer)
            let original = try await harness.token(audience: "permissions-api", groups: [], lifetime: 900)
            let answer = try await harness.client.post(Paths.dataList + "&token=" + encoded(exchanged), body: Self.body, bearer: original)
            #expect(answer.isAuthorised == true)
            // And the other way round: the header's token grants nothing when the query's is authorised.
            let reversed = try await harness.client.post(Paths.dataList + "&token=" + encoded(original), body: Self.body, bearer: exchanged)
            #expect(reversed.isAuthorised == false)
            #expect(reversed.reason == "wrong audience")
            let basic = try await harness.client.send(
                "POST", Paths.dataList + "&token=" + encoded(exchanged), body: Self.body, headers: ["Authorization": "Basic dXNlcjpwYXNz"])
            #expect(basic.isAuthorised == true)
            let twice = try await harness.client.post(
                Paths.dataList + "&token=" + encoded(exchanged) + "&token=" + encoded(original), body: Self.body)
            #expect(twice.reason == "two different tokens given")
        }
    }

    @Test func onlyBearerAuthorizationIsAccepted() async throws {
        try await InProcessPolicyd.run { harness in
            let answer = try await harness.client.send(
                "POST", Paths.dataList, body: Self.body, headers: ["Authorization": "Basic dXNlcjpwYXNz"])
            #expect(answer.isAuthorised == false)
            #expect(answer.reason == "the Authorization header is not a Bearer token")
            let token = try await harness.token(groups: Self.viewer)
            let lowercase = try await harness.client.send(
                "POST", Paths.dataList, body: Self.body, headers: ["Authorization": "bearer \(token)"])
            #expect(lowercase.isAuthorised == true)
        }
    }

    @Test func theTokenIsNeverEchoed() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: Self.viewer)
            let answer = try await harness.client.post(
                Paths.dataList + "&explain=true&token=" + encoded(token), body: Self.body)
            #expect(answer.isAuthorised == true)
            #expect(!String(decoding: answer.body, as: UTF8.self).contains(token))
        }
    }
}
