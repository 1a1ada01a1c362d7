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

    var json: JSONValue {
        .object([
            JSONMember("time", .string(Self.timestamp(time))),
            JSONMember("endpoint", .string(endpoint)),
            JSONMember("service", .string(service)),
            JSONMember("type", .string(type.rawValue)),
            JSONMember("version", .number(JSONNumber(Int64(version)))),
            JSONMember("route", route.map(JSONValue.string) ?? .null),
            JSONMember("route_template", routeTemplate.map(JSONValue.string) ?? .null),
            JSONMember("method", method.map(JSONValue.string) ?? .null),
            JSONMember("is_authorised", .bool(decision.isAuthorised)),
            JSONMember("reason", .string(decision.reason.description)),
            JSONMember("sub", subject.map(JSONValue.string) ?? .null),
            JSONMember("iss", issuer.map(JSONValue.string) ?? .null),
            JSONMember("latency_us", .number(JSONNumber(latency.nanoseconds / 1000))),
        ])
    }

    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private static func timestamp(_ date: Date) -> String {
        date.formatted(timeFormat)
    }
}
