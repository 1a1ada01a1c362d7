import Foundation
import PolicyCore
@testable import PolicyServer
import PolicyTokens
import Testing

/// An introspection answer checked as a token's claims are, in process: the same leeway rule for
/// every time it states (`exp`, `nbf`, `iat`), the same reasons, named after the answer.
@Suite struct GroupAnswerCheckTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let leeway: TimeInterval = 60
    static let requirements = TokenRequirements(
        issuer: "https://iam.example", audience: "data-management-api", scope: "data-management-api-service")

    static func seconds(_ offset: TimeInterval) -> JSONValue {
        .number(JSONNumber(Int64(now.timeIntervalSince1970 + offset)))
    }

    /// An answer about an opaque token, as INDIGO IAM writes it, with `changes` made.
    static func answer(_ changes: [String: JSONValue]) -> TokenClaims {
        var values: [String: JSONValue] = [
            "active": .bool(true), "iss": .string("https://iam.example/"), "aud": .string("data-management-api"),
            "sub": .string("tester"), "scope": .string("openid data-management-api-service"), "exp": seconds(600),
            "groups": .array([.string("data/namespaces/testing/viewer")]),
        ]
        values.merge(changes) { $1 }
        return TokenClaims(values)
    }

    static func rejection(_ claims: TokenClaims) -> String? {
        let check = GroupAnswerCheck(leeway: leeway, groupsClaim: "groups", now: now)
        do {
            _ = try check.caller(
                from: claims, source: .introspection, requirements: requirements, verified: nil,
                trustedUntil: now.addingTimeInterval(300))
            return nil
        } catch {
            return error.reason
        }
    }

    /// Within the leeway on either side of a time, the answer holds; beyond it, it is refused,
    /// exactly where a token's own claim would be.
    @Test(arguments: [
        ("exp", -59.0, nil), ("exp", -60.0, "introspection: token expired"),
        ("nbf", 59.0, nil), ("nbf", 61.0, "introspection: token not yet valid"),
        ("iat", 59.0, nil), ("iat", 61.0, "introspection: issued in the future"),
    ] as [(String, TimeInterval, String?)])
    func everyTimeHasTheTokensLeeway(claim: String, offset: TimeInterval, reason: String?) {
        #expect(Self.rejection(Self.answer([claim: Self.seconds(offset)])) == reason)
    }

    @Test func aTimeThatIsNoNumberRefusesTheAnswer() {
        #expect(Self.rejection(Self.answer(["nbf": .string("soon")])) == "introspection: malformed claim 'nbf': not a number")
    }
}
