import Foundation
import JWTKit
import Testing

@testable import PolicyTokens

@Suite("Token rejections")
struct TokenRejectionTests {
    let harness: VerifierHarness

    init() throws {
        harness = try VerifierHarness()
    }

    private func expectRejected(
        _ token: String, _ code: TokenRejection.Code, _ reason: String,
        requirements: TokenRequirements = Tokens.requirements, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let rejection = await harness.rejection(token, requirements)
        #expect(rejection?.code == code, sourceLocation: sourceLocation)
        #expect(rejection?.reason == reason, sourceLocation: sourceLocation)
        if let reason = rejection?.reason {
            for part in Tokens.parts(token) where part.count > 8 {
                #expect(!reason.contains(part), "reason must not echo the token", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func algNoneIsRefusedBeforeAnyKeyLookup() async throws {
        let header = try JSONSerialization.data(withJSONObject: ["alg": "none", "kid": "dev"])
        let payload = try JSONSerialization.data(withJSONObject: Tokens.claims())
        let token = Base64URL.encode(header) + "." + Base64URL.encode(payload) + "."
        await expectRejected(token, .unsupportedAlgorithm, "unsupported algorithm 'none'")
        #expect(await harness.provider.lookups == 0)
    }

    /// Key confusion: an HMAC "signature" keyed with the issuer's public key, which anyone can obtain.
    @Test(arguments: [("HS256", DigestAlgorithm.sha256), ("HS384", .sha384), ("HS512", .sha512)])
    func hmacSignedWithThePublicKeyIsRefusedBeforeAnyKeyLookup(alg: String, digest: DigestAlgorithm) async throws {
        let publicPEM = TestKeys.developmentKey.publicKey.pemRepresentation
        let token = try Tokens.make(
            header: ["alg": alg, "kid": "dev"], signer: try await Signers.hmac(secret: publicPEM, digest))
        await expectRejected(token, .unsupportedAlgorithm, "unsupported algorithm '\(alg)'")
        #expect(await harness.provider.lookups == 0)
    }

    @Test func unknownKeyID() async throws {
        let token = try await Tokens.development(header: ["alg": "RS256", "kid": "rotated-away"])
        await expectRejected(token, .unknownKeyID, "unknown key id 'rotated-away'")
    }

    @Test func missingKeyID() async throws {
        await expectRejected(try await Tokens.development(header: ["alg": "RS256"]), .missingKeyID, "missing key id")
    }

    @Test func keyIDInReasonIsSanitised() async throws {
        let token = try await Tokens.development(header: [
            "alg": "RS256", "kid": "a\nb" + String(repeating: "x", count: 100),
        ])
        let reason = try #require(await harness.rejection(token)).reason
        #expect(!reason.contains("\n"))
        #expect(reason.count < 100)
    }

    @Test func signedByAnotherIssuersKey() async throws {
        let token = try Tokens.make(signer: try await Signers.rsa(TestKeys.otherRSA))
        await expectRejected(token, .badSignature, "bad signature")
    }

    /// Keys embedded in or referenced from the header must never be used: the token is refused outright.
    @Test func headerSuppliedKeysAreRefused() async throws {
        let attackerJWK = TestKeys.rsaJWK(TestKeys.otherRSA, kid: "dev")
        let header: [String: Any] = [
            "alg": "RS256", "kid": "dev", "jwk": attackerJWK,
            "jku": "https://attacker.example/jwks", "x5u": "https://attacker.example/cert",
        ]
        let token = try Tokens.make(header: header, signer: try await Signers.rsa(TestKeys.otherRSA))
        await expectRejected(token, .keyInHeader, "token header 'jku' refused: keys come only from the issuer")
        #expect(await harness.provider.lookups == 0)
    }

    @Test func algorithmTheKeyCannotVerify() async throws {
        let esWithRSAKey = try Tokens.make(
            header: ["alg": "ES256", "kid": "dev"], signer: try await Signers.ecdsa(TestKeys.ecP256))
        await expectRejected(esWithRSAKey, .keyAlgorithmMismatch, "key 'dev' cannot verify ES256")

        // The development JWK pins RS256, so PS256 is refused even though the key is RSA.
        let pssWithPinnedKey = try Tokens.make(
            header: ["alg": "PS256", "kid": "dev"], signer: try await Signers.rsa(TestKeys.developmentKey, pss: true))
        await expectRejected(pssWithPinnedKey, .keyAlgorithmMismatch, "key 'dev' cannot verify PS256")
    }

    @Test func expired() async throws {
        let exp = Int(Tokens.now.timeIntervalSince1970) - 61
        await expectRejected(
            try await Tokens.development(claims: Tokens.claims(["exp": exp])), .expired, "token expired")
    }

    @Test func notYetValid() async throws {
        let nbf = Int(Tokens.now.timeIntervalSince1970) + 120
        await expectRejected(
            try await Tokens.development(claims: Tokens.claims(["nbf": nbf])), .notYetValid, "token not yet valid")
    }

    @Test func issuedInTheFuture() async throws {
        let iat = Int(Tokens.now.timeIntervalSince1970) + 120
        await expectRejected(
            try await Tokens.development(claims: Tokens.claims(["iat": iat])), .issuedInFuture, "issued in the future")
    }

    @Test func missingExpiry() async throws {
        await expectRejected(
            try await Tokens.development(claims: Tokens.claims(removing: ["exp"])), .missingExpiry, "missing exp")
    }

    @Test(arguments: ["https://evil.example", "https://issuer.example/"])
    func wrongIssuer(iss: String) async throws {
        await expectRejected(
            try await Tokens.development(claims: Tokens.claims(["iss": iss])), .wrongIssuer, "wrong issuer")
    }

    @Test func missingIssuer() async throws {
        await expectRejected(
            try await Tokens.development(claims: Tokens.claims(removing: ["iss"])), .wrongIssuer, "wrong issuer")
    }

    @Test func wrongAudienceAsString() async throws {
        await expectRejected(
            try await Tokens.development(claims: Tokens.claims(["aud": "other"])), .wrongAudience, "wrong audience")
    }

    @Test func wrongAudienceAsArray() async throws {
        let claims = Tokens.claims(["aud": ["other", "another", 42]])
        await expectRejected(try await Tokens.development(claims: claims), .wrongAudience, "wrong audience")
    }

    /// Spec 2.5: strings compare by their UTF-8 bytes. `String ==` took the decomposed `café` for the
    /// precomposed one, in the audience, the issuer and the scope alike.
    @Test func canonicallyEquivalentTextIsNotTheSameText() async throws {
        let precomposed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let audience = TokenRequirements(issuer: Tokens.issuer, audience: precomposed)
        await expectRejected(
            try await Tokens.development(claims: Tokens.claims(["aud": decomposed])), .wrongAudience, "wrong audience",
            requirements: audience)
        // The keys are the precomposed issuer's; the token names the decomposed one.
        let issuer = "https://\(precomposed).example"
        let verifier = TokenVerifier(
            keys: try StaticKeySource(issuer: issuer, jwksJSON: TestKeys.issuerJWKS), now: TestClock().reading)
        let token = try await Tokens.development(claims: Tokens.claims(["iss": "https://\(decomposed).example"]))
        let verified = await verifier.verify(token, requirements: TokenRequirements(issuer: issuer, audience: Tokens.audience))
        guard case .failure(let rejection) = verified else {
            Issue.record("a token of the decomposed issuer verified for the precomposed one")
            return
        }
        #expect(rejection.code == .wrongIssuer)
        let scope = TokenRequirements(issuer: Tokens.issuer, audience: Tokens.audience, scope: precomposed)
        await expectRejected(
            try await Tokens.development(claims: Tokens.claims(["scope": "openid " + decomposed])), .missingScope,
            "missing scope 'caf?'", requirements: scope)
    }

    @Test func missingScope() async throws {
        let requirements = TokenRequirements(
            issuer: Tokens.issuer, audience: Tokens.audience, scope: "storage.modify:/")
        await expectRejected(
            try await Tokens.development(), .missingScope, "missing scope 'storage.modify:/'",
            requirements: requirements)
    }

    @Test func scopeMatchesWholeWordsOnly() async throws {
        let requirements = TokenRequirements(issuer: Tokens.issuer, audience: Tokens.audience, scope: "storage.read")
        await expectRejected(
            try await Tokens.development(), .missingScope, "missing scope 'storage.read'", requirements: requirements)
    }

    @Test func bitFlippedSignature() async throws {
        let parts = Tokens.parts(try await Tokens.development())
        var signature = try #require(Base64URL.decode(parts[2]))
        signature[signature.count / 2] ^= 0x01
        let token = parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
        await expectRejected(token, .badSignature, "bad signature")
    }

    @Test func tamperedPayload() async throws {
        let parts = Tokens.parts(try await Tokens.development())
        let forged = try JSONSerialization.data(
            withJSONObject: Tokens.claims(["groups": ["admins"]]), options: .sortedKeys)
        await expectRejected(parts[0] + "." + Base64URL.encode(forged) + "." + parts[2], .badSignature, "bad signature")
    }

    @Test func strippedSignature() async throws {
        let parts = Tokens.parts(try await Tokens.development())
        await expectRejected(parts[0] + "." + parts[1] + ".", .missingSignature, "missing signature")
        await expectRejected(
            parts[0] + "." + parts[1], .malformedToken, "malformed token: expected three dot-separated parts")
    }

    @Test(arguments: MalformedPart.allCases)
    func malformedPart(_ malformation: MalformedPart) async throws {
        var parts = Tokens.parts(try await Tokens.development())
        malformation.apply(to: &parts)
        await expectRejected(parts.joined(separator: "."), .malformedToken, "malformed token: " + malformation.problem)
    }

    @Test(arguments: ["", "a.b", "a.b.c.d", "....", "not a token"])
    func notThreeParts(token: String) async {
        await expectRejected(token, .malformedToken, "malformed token: expected three dot-separated parts")
    }

    @Test func headerWithoutAlgorithm() async throws {
        let token = try Tokens.make(header: ["kid": "dev"], signer: try await Signers.rsa(TestKeys.developmentKey))
        await expectRejected(token, .malformedToken, "malformed token: no 'alg' in the header")
    }

    @Test func nonNumericExpiry() async throws {
        let token = try await Tokens.development(claims: Tokens.claims(["exp": "tomorrow"]))
        await expectRejected(token, .malformedClaim, "malformed claim 'exp': not a number")
    }

    @Test func criticalHeaderExtension() async throws {
        let token = try await Tokens.development(header: ["alg": "RS256", "kid": "dev", "crit": ["b64"], "b64": false])
        await expectRejected(token, .unsupportedCriticalHeader, "unsupported critical header")
    }

    @Test func tooLarge() async throws {
        let padding = String(repeating: "g", count: 17 * 1024)
        let token = try await Tokens.development(claims: Tokens.claims(["groups": [padding]]))
        await expectRejected(token, .tokenTooLarge, "token too large")
        #expect(await harness.provider.lookups == 0)
    }

    @Test func sizeLimitIsConfigurable() async throws {
        let token = try await Tokens.development()
        let strict = try VerifierHarness(maximumTokenBytes: token.utf8.count - 1)
        #expect(await strict.rejection(token)?.code == .tokenTooLarge)
        let exact = try VerifierHarness(maximumTokenBytes: token.utf8.count)
        #expect(try await exact.verify(token).get().subject == "alice")
    }

    @Test func unavailableKeysAreARejectionNotAnError() async throws {
        let verifier = TokenVerifier(keys: StaticKeySource(keysByIssuer: [:]), now: { Tokens.now })
        let result = await verifier.verify(try await Tokens.development(), requirements: Tokens.requirements)
        #expect(result.failure?.code == .keysUnavailable)
    }
}

enum MalformedPart: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case headerNotBase64URL, headerNotJSON, headerNotObject
    case payloadNotBase64URL, payloadNotJSON, payloadNotObject
    case signatureNotBase64URL, paddedSignature

    var testDescription: String { rawValue }

    /// What the reason says after "malformed token: ".
    var problem: String {
        switch self {
        case .headerNotBase64URL: "header is not base64url"
        case .headerNotJSON: "header is not JSON"
        case .headerNotObject: "header is not a JSON object"
        case .payloadNotBase64URL: "payload is not base64url"
        case .payloadNotJSON: "payload is not JSON"
        case .payloadNotObject: "payload is not a JSON object"
        case .signatureNotBase64URL, .paddedSignature: "signature is not base64url"
        }
    }

    func apply(to parts: inout [String]) {
        switch self {
        case .headerNotBase64URL: parts[0] = "eyJhbGciOiJSUzI1NiJ9!"
        case .headerNotJSON: parts[0] = Base64URL.encode(Array(#"{"alg":"RS256","kid":"dev""#.utf8))
        case .headerNotObject: parts[0] = Base64URL.encode(Array(#"["RS256"]"#.utf8))
        case .payloadNotBase64URL: parts[1] = "e30%"
        case .payloadNotJSON: parts[1] = Base64URL.encode(Array("not json".utf8))
        case .payloadNotObject: parts[1] = Base64URL.encode(Array("42".utf8))
        case .signatureNotBase64URL: parts[2] = "abc+/def"
        case .paddedSignature: parts[2] += "=="
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { failure } else { nil }
    }
}
