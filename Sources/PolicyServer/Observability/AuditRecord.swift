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
    let latency: Duration

    /// The record as one line of compact JSON (no newline), written directly rather than through a
    /// `JSONValue`: one is written per decision.
    var line: String {
        var line = #"{"time":"# + JSONWriter.quoted(Self.timestamp(time))
        line += #","endpoint":"# + JSONWriter.quoted(endpoint)
        line += #","service":"# + JSONWriter.quoted(service)
        line += #","type":"# + JSONWriter.quoted(type.rawValue)
        line += #","version":"# + String(version)
        line += #","route":"# + Self.quotedOrNull(route)
        line += #","route_template":"# + Self.quotedOrNull(routeTemplate)
        line += #","method":"# + Self.quotedOrNull(method)
        line += #","is_authorised":"# + (decision.isAuthorised ? "true" : "false")
        line += #","reason":"# + JSONWriter.quoted(decision.reason.description)
        line += #","sub":"# + Self.quotedOrNull(subject)
        line += #","iss":"# + Self.quotedOrNull(issuer)
        line += #","latency_us":"# + String(latency.nanoseconds / 1000) + "}"
        return line
    }

    private static func quotedOrNull(_ text: String?) -> String {
        text.map(JSONWriter.quoted) ?? "null"
    }

    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private static func timestamp(_ date: Date) -> String {
        date.formatted(timeFormat)
    }
}
