import Foundation
import PolicyCore

/// The `groups` member of an issuer in `/health`: where its callers' groups come from and, for an issuer
/// that is asked, how asking has gone (the last answer, the last failure). It does not make health fail:
/// an unreachable identity provider is not cured by taking every replica out of service, and what it
/// costs (denials with their reason) shows in the metrics.
struct GroupSourceReport: Sendable {
    let sources: [String: GroupSource]
    let introspectionURLs: [String: String]
    let userinfoURLs: [String: String]
    let board: GroupLookupStatusBoard

    func json(for issuer: String) -> JSONValue {
        let source = sources[issuer] ?? .jwt
        var members = [JSONMember("source", .string(source.rawValue))]
        let configured: String? = switch source {
        case .jwt: nil
        case .introspection: introspectionURLs[issuer]
        case .userinfo: userinfoURLs[issuer]
        }
        if source != .jwt {
            members.append(JSONMember("endpoint", .string(configured ?? "discovery")))
        }
        if source != .jwt, let status = board.status(of: issuer) {
            if let lastSuccess = status.lastSuccess {
                members.append(JSONMember("last_success", .string(Timestamp.text(lastSuccess))))
            }
            if let error = status.lastError, let at = status.lastErrorAt {
                members.append(JSONMember("last_error", .string(error)))
                members.append(JSONMember("last_error_at", .string(Timestamp.text(at))))
            }
        }
        return .object(members)
    }
}
