import PolicyCore

/// How a decision made against the candidate set compares with the live one
/// (`policyd_shadow_decisions_total`'s `outcome`).
enum ShadowOutcome: String, Sendable {
    case same
    /// The candidate would allow what the live set does not (a live 404 included).
    case wouldAllow = "would_allow"
    /// The candidate would deny what the live set allows, or has no policy where the live set has one.
    case wouldDeny = "would_deny"

    /// The `service` label of a call neither set has a policy for: the name in the call is the
    /// caller's, and a label must never take a value a caller chose.
    static let noPolicyService = "(no such policy)"

    /// `live` and `shadow` are nil when that set has no policy for the call (the live answer then is
    /// a 404, the candidate's `no such policy`). The answers compare by `is_authorised`, with one
    /// exception: a policy present in one set only is a difference whatever the answers, since the
    /// candidate would change which calls are decided at all.
    init(live: Decision?, shadow: Decision?) {
        switch (live, shadow) {
        case (nil, nil): self = .same
        case (.some, nil): self = .wouldDeny
        case (let live, let shadow?):
            if let live, live.isAuthorised == shadow.isAuthorised {
                self = .same
            } else {
                self = shadow.isAuthorised ? .wouldAllow : .wouldDeny
            }
        }
    }
}
