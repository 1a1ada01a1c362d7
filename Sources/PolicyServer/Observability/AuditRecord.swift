import Foundation
import PolicyCore
import PolicyDigest

/// One line of the audit log: a decision (who asked what, the answer and why) or a group-membership
/// search (who asked, how many groups asked and answered), how long it took, and the request's
/// correlation (spec 4.1). Never the token: the caller is named by its `sub` and `iss`, once the token
/// is verified; never the name of a group the caller does not hold.
struct AuditRecord {
    let time: Date
    let endpoint: String
    var event: Event
    var subject: String?
    var issuer: String?
    /// Where the authorised token came from (`query` or `header`), when one was presented.
    let tokenSource: String?
    let latency: Duration
    let correlation: Correlation?
    /// The revision of the policy set serving: for a decision, the one that decided it.
    let policyRevision: PolicyRevision

    enum Event {
        case decision(DecisionEvent)
        case groupSearch(GroupSearchEvent)
    }

    struct DecisionEvent {
        let service: String
        let type: PolicyType
        /// The version of the policy that decided; nil when the live set has none (the call's only
        /// decision is the candidate's, see `shadow`).
        let version: Int?
        /// As asked: a template or a concrete path (route decisions only).
        let route: String?
        /// The template that decided, when one did.
        let routeTemplate: String?
        let method: String?
        let decision: Decision
        /// The candidate set's answer, when it differs (`--shadow-policies`).
        var shadow: Shadow?
    }

    /// A GMS search (spec 4.2): counts only, so that the record never names a group the caller
    /// does not hold.
    struct GroupSearchEvent {
        /// Distinct `group=` values; 0 when every group the caller holds was asked for.
        let asked: Int
        /// Lines of the answer.
        let answered: Int
        /// Groups the caller holds, and asked for, left out of the answer: their names hold bytes the
        /// opencadc client refuses.
        let leftOut: Int
        /// Why no answer was given (no usable token); nil when one was.
        let refusal: String?
    }

    /// A decision's record.
    init(
        time: Date, endpoint: String, service: String, type: PolicyType, version: Int?, route: String?,
        routeTemplate: String?, method: String?, decision: Decision, subject: String?, issuer: String?,
        tokenSource: String? = nil, latency: Duration, correlation: Correlation? = nil, policyRevision: PolicyRevision
    ) {
        self.init(
            time: time, endpoint: endpoint,
            event: .decision(DecisionEvent(
                service: service, type: type, version: version, route: route, routeTemplate: routeTemplate,
                method: method, decision: decision)),
            subject: subject, issuer: issuer, tokenSource: tokenSource, latency: latency, correlation: correlation,
            policyRevision: policyRevision)
    }

    init(
        time: Date, endpoint: String, event: Event, subject: String?, issuer: String?, tokenSource: String?,
        latency: Duration, correlation: Correlation?, policyRevision: PolicyRevision
    ) {
        self.time = time
        self.endpoint = endpoint
        self.event = event
        self.subject = subject
        self.issuer = issuer
        self.tokenSource = tokenSource
        self.latency = latency
        self.correlation = correlation
        self.policyRevision = policyRevision
    }

    /// The record as one line of compact JSON and its newline, appended to `output` as bytes: one
    /// is written per decision, and assembling it as a `String` (twenty appends, a formatted date)
    /// was a tenth of an authorisation's CPU.
    func write(into output: inout [UInt8]) {
        output.append(contentsOf: #"{"time":""#.utf8)
        Timestamp.append(time, to: &output)
        output.append(contentsOf: #"","endpoint":"#.utf8)
        JSONWriter.appendQuoted(endpoint, to: &output)
        // `sha256:` and hex digits: nothing to escape, so its bytes as they are.
        output.append(contentsOf: #","policy_revision":""#.utf8)
        output.append(contentsOf: policyRevision.text.utf8)
        output.append(UInt8(ascii: "\""))
        switch event {
        case .decision(let decision): decision.write(into: &output)
        case .groupSearch(let search): search.write(into: &output)
        }
        output.append(contentsOf: #","sub":"#.utf8)
        Self.appendQuotedOrNull(subject, to: &output)
        output.append(contentsOf: #","iss":"#.utf8)
        Self.appendQuotedOrNull(issuer, to: &output)
        output.append(contentsOf: #","token_source":"#.utf8)
        Self.appendQuotedOrNull(tokenSource, to: &output)
        output.append(contentsOf: #","latency_us":"#.utf8)
        Self.appendDecimal(latency.nanoseconds / 1000, to: &output)
        output.append(contentsOf: #","request_id":"#.utf8)
        Self.appendQuotedOrNull(correlation?.requestID, to: &output)
        output.append(contentsOf: #","correlation_id":"#.utf8)
        Self.appendQuotedOrNull(correlation?.correlationID, to: &output)
        output.append(contentsOf: #","trace_id":"#.utf8)
        Self.appendQuotedOrNull(correlation?.traceID, to: &output)
        output.append(contentsOf: #","calling_service":"#.utf8)
        Self.appendQuotedOrNull(correlation?.callingService, to: &output)
        output.append(contentsOf: "}\n".utf8)
    }

    /// The record's line, without its newline (for tests and messages).
    var line: String {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return String(decoding: bytes.dropLast(), as: UTF8.self)
    }

    static func appendQuotedOrNull(_ text: String?, to output: inout [UInt8]) {
        if let text { JSONWriter.appendQuoted(text, to: &output) } else { output.append(contentsOf: "null".utf8) }
    }

    static func appendDecimal(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 {
            output.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(value.magnitude), to: &output)
        } else {
            appendDecimal(UInt64(value), to: &output)
        }
    }

    static func appendDecimal(_ value: UInt64, to output: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &output) }
        output.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
