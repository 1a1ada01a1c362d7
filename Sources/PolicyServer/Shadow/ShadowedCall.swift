import PolicyCore

/// One call as the shadow needs it: what it asks, of which policy, with which token, and what the
/// live set answered.
struct ShadowedCall<Question: ShadowedQuestion>: Sendable {
    /// The live set's policy, the caller its token check found (or why none) and its decision.
    struct Live: Sendable {
        let policy: Policy
        let caller: AuthorisationCall.Caller
        let decision: Decision
    }

    let type: PolicyType
    /// As asked: a policy's name only when `live` is given.
    let service: String
    let version: VersionSelector
    let question: Question
    let presentedToken: PresentedToken
    /// Nil when the live set has no policy for the call (its answer was a 404).
    let live: Live?
}

/// What the candidate's answer came to.
struct ShadowComparison: Sendable {
    let outcome: ShadowOutcome
    /// The audit record's `shadow` member; nil when the answers are the same.
    let difference: AuditRecord.Shadow?
    /// Who the candidate's token check found, when the answers differ.
    let caller: AuthenticatedCaller?
}

/// Where a shadow decision goes once made: the call's audit record.
protocol ShadowRecorder: Sendable {
    /// Nil when no shadow decision was made (no candidate, or one not loaded yet).
    func record(_ comparison: ShadowComparison?)
}
