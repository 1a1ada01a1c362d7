import PolicyCore
@testable import PolicyServer
import Testing

/// How a candidate's answer compares with the live one (`policyd_shadow_decisions_total`'s
/// `outcome`), for every pair of answers, a policy missing on either side included.
@Suite struct ShadowOutcomeTests {
    static let allow = Decision(isAuthorised: true, reason: .exchangeExpression(holds: true))
    static let deny = Decision.denied(.exchangeExpression(holds: false))
    static let refused = Decision.denied(.token("token expired"))

    @Test(arguments: [
        (allow, allow, ShadowOutcome.same),
        (deny, deny, .same),
        (refused, deny, .same),
        (deny, allow, .wouldAllow),
        (refused, allow, .wouldAllow),
        (allow, deny, .wouldDeny),
        (allow, refused, .wouldDeny),
    ])
    func bothHaveThePolicy(live: Decision, shadow: Decision, outcome: ShadowOutcome) {
        #expect(ShadowOutcome(live: live, shadow: shadow) == outcome)
    }

    /// A policy the candidate drops is a difference even where the live set denies: the call
    /// would no longer be decided at all.
    @Test(arguments: [allow, deny, refused])
    func theCandidateLacksThePolicy(live: Decision) {
        #expect(ShadowOutcome(live: live, shadow: nil) == .wouldDeny)
    }

    /// The live answer was a 404: the candidate's answer is the difference, whichever it is.
    @Test func theLiveSetLacksThePolicy() {
        #expect(ShadowOutcome(live: nil, shadow: Self.allow) == .wouldAllow)
        #expect(ShadowOutcome(live: nil, shadow: Self.deny) == .wouldDeny)
        #expect(ShadowOutcome(live: nil, shadow: Self.refused) == .wouldDeny)
    }

    @Test func neitherHasThePolicy() {
        #expect(ShadowOutcome(live: nil, shadow: nil) == .same)
    }

    @Test func theLabelValues() {
        #expect([ShadowOutcome.same, .wouldAllow, .wouldDeny].map(\.rawValue) == ["same", "would_allow", "would_deny"])
    }
}
