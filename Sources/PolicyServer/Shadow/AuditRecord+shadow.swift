import PolicyCore
import PolicyDigest

extension AuditRecord {
    /// A decision's `shadow` member: the candidate set's answer where it differs from the live one.
    struct Shadow: Sendable {
        /// `no such policy` when the candidate has no policy for the call.
        let decision: Decision
        /// The candidate set's revision.
        let policyRevision: PolicyRevision
        /// The role through which the answer that allows (the live one for `would_deny`, the
        /// candidate's for `would_allow`) lets the caller in: whose callers the difference is about.
        /// A policy's role name, never a caller's group; nil when neither answer allows, or when one
        /// allows through `not` alone.
        let allowingRole: String?

        /// `,"shadow":{…}`, after the live decision's `reason`.
        func write(into output: inout [UInt8]) {
            output.append(contentsOf: #","shadow":{"is_authorised":"#.utf8)
            output.append(contentsOf: (decision.isAuthorised ? "true" : "false").utf8)
            output.append(contentsOf: #","reason":"#.utf8)
            JSONWriter.appendQuoted(decision.reason, to: &output, maximumBytes: DecisionEvent.maximumReasonBytes)
            // `sha256:` and hex digits: nothing to escape.
            output.append(contentsOf: #","policy_revision":""#.utf8)
            output.append(contentsOf: policyRevision.text.utf8)
            output.append(contentsOf: #"","route_template":"#.utf8)
            AuditRecord.appendQuotedOrNull(decision.reason.routeTemplate, to: &output)
            output.append(contentsOf: #","allowing_role":"#.utf8)
            AuditRecord.appendQuotedOrNull(allowingRole, to: &output)
            output.append(UInt8(ascii: "}"))
        }
    }
}

/// A decision's audit record, written once its shadow decision is made (at once, or when the
/// candidate's token check has waited): with the `shadow` member when the answers differ.
struct AuditRecorder: ShadowRecorder {
    let audit: AuditLog?
    /// Nil when there is no audit log, or the decision is not sampled (`AuditLog.sampled`).
    let record: AuditRecord?
    /// Whether the live check verified the caller. When it did not (a token it refused, a call it
    /// has no policy for), a difference's record names the caller the candidate's check verified.
    let liveVerifiedCaller: Bool
    /// Whether the live set decided the call. A call it has no policy for (a 404, the gateway's
    /// `no such policy`) is no decision: recorded only when the candidate decides it otherwise.
    var liveDecided = true

    func record(_ comparison: ShadowComparison?) {
        guard let audit, let record else { return }
        guard let difference = comparison?.difference else {
            if liveDecided { audit.write(record) }
            return
        }
        var differing = record
        if case .decision(var event) = differing.event {
            event.shadow = difference
            differing.event = .decision(event)
        }
        if !liveVerifiedCaller, let caller = comparison?.caller {
            differing.subject = caller.subject
            differing.issuer = caller.issuer
        }
        audit.write(differing)
    }
}
