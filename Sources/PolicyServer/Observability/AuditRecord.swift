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

    /// The record as one line of compact JSON (no newline), written directly rather than through a
    /// `JSONValue`: one is written per decision.
    var line: String {
        var line = #"{"time":"# + JSONWriter.quoted(Timestamp.text(time))
        line += #","endpoint":"# + JSONWriter.quoted(endpoint)
        line += #","service":"# + JSONWriter.quoted(service)
        line += #","type":"# + JSONWriter.quoted(type.rawValue)
        line += #","version":"# + String(version)
        line += #","route":"# + Self.quotedOrNull(route.map { Self.clipped(Self.beforeQuery($0), to: Self.maximumRouteBytes) })
        line += #","route_template":"# + Self.quotedOrNull(routeTemplate)
        line += #","method":"# + Self.quotedOrNull(method.map { Self.clipped($0[...], to: Self.maximumMethodBytes) })
        line += #","is_authorised":"# + (decision.isAuthorised ? "true" : "false")
        line += #","reason":"# + JSONWriter.quoted(Self.clipped(decision.reason.description[...], to: Self.maximumReasonBytes))
        line += #","sub":"# + Self.quotedOrNull(subject)
        line += #","iss":"# + Self.quotedOrNull(issuer)
        line += #","token_source":"# + Self.quotedOrNull(tokenSource)
        line += #","latency_us":"# + String(latency.nanoseconds / 1000) + "}"
        return line
    }

    /// What a client writes lands in the log only this far: a route or method field can carry
    /// anything, a token or a megabyte included.
    static let maximumRouteBytes = 1024
    static let maximumMethodBytes = 32
    static let maximumReasonBytes = 1024

    /// A route never has a query (spec 2.5: `?` matches nothing); what follows one is no route and
    /// may be a token.
    private static func beforeQuery(_ route: String) -> Substring {
        route.firstIndex(of: "?").map { route[..<$0] } ?? route[...]
    }

    /// At most `maximum` bytes, cut at a character boundary, with `…` where something was cut.
    static func clipped(_ text: Substring, to maximum: Int) -> String {
        guard text.utf8.count > maximum else { return String(text) }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: maximum)
        // Back to the start of a scalar: UTF-8 continuation bytes are 0b10xxxxxx.
        while end > text.utf8.startIndex, text.utf8[end] & 0xC0 == 0x80 { end = text.utf8.index(before: end) }
        return String(Substring(text.utf8[..<end])) + "…"
    }

    private static func quotedOrNull(_ text: String?) -> String {
        text.map(JSONWriter.quoted) ?? "null"
    }

}
