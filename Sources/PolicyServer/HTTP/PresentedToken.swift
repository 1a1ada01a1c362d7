import Foundation
import Hummingbird

/// The bearer token of a request: from `Authorization: Bearer …` and/or `?token=`. Anything but exactly
/// one distinct token is a denial reason, never an error status, so that callers which read only
/// `is_authorised` deny.
enum PresentedToken: Equatable {
    case token(String)
    case denied(reason: String)

    static let missing = PresentedToken.denied(reason: "missing token")
    static let conflicting = PresentedToken.denied(reason: "two different tokens given")
    static let notBearer = PresentedToken.denied(reason: "the Authorization header is not a Bearer token")

    init(headers: HTTPFields, query: QueryString) {
        var tokens: [String] = []
        for authorization in headers[values: .authorization] {
            guard let token = Self.bearerToken(authorization) else {
                self = .notBearer
                return
            }
            tokens.append(token)
        }
        tokens += query.values(named: "token")
        let distinct = tokens.filter { !$0.isEmpty }.reduce(into: [String]()) { distinct, token in
            if !distinct.contains(where: { $0.utf8.elementsEqual(token.utf8) }) { distinct.append(token) }
        }
        switch distinct.count {
        case 0: self = .missing
        case 1: self = .token(distinct[0])
        default: self = .conflicting
        }
    }

    /// RFC 6750 §2.1: the scheme is case-insensitive, one or more spaces follow it.
    private static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count >= 1, parts[0].lowercased() == "bearer" else { return nil }
        return parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
    }
}
