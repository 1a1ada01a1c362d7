import Foundation
import PolicyCore

/// One decision, as the audit log keeps it: who asked what, the answer and why, and how long it took.
/// Never the token: the caller is named by its `sub` and `iss`, once the token is verified.
struct AuditRecord {
    let time: Date
    let endpoint: String
    let service: String
    let type: PolicyType
    /// The version of the policy that decided.
    let version: Int
    /// As asked: a template or a concrete path (route decisions only).
    let route: String?
    /// The template that decided, when one did.
    let routeTemplate: String?
    let method: String?
    let decision: Decision
    let subject: String?
    let issuer: String?
    /// Where the authorised token came from (`query` or `header`), when one was presented.
    var tokenSource: String? = nil
    let latency: Duration

    /// The record as one line of compact JSON and its newline, appended to `output` as bytes: one
    /// is written per decision, and assembling it as a `String` (twenty appends, a formatted date)
    /// was a tenth of an authorisation's CPU.
    func write(into output: inout [UInt8]) {
        output.append(contentsOf: #"{"time":""#.utf8)
        Timestamp.append(time, to: &output)
        output.append(contentsOf: #"","endpoint":"#.utf8)
        JSONWriter.appendQuoted(endpoint, to: &output)
        output.append(contentsOf: #","service":"#.utf8)
        JSONWriter.appendQuoted(service, to: &output)
        output.append(contentsOf: #","type":"#.utf8)
        JSONWriter.appendQuoted(type.rawValue, to: &output)
        output.append(contentsOf: #","version":"#.utf8)
        Self.appendDecimal(Int64(version), to: &output)
        output.append(contentsOf: #","route":"#.utf8)
        Self.appendQuotedOrNull(route.map { ClippedText.string(Self.beforeQuery($0), maximumBytes: Self.maximumRouteBytes) }, to: &output)
        output.append(contentsOf: #","route_template":"#.utf8)
        Self.appendQuotedOrNull(routeTemplate, to: &output)
        output.append(contentsOf: #","method":"#.utf8)
        Self.appendQuotedOrNull(method.map { ClippedText.string($0[...], maximumBytes: Self.maximumMethodBytes) }, to: &output)
        output.append(contentsOf: (decision.isAuthorised ? #","is_authorised":true"# : #","is_authorised":false"#).utf8)
        output.append(contentsOf: #","reason":"#.utf8)
        JSONWriter.appendQuoted(decision.reason, to: &output, maximumBytes: Self.maximumReasonBytes)
        output.append(contentsOf: #","sub":"#.utf8)
        Self.appendQuotedOrNull(subject, to: &output)
        output.append(contentsOf: #","iss":"#.utf8)
        Self.appendQuotedOrNull(issuer, to: &output)
        output.append(contentsOf: #","token_source":"#.utf8)
        Self.appendQuotedOrNull(tokenSource, to: &output)
        output.append(contentsOf: #","latency_us":"#.utf8)
        Self.appendDecimal(latency.nanoseconds / 1000, to: &output)
        output.append(contentsOf: "}\n".utf8)
    }

    /// The record's line, without its newline (for tests and messages).
    var line: String {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return String(decoding: bytes.dropLast(), as: UTF8.self)
    }

    private static func appendQuotedOrNull(_ text: String?, to output: inout [UInt8]) {
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

    private static func appendDecimal(_ value: UInt64, to output: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &output) }
        output.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// What a client writes lands in the log only this far: a route or method field can carry
    /// anything, a token or a megabyte included.
    static let maximumRouteBytes = 1024
    static let maximumMethodBytes = DecisionReason.maximumMethodBytes
    static let maximumReasonBytes = 1024

    /// A route never has a query (spec 2.5: `?` matches nothing); what follows one is no route and
    /// may be a token.
    private static func beforeQuery(_ route: String) -> Substring {
        // By bytes: `?` is ASCII, and a Character search walks grapheme clusters.
        guard let question = route.utf8.firstIndex(of: UInt8(ascii: "?")) else { return route[...] }
        return route[..<question]
    }

}
