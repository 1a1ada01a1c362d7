import Foundation
import PolicyCore
import Testing
@testable import PolicyTokens

/// `ClaimsCheck`, the one check of a token's claims and of an issuer's answer about a token.
@Suite struct ClaimsCheckTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let check = ClaimsCheck(leeway: 60, now: now)
    static let requirements = TokenRequirements(issuer: "https://iam.example", audience: "api", scope: "api-service")

    static func seconds(_ offset: TimeInterval) -> JSONValue {
        .number(JSONNumber(Int64(now.timeIntervalSince1970 + offset)))
    }

    static func claims(_ changes: [String: JSONValue?] = [:]) -> TokenClaims {
        var values: [String: JSONValue] = [
            "iss": .string("https://iam.example"), "aud": .string("api"), "scope": .string("openid api-service"),
            "exp": seconds(600),
        ]
        for (name, value) in changes { values[name] = value }
        return TokenClaims(values)
    }

    static func outcome(_ claims: TokenClaims, _ speaker: ClaimsCheck.Speaker) -> String {
        do {
            try check.check(claims, against: requirements, saidBy: speaker)
            return "accepted"
        } catch {
            return error.reason
        }
    }

    static let speakers: [ClaimsCheck.Speaker] = [.token, .issuerAnswer(complete: true), .issuerAnswer(complete: false)]

    /// One leeway rule for every time and every speaker: the clocks may differ by the leeway, in the
    /// caller's favour, and not a second more.
    @Test(arguments: [
        ("exp", -59.0, "accepted"), ("exp", -60.0, "token expired"),
        ("nbf", 60.0, "accepted"), ("nbf", 61.0, "token not yet valid"),
        ("iat", 60.0, "accepted"), ("iat", 61.0, "issued in the future"),
    ] as [(String, TimeInterval, String)])
    func everyTimeHasOneLeeway(claim: String, offset: TimeInterval, expected: String) {
        for speaker in Self.speakers {
            #expect(Self.outcome(Self.claims([claim: Self.seconds(offset)]), speaker) == expected, "\(speaker)")
        }
    }

    @Test func theExpiryIsReturned() throws {
        #expect(try Self.check.check(Self.claims(), against: Self.requirements, saidBy: .token) == Self.now + 600)
        #expect(try Self.check.check(Self.claims(["exp": nil]), against: Self.requirements, saidBy: .issuerAnswer(complete: false)) == nil)
    }

    /// What only a complete statement must hold: a token's claims, or an answer about an opaque token.
    @Test func aCompleteStatementNeedsItsAudienceAndExpiry() {
        #expect(Self.outcome(Self.claims(["exp": nil]), .token) == "missing exp")
        #expect(Self.outcome(Self.claims(["exp": nil]), .issuerAnswer(complete: true)) == "missing exp")
        #expect(Self.outcome(Self.claims(["exp": nil]), .issuerAnswer(complete: false)) == "accepted")
        #expect(Self.outcome(Self.claims(["aud": nil]), .token) == "wrong audience")
        #expect(Self.outcome(Self.claims(["aud": nil]), .issuerAnswer(complete: true)) == "wrong audience")
        #expect(Self.outcome(Self.claims(["aud": nil]), .issuerAnswer(complete: false)) == "accepted")
        #expect(Self.outcome(Self.claims(["iss": nil]), .token) == "wrong issuer")
        #expect(Self.outcome(Self.claims(["iss": nil]), .issuerAnswer(complete: true)) == "accepted")
    }

    /// An issuer's answer is read in INDIGO IAM's spellings; a token's claims are not.
    @Test func anAnswerIsReadInTheIssuersSpellings() {
        let slashed = Self.claims(["iss": .string("https://iam.example/")])
        #expect(Self.outcome(slashed, .token) == "wrong issuer")
        #expect(Self.outcome(slashed, .issuerAnswer(complete: true)) == "accepted")
        let joined = Self.claims(["aud": .string("other api")])
        #expect(Self.outcome(joined, .token) == "wrong audience")
        #expect(Self.outcome(joined, .issuerAnswer(complete: true)) == "accepted")
        #expect(IssuerIdentifier.same("https://iam.example/", "https://iam.example"))
        #expect(!IssuerIdentifier.same("https://evil.example", "https://iam.example"))
    }

    @Test func theScopeIsCheckedForEverySpeaker() {
        for speaker in Self.speakers {
            #expect(Self.outcome(Self.claims(["scope": .string("openid")]), speaker) == "missing scope 'api-service'")
        }
    }

    /// The scope claim is read in place (`hasScope`): it must hold exactly what splitting it on spaces
    /// held, whole scopes compared byte for byte.
    @Test(arguments: [
        ("api-service", true), ("openid api-service", true), ("api-service openid", true),
        ("  api-service  ", true), ("openid  api-service", true), ("a api-service b", true),
        ("api-service2", false), ("xapi-service", false), ("api", false), ("api-servic", false),
        ("api-service\topenid", false), ("", false), ("   ", false), ("API-SERVICE", false),
    ])
    func scopesAreWholeAndByBytes(claim: String, held: Bool) {
        let claims = Self.claims(["scope": .string(claim)])
        #expect(claims.hasScope("api-service") == held, "\(claim.debugDescription)")
        #expect(claims.scopes.containsBytes(of: "api-service") == held, "\(claim.debugDescription)")
        #expect(Self.outcome(claims, .token) == (held ? "accepted" : "missing scope 'api-service'"))
    }

    @Test func aScopeIsComparedByItsBytesNotAsUnicodeText() {
        let composed = Self.claims(["scope": .string("caf\u{E9}")])
        #expect(composed.hasScope("caf\u{E9}"))
        #expect(!composed.hasScope("cafe\u{301}"))
        #expect(!Self.claims(["scope": .array([.string("api-service")])]).hasScope("api-service"))
        #expect(!Self.claims(["scope": nil]).hasScope("api-service"))
        #expect(!Self.claims(["scope": .string("a b")]).hasScope(""))
    }

    /// RFC 6749 §3.3 separates scopes by SP, the byte 0x20. Swift's `Character` split read a space a
    /// combining mark follows as no separator, so an issuer's two scopes were one (which denied).
    @Test func aSpaceIsASeparatorWhateverFollowsIt() {
        let claims = Self.claims(["scope": .string("api-service \u{301}x")])
        #expect(claims.scopes == ["api-service", "\u{301}x"])
        #expect(claims.hasScope("api-service"))
        #expect(TokenClaims.spaceSeparated("a \u{301}b  c ") == ["a", "\u{301}b", "c"])
        let audience = Self.claims(["aud": .string("other \u{301}api")])
        #expect(Self.outcome(audience, .issuerAnswer(complete: true)) == "wrong audience")
        let split = Self.claims(["aud": .string("api \u{301}other")])
        #expect(Self.outcome(split, .issuerAnswer(complete: true)) == "accepted")
    }
}
