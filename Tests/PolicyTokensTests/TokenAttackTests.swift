import Foundation
import JWTKit
import Testing

@testable import PolicyTokens

/// The token attack suite at the verifier (issue 6; OWASP's JWT cheat sheet): every forged, tampered or
/// malformed token is refused with its own reason. The same attacks run end to end through policyd in
/// PolicyServerTests/TokenAttackTests.swift.
@Suite("Token attacks")
struct TokenAttackTests {
    let harness: VerifierHarness

    init() throws {
        harness = try VerifierHarness()
    }

    @Test func theUntamperedTokenIsAccepted() async throws {
        // Every attack below starts from this token, so its refusal is the attack's doing.
        #expect(try await harness.verify(try await Tokens.development()).get().groups == ["/atlas", "cms"])
    }

    @Test(arguments: TokenAttack.all)
    func attackIsRefusedWithItsReason(_ attack: TokenAttack) async throws {
        let token = try await attack.make()
        let rejection = try #require(await harness.rejection(token), "\(attack.name) was accepted")
        #expect(rejection.code == attack.code)
        #expect(rejection.reason == attack.reason)
        for part in Tokens.parts(token) where part.count > 8 {
            #expect(!rejection.reason.contains(part), "the reason must not echo the token")
        }
        if attack.isRefusedBeforeAnyKeyLookup {
            #expect(await harness.provider.lookups == 0)
            #expect(await harness.provider.refreshes == 0)
        }
    }

    /// A megabyte is refused on its length alone: no decoding, no key lookup, microseconds each.
    @Test func aMegabyteTokenIsRefusedCheaply() async throws {
        let token = try await Tokens.development(claims: Tokens.claims(["pad": String(repeating: "A", count: 1 << 20)]))
        #expect(token.utf8.count > 1 << 20)
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for _ in 0..<1000 {
                let rejection = try #require(await harness.rejection(token))
                #expect(rejection.reason == "token too large")
            }
        }
        // Decoding a megabyte once costs milliseconds; a thousand refusals in under a second cannot decode it.
        #expect(elapsed < .seconds(1))
        #expect(await harness.provider.lookups == 0)
    }

    /// A one-bit change anywhere in the signature's text, not only in its decoded bytes, is refused: the
    /// last character's unused low bits must be zero, so no two texts decode to the same signature.
    @Test func everyOneBitChangeOfTheSignatureTextIsRefused() async throws {
        let parts = Tokens.parts(try await Tokens.development())
        let signature = Array(parts[2].utf8)
        for index in [0, signature.count / 2, signature.count - 1] {
            for bit in 0..<6 {
                var altered = signature
                altered[index] = Self.base64URLAlphabet[Self.base64URLAlphabet.firstIndex(of: altered[index])! ^ (1 << bit)]
                let token = parts[0] + "." + parts[1] + "." + String(decoding: altered, as: UTF8.self)
                let rejection = try #require(await harness.rejection(token), "bit \(bit) of character \(index)")
                #expect(["bad signature", "malformed token: signature is not base64url"].contains(rejection.reason))
            }
        }
    }

    private static let base64URLAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
}

/// One attack: how to forge the token, and exactly how it must be refused.
struct TokenAttack: Sendable, CustomTestStringConvertible {
    let name: String
    let code: TokenRejection.Code
    let reason: String
    /// Refused on the token's own text, before the issuer's keys are even asked for.
    let isRefusedBeforeAnyKeyLookup: Bool
    let make: @Sendable () async throws -> String

    var testDescription: String { name }

    init(
        _ name: String, _ code: TokenRejection.Code, _ reason: String, beforeKeys: Bool = true,
        make: @escaping @Sendable () async throws -> String
    ) {
        self.name = name
        self.code = code
        self.reason = reason
        self.isRefusedBeforeAnyKeyLookup = beforeKeys
        self.make = make
    }

    static let all: [TokenAttack] =
        algorithms + keyConfusion + keySelection + keyHeaders + signatures + claims + shapes + duplicates + claimTypes

    // MARK: the algorithm

    static let algorithms = ["none", "None", "NONE", "nOnE", ""].map { alg in
        TokenAttack("alg '\(alg)', no signature", .unsupportedAlgorithm, "unsupported algorithm '\(alg)'") {
            let parts = Tokens.parts(try await Tokens.development(header: ["alg": alg, "kid": "dev"]))
            return parts[0] + "." + parts[1] + "."
        }
    }

    /// HMAC keyed with what anyone can fetch: the issuer's public key as PEM, as its JWK, as its whole JWKS.
    static let keyConfusion = [
        ("PEM", TestKeys.developmentKey.publicKey.pemRepresentation),
        ("JWK", String(decoding: try! JSONSerialization.data(
            withJSONObject: TestKeys.rsaJWK(TestKeys.developmentKey, kid: "dev"), options: .sortedKeys), as: UTF8.self)),
        ("JWKS", String(decoding: try! Data(contentsOf: TestKeys.developmentJWKSFile), as: UTF8.self)),
    ].map { form, secret in
        TokenAttack("HS256 keyed with the public key's \(form)", .unsupportedAlgorithm, "unsupported algorithm 'HS256'") {
            try Tokens.make(header: ["alg": "HS256", "kid": "dev"], signer: try await Signers.hmac(secret: secret, .sha256))
        }
    }

    static let keySelection = [
        TokenAttack("unknown kid", .unknownKeyID, "unknown key id 'rotated-away'", beforeKeys: false) {
            try await Tokens.development(header: ["alg": "RS256", "kid": "rotated-away"])
        },
        TokenAttack("kid carrying a path", .unknownKeyID, "unknown key id '../../etc/passwd'", beforeKeys: false) {
            try await Tokens.development(header: ["alg": "RS256", "kid": "../../etc/passwd"])
        },
        TokenAttack(
            "kid carrying a URL", .unknownKeyID, "unknown key id 'https://attacker.example/jwks.json'",
            beforeKeys: false
        ) {
            try await Tokens.development(header: ["alg": "RS256", "kid": "https://attacker.example/jwks.json"])
        },
        TokenAttack("kid not a string", .malformedToken, "malformed token: 'kid' is not a string") {
            try await Tokens.development(header: ["alg": "RS256", "kid": ["dev"]])
        },
        TokenAttack("another key, its own kid", .unknownKeyID, "unknown key id 'other'", beforeKeys: false) {
            try Tokens.make(header: ["alg": "RS256", "kid": "other"], signer: try await Signers.rsa(TestKeys.otherRSA))
        },
        TokenAttack("another key, the issuer's kid", .badSignature, "bad signature", beforeKeys: false) {
            try Tokens.make(header: ["alg": "RS256", "kid": "dev"], signer: try await Signers.rsa(TestKeys.otherRSA))
        },
    ]

    /// The attacker's own key, offered in the header (or pointed to), signing the token.
    static func offering(_ name: String, _ value: Any) -> TokenAttack {
        nonisolated(unsafe) let value = value
        return TokenAttack(
            "\(name) header", .keyInHeader, "token header '\(name)' refused: keys come only from the issuer"
        ) {
            try Tokens.make(
                header: ["alg": "RS256", "kid": "dev", name: value], signer: try await Signers.rsa(TestKeys.otherRSA))
        }
    }

    static let keyHeaders = [
        offering("jku", "https://attacker.example/jwks.json"),
        offering("x5u", "https://attacker.example/cert.pem"),
        offering("jwk", TestKeys.rsaJWK(TestKeys.otherRSA, kid: "dev")),
        offering("x5c", ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]),
        TokenAttack(
            "jwk header, the issuer's own signature", .keyInHeader,
            "token header 'jwk' refused: keys come only from the issuer"
        ) {
            try await Tokens.development(header: [
                "alg": "RS256", "kid": "dev", "jwk": TestKeys.rsaJWK(TestKeys.developmentKey, kid: "dev"),
            ])
        },
        TokenAttack("crit with an unknown extension", .unsupportedCriticalHeader, "unsupported critical header") {
            try await Tokens.development(header: ["alg": "RS256", "kid": "dev", "crit": ["exp-policyd"], "exp-policyd": 1])
        },
        TokenAttack("crit empty", .unsupportedCriticalHeader, "unsupported critical header") {
            try await Tokens.development(header: ["alg": "RS256", "kid": "dev", "crit": [String]()])
        },
    ]

    static let signatures = [
        TokenAttack("signature stripped", .missingSignature, "missing signature") {
            let parts = Tokens.parts(try await Tokens.development())
            return parts[0] + "." + parts[1] + "."
        },
        TokenAttack("signature altered by one bit", .badSignature, "bad signature", beforeKeys: false) {
            let parts = Tokens.parts(try await Tokens.development())
            var signature = Base64URL.decode(parts[2])!
            signature[0] ^= 0x80
            return parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
        },
        TokenAttack("claims of one token, signature of another", .badSignature, "bad signature", beforeKeys: false) {
            let wanted = Tokens.parts(try await Tokens.development(claims: Tokens.claims(["groups": ["/admins"]])))
            let signed = Tokens.parts(try await Tokens.development())
            return wanted[0] + "." + wanted[1] + "." + signed[2]
        },
    ]

    static func signed(_ name: String, _ code: TokenRejection.Code, _ reason: String, _ claims: [String: Any])
        -> TokenAttack
    {
        nonisolated(unsafe) let claims = claims
        return TokenAttack(name, code, reason, beforeKeys: false) { try await Tokens.development(claims: claims) }
    }

    static let now = Int(Tokens.now.timeIntervalSince1970)

    static let claims = [
        signed("expired", .expired, "token expired", Tokens.claims(["exp": now - 3600])),
        signed("nbf in the future", .notYetValid, "token not yet valid", Tokens.claims(["nbf": now + 3600])),
        signed("iat in the future", .issuedInFuture, "issued in the future", Tokens.claims(["iat": now + 3600])),
        signed("no exp", .missingExpiry, "missing exp", Tokens.claims(removing: ["exp"])),
        signed("wrong issuer", .wrongIssuer, "wrong issuer", Tokens.claims(["iss": "https://attacker.example"])),
        signed("issuer with a trailing slash", .wrongIssuer, "wrong issuer", Tokens.claims(["iss": Tokens.issuer + "/"])),
        signed("wrong audience (string)", .wrongAudience, "wrong audience", Tokens.claims(["aud": "other-api"])),
        signed("wrong audience (array)", .wrongAudience, "wrong audience", Tokens.claims(["aud": ["other-api", "x"]])),
        signed("no audience", .wrongAudience, "wrong audience", Tokens.claims(removing: ["aud"])),
    ]

    /// A valid token with its parts changed by `change`, refused as "malformed token: \(problem)".
    static func reshaped(_ name: String, _ problem: String, _ change: @escaping @Sendable (inout [String]) -> Void)
        -> TokenAttack
    {
        TokenAttack(name, .malformedToken, "malformed token: " + problem) {
            var parts = Tokens.parts(try await Tokens.development())
            change(&parts)
            return parts.joined(separator: ".")
        }
    }

    static func json(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }

    /// Malformed base64url or JSON in each part, and JSON that is not an object.
    static let shapes = [
        reshaped("header not base64url", "header is not base64url") { $0[0] = "eyJhbGciOiJSUzI1NiJ9*" },
        reshaped("header in standard base64", "header is not base64url") { $0[0] = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImRldiJ9+/" },
        reshaped("header padded", "header is not base64url") { $0[0] += "==" },
        reshaped("payload not base64url", "payload is not base64url") { $0[1] = "e30%3D" },
        reshaped("payload with a space", "payload is not base64url") { $0[1] = "e3 0" },
        reshaped("signature not base64url", "signature is not base64url") { $0[2] = "c2lnbmF0dXJl!" },
        reshaped("signature of impossible length", "signature is not base64url") { $0[2] = "abcde" },
        reshaped("header not JSON", "header is not JSON") { $0[0] = json(#"{"alg":"RS256","kid":"dev""#) },
        reshaped("header with trailing text", "header is not JSON") { $0[0] = json(#"{"alg":"RS256"} x"#) },
        reshaped("header not UTF-8", "header is not JSON") { $0[0] = Base64URL.encode([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) },
        reshaped("payload not JSON", "payload is not JSON") { $0[1] = json("{iss: 'x'}") },
        reshaped("payload nested 300 deep", "payload is not JSON") {
            $0[1] = json(#"{"a":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}")
        },
        reshaped("payload empty", "payload is not JSON") { $0[1] = "" },
        reshaped("header an array", "header is not a JSON object") { $0[0] = json(#"["RS256"]"#) },
        reshaped("payload an array", "payload is not a JSON object") { $0[1] = json(#"[{"iss":"x"}]"#) },
        reshaped("payload a string", "payload is not a JSON object") { $0[1] = json(#""claims""#) },
        reshaped("payload a number", "payload is not a JSON object") { $0[1] = json("42") },
        reshaped("payload null", "payload is not a JSON object") { $0[1] = json("null") },
        reshaped("four parts", "expected three dot-separated parts") { $0.append("e30") },
        reshaped("two parts", "expected three dot-separated parts") { $0.removeLast() },
        reshaped("no alg", "no 'alg' in the header") { $0[0] = json(#"{"kid":"dev"}"#) },
        reshaped("alg not a string", "'alg' is not a string") { $0[0] = json(#"{"alg":["RS256"],"kid":"dev"}"#) },
    ]

    /// Two members of one name: readers disagree on which counts (first, last, error), so none is taken.
    static let duplicates = [
        ("two aud", "claim 'aud' given twice", #"{"alg":"RS256","kid":"dev"}"#, #","aud":"other-api""#),
        ("two groups", "claim 'groups' given twice", #"{"alg":"RS256","kid":"dev"}"#, #","groups":["/admins"]"#),
        ("two exp", "claim 'exp' given twice", #"{"alg":"RS256","kid":"dev"}"#, #","exp":99999999999"#),
        ("two aud, one escaped", "claim 'aud' given twice", #"{"alg":"RS256","kid":"dev"}"#, #","a\u0075d":"other-api""#),
        ("two alg", "header member 'alg' given twice", #"{"alg":"RS256","kid":"dev","alg":"none"}"#, ""),
        ("two kid", "header member 'kid' given twice", #"{"alg":"RS256","kid":"dev","kid":"other"}"#, ""),
    ].map { name, problem, header, extraClaims in
        TokenAttack(name, .malformedToken, "malformed token: " + problem) {
            var payload = try JSONSerialization.data(withJSONObject: Tokens.claims(), options: .sortedKeys)
            payload.removeLast()  // the closing brace
            payload += Data((extraClaims + "}").utf8)
            return try CompactJWS.signed(
                headerJSON: Data(header.utf8), payloadJSON: payload, with: try await Signers.rsa(TestKeys.developmentKey))
        }
    }

    static let claimTypes = [
        signed("exp a string", .malformedClaim, "malformed claim 'exp': not a number", Tokens.claims(["exp": "2099-01-01"])),
        signed("exp null", .malformedClaim, "malformed claim 'exp': not a number", Tokens.claims(["exp": NSNull()])),
        signed("exp huge", .malformedClaim, "malformed claim 'exp': out of range", Tokens.claims(["exp": 1e300])),
        signed("exp negative", .malformedClaim, "malformed claim 'exp': out of range", Tokens.claims(["exp": -1])),
        signed("nbf a string", .malformedClaim, "malformed claim 'nbf': not a number", Tokens.claims(["nbf": "0"])),
        signed("iat a boolean", .malformedClaim, "malformed claim 'iat': not a number", Tokens.claims(["iat": true])),
        signed("groups a string", .malformedClaim, "malformed claim 'groups': not an array of strings", Tokens.claims(["groups": "/admins"])),
        signed("groups with a number", .malformedClaim, "malformed claim 'groups': not an array of strings", Tokens.claims(["groups": ["/atlas", 7]])),
        signed("groups nested", .malformedClaim, "malformed claim 'groups': not an array of strings", Tokens.claims(["groups": [["/admins"]]])),
        signed("groups an object", .malformedClaim, "malformed claim 'groups': not an array of strings", Tokens.claims(["groups": ["/admins": true]])),
        signed("groups null", .malformedClaim, "malformed claim 'groups': not an array of strings", Tokens.claims(["groups": NSNull()])),
        signed(
            "wlcg.groups a string", .malformedClaim, "malformed claim 'wlcg.groups': not an array of strings",
            Tokens.claims(["wlcg.groups": "/admins"], removing: ["groups"])),
    ] + [
        // Beyond Double's range: the literal must be written by hand.
        TokenAttack("exp beyond any number", .malformedClaim, "malformed claim 'exp': out of range", beforeKeys: false) {
            var payload = try JSONSerialization.data(withJSONObject: Tokens.claims(removing: ["exp"]), options: .sortedKeys)
            payload.removeLast()
            payload += Data(#","exp":1e400}"#.utf8)
            return try CompactJWS.signed(
                headerJSON: Data(#"{"alg":"RS256","kid":"dev"}"#.utf8), payloadJSON: payload,
                with: try await Signers.rsa(TestKeys.developmentKey))
        }
    ]
}
