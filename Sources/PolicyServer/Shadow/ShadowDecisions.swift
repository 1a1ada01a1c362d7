import PolicyCore
import PolicyTokens

/// Every decision made again against the candidate set of `--shadow-policies`, once the live answer
/// is handed on: compared (`ShadowOutcome`), counted (`policyd_shadow_decisions_total`) and, when the
/// answers differ, described for the call's audit record (`AuditRecord.Shadow`). The live answer
/// never depends on it.
///
/// The caller is the live one when the candidate's policy asks the same of a token (issuer,
/// audience and scope, by their bytes) as the live policy: the same caller, or the same refusal,
/// without a second verification. Otherwise the token is looked up for the candidate's requirements
/// (`TokenAuthenticator.lookUp`: the cache, or a verification at once with keys in hand), and when
/// that has to wait (keys to fetch, an issuer to ask) the shadow decision is finished off the event
/// loop, in a task of its own, and the call's audit record is written only then (or, at shutdown,
/// without the shadow decision if it has not ended by then: `WaitingShadowDecisions`).
///
/// A class: every call reads it, and a struct of this size was copied (a retain for each of its
/// references) on each.
final class ShadowDecisions: Sendable {
    let candidates: ShadowPolicyStore
    let authenticator: TokenAuthenticator
    let metrics: PolicydMetrics
    /// The decisions finishing in a task, for shutdown to wait for.
    let waiting = WaitingShadowDecisions()

    init(candidates: ShadowPolicyStore, authenticator: TokenAuthenticator, metrics: PolicydMetrics) {
        self.candidates = candidates
        self.authenticator = authenticator
        self.metrics = metrics
    }

    /// Decides `call` against the candidate set and hands the comparison to `recorder`: at once, or
    /// from a task when the token must be verified for the candidate's requirements. Nil is handed
    /// on at once while the candidate has not loaded: no shadow decision then.
    func decide<Question, Recorder: ShadowRecorder>(_ call: ShadowedCall<Question>, then recorder: Recorder) {
        guard let snapshot = candidates.serving else { return recorder.record(nil) }
        guard let policy = snapshot.policies.policy(type: call.type, service: call.service, version: call.version) else {
            return recorder.record(compare(call, against: nil, in: snapshot))
        }
        if let live = call.live, Self.asksTheSame(of: live.policy, as: policy) {
            return recorder.record(compare(call, against: (policy, live.caller), in: snapshot))
        }
        switch call.presentedToken {
        case .denied(let reason):
            recorder.record(compare(call, against: (policy, .refused(reason)), in: snapshot))
        case .token(let token, _):
            switch authenticator.lookUp(token, for: policy) {
            case .answered(let authentication):
                recorder.record(compare(call, against: (policy, .init(authentication)), in: snapshot))
            case .needsVerification(let pending):
                let id = waiting.hold(recorder)
                Task {
                    let caller = AuthorisationCall.Caller(await self.authenticator.verify(pending))
                    let comparison = self.compare(call, against: (policy, caller), in: snapshot)
                    self.waiting.take(id)?.record(comparison)
                }
            }
        }
    }

    /// The candidate's answer, compared and counted: its policy decides for the caller found for it,
    /// or, when it has no policy for the call (`candidate` nil), `no such policy`.
    private func compare<Question>(
        _ call: ShadowedCall<Question>, against candidate: (policy: Policy, caller: AuthorisationCall.Caller)?,
        in snapshot: PolicyStore.Snapshot
    ) -> ShadowComparison {
        let policy = candidate?.policy, caller = candidate?.caller
        let decision = candidate.map { policy, caller -> Decision in
            switch caller {
            case .verified(let verified): call.question.decide(policy, groups: verified.groups)
            case .refused(let reason): .denied(.token(reason))
            }
        }
        let outcome = ShadowOutcome(live: call.live?.decision, shadow: decision)
        // Names from the policies only: a caller's name for a service no set has must not become a label.
        let service = call.live?.policy.identity.name ?? policy?.identity.name ?? ShadowOutcome.noPolicyService
        metrics.recordShadowDecision(service: service, type: call.type, outcome: outcome)
        guard outcome != .same else { return ShadowComparison(outcome: outcome, difference: nil, caller: nil) }
        let difference = AuditRecord.Shadow(
            decision: decision ?? .denied(.noSuchPolicy), policyRevision: snapshot.revision,
            allowingRole: allowingRole(call, outcome: outcome, candidate: policy, caller: caller))
        let verified: AuthenticatedCaller? = if case .verified(let verified) = caller { verified } else { nil }
        return ShadowComparison(outcome: outcome, difference: difference, caller: verified)
    }

    /// The role of the answer that allows, the live one or the candidate's: whose callers the
    /// difference is about.
    private func allowingRole<Question>(
        _ call: ShadowedCall<Question>, outcome: ShadowOutcome, candidate: Policy?, caller: AuthorisationCall.Caller?
    ) -> String? {
        switch outcome {
        case .wouldAllow:
            guard let candidate, case .verified(let verified) = caller else { return nil }
            return call.question.allowingRole(candidate, groups: verified.groups)
        case .wouldDeny:
            guard let live = call.live, live.decision.isAuthorised, case .verified(let verified) = live.caller else { return nil }
            return call.question.allowingRole(live.policy, groups: verified.groups)
        case .same:
            return nil
        }
    }

    /// Whether a token valid for one policy is valid for the other: the same issuer, audience and
    /// scope, byte for byte (as tokens are checked).
    static func asksTheSame(of live: Policy, as candidate: Policy) -> Bool {
        TokenAuthenticator.requirements(of: live) == TokenAuthenticator.requirements(of: candidate)
    }
}
