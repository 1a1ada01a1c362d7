import Foundation
import JWTKit
import Testing

@testable import PolicyTokens

@Suite("Token acceptance")
struct TokenAcceptanceTests {
    let harness: VerifierHarness

    init() throws {
        harness = try VerifierHarness()
    }

    @Test func validTokenYieldsItsClaims() async throws {
        let requirements = TokenRequirements(issuer: Tokens.issuer, audience: Tokens.audience, scope: "storage.read:/")
        let verified = try await harness.verify(try await Tokens.development(), requirements).get()
        #expect(
            verified
                == VerifiedToken(
                    subject: "alice",
                    issuer: Tokens.issuer,
                    audiences: [Tokens.audience],
                    groups: ["/atlas", "cms"],
                    scopes: ["openid", "storage.read:/"],
                    expiresAt: Tokens.now.addingTimeInterval(600)
                ))
    }

    @Test func audienceArrayContainingTheAudience() async throws {
        let token = try await Tokens.development(claims: Tokens.claims(["aud": ["other", Tokens.audience]]))
        #expect(try await harness.verify(token).get().audiences == ["other", Tokens.audience])
    }

    /// A GMS search accepts a token for any of a list of audiences: one of them is enough, none refuses.
    @Test func anyOfSeveralAudiences() async throws {
        let token = try await Tokens.development(claims: Tokens.claims(["aud": ["other", Tokens.audience]]))
        let either = TokenRequirements(issuer: Tokens.issuer, audience: "skaha", otherAudiences: ["cavern", Tokens.audience])
        #expect(try await harness.verify(token, either).get().subject == "alice")
        let neither = TokenRequirements(issuer: Tokens.issuer, audience: "skaha", otherAudiences: ["cavern"])
        #expect(await harness.rejection(token, neither) == .wrongAudience)
    }

    /// The issuer a token names, read before anything is verified, to choose whose keys verify it; a
    /// token that does not parse is refused as the verifier would refuse it.
    @Test func theClaimedIssuerIsReadWithoutVerifying() async throws {
        #expect(try UnverifiedToken.issuer(of: try await Tokens.development()) == Tokens.issuer)
        let forged = try await Tokens.development(claims: Tokens.claims(["iss": "https://elsewhere.example"]))
        #expect(try UnverifiedToken.issuer(of: forged) == "https://elsewhere.example")
        #expect(try UnverifiedToken.issuer(of: try await Tokens.development(claims: Tokens.claims(removing: ["iss"]))) == nil)
        #expect(try UnverifiedToken.issuer(of: try await Tokens.development(claims: Tokens.claims(["iss": 7]))) == nil)
        #expect(throws: TokenRejection.self) { try UnverifiedToken.issuer(of: "a.b") }
        #expect(throws: TokenRejection.self) { try UnverifiedToken.issuer(of: "e30.!!.e30") }
    }

    @Test func wlcgGroupsFallback() async throws {
        let claims = Tokens.claims(["wlcg.groups": ["/wlcg", "/wlcg/xfers"]], removing: ["groups"])
        #expect(
            try await harness.verify(try await Tokens.development(claims: claims)).get().groups == [
                "/wlcg", "/wlcg/xfers",
            ])
    }

    @Test func configuredGroupsClaimWinsOverFallback() async throws {
        let verifier = TokenVerifier(
            keys: try StaticKeySource(issuer: Tokens.issuer, jwksJSON: TestKeys.issuerJWKS), groupsClaim: "roles",
            now: { Tokens.now })
        let claims = Tokens.claims(["roles": ["ops"], "wlcg.groups": ["/wlcg"]])
        let verified = try await verifier.verify(
            try await Tokens.development(claims: claims), requirements: Tokens.requirements
        ).get()
        #expect(verified.groups == ["ops"])
    }

    @Test func noGroupsAndNoScope() async throws {
        let claims = Tokens.claims(removing: ["groups", "scope", "sub"])
        let verified = try await harness.verify(try await Tokens.development(claims: claims)).get()
        #expect(verified.groups.isEmpty)
        #expect(verified.scopes.isEmpty)
        #expect(verified.subject == nil)
    }

    @Test func timeChecksAllowLeeway() async throws {
        let seconds = Int(Tokens.now.timeIntervalSince1970)
        let claims = Tokens.claims(["exp": seconds - 30, "nbf": seconds + 30, "iat": seconds + 30])
        #expect(try await harness.verify(try await Tokens.development(claims: claims)).get().subject == "alice")
    }

    @Test func es256() async throws {
        let token = try Tokens.make(
            header: ["alg": "ES256", "kid": "ec"], signer: try await Signers.ecdsa(TestKeys.ecP256))
        #expect(try await harness.verify(token).get().subject == "alice")
    }

    @Test func es384() async throws {
        let params = try #require(TestKeys.ecP384.publicKey.parameters)
        let harness = try VerifierHarness(
            jwks: TestKeys.jwks([TestKeys.ecJWK(x: params.x, y: params.y, crv: "P-384", kid: "ec384")]))
        let token = try Tokens.make(
            header: ["alg": "ES384", "kid": "ec384"], signer: try await Signers.ecdsa(TestKeys.ecP384))
        #expect(try await harness.verify(token).get().subject == "alice")
    }

    /// A JWK without `alg` may verify any RSA algorithm the token names.
    @Test(arguments: [
        ("RS256", DigestAlgorithm.sha256, false), ("RS384", .sha384, false), ("RS512", .sha512, false),
        ("PS256", .sha256, true), ("PS384", .sha384, true), ("PS512", .sha512, true),
    ])
    func rsaAlgorithmsWithUnpinnedKey(alg: String, digest: DigestAlgorithm, pss: Bool) async throws {
        let harness = try VerifierHarness(
            jwks: TestKeys.jwks([TestKeys.rsaJWK(TestKeys.otherRSA, kid: "k2", alg: nil)]))
        let token = try Tokens.make(
            header: ["alg": alg, "kid": "k2"], signer: try await Signers.rsa(TestKeys.otherRSA, digest, pss: pss))
        #expect(try await harness.verify(token).get().subject == "alice")
    }

    /// The issuer whose keys are used is the policy's, so a token from a genuine other issuer fails on its key.
    @Test func keysComeFromTheRequiredIssuer() async throws {
        let otherIssuerJWKS = TestKeys.jwks([TestKeys.rsaJWK(TestKeys.otherRSA, kid: "dev")])
        let verifier = TokenVerifier(
            keys: StaticKeySource(keysByIssuer: [
                Tokens.issuer: try IssuerKeys(jwksJSON: TestKeys.issuerJWKS),
                "https://other.example": try IssuerKeys(jwksJSON: otherIssuerJWKS),
            ]),
            now: { Tokens.now })
        let token = try Tokens.make(
            claims: Tokens.claims(["iss": "https://other.example"]), signer: try await Signers.rsa(TestKeys.otherRSA))
        let asOther = TokenRequirements(issuer: "https://other.example", audience: Tokens.audience)
        #expect(try await verifier.verify(token, requirements: asOther).get().issuer == "https://other.example")
        #expect(await verifier.verify(token, requirements: Tokens.requirements).failure?.code == .badSignature)
    }
}
