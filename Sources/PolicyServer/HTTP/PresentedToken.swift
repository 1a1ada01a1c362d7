import Foundation
import Hummingbird

/// The token a request asks about (spec section 1, and what the real callers send):
/// - `?token=` is the token being authorised. An `Authorization` header beside it is the caller's
///   own credential for the Permissions API (a session's token for audience `permissions-api`, or
///   the user's original token that opencadc's transport adds while the query carries the exchanged
///   one): it neither replaces the query's token nor causes a refusal, whatever it holds.
/// - With no `?token=`, the `Authorization: Bearer` header's token is the one authorised.
/// Two different query tokens, two different header tokens (with no query token), or a header that
/// is not a Bearer token (with no query token) are denials, never error statuses, so that callers
/// which read only `is_authorised` deny. Safe: whichever token is authorised, policyd verifies it and
/// decides on its own claims; a caller can only ever be granted what a token it holds is granted.
enum PresentedToken: Equatable {
    enum Source: String, Sendable {
        case query
        case header
    }

    case token(String, from: Source)
    case denied(reason: String)

    static let missing = PresentedToken.denied(reason: "missing token")
    static let conflicting = PresentedToken.denied(reason: "two different tokens given")
    static let notBearer = PresentedToken.denied(reason: "the Authorization header is not a Bearer token")

    /// Stops at the second distinct token: comparing each with every other would make thousands of
    /// values cost seconds (their number is bounded by the query's own limit too).
    init(headers: HTTPFields, query: QueryString) {
        switch Self.single(query.items.lazy.filter { $0.name.utf8.elementsEqual("token".utf8) }.map(\.value)) {
        case .some(.some(let token)):
            self = .token(token, from: .query)
            return
        case .some(.none):
            self = .conflicting
            return
        case .none:
            break
        }
        var bearers: [String] = []
        for authorization in headers[values: .authorization] {
            guard let token = Self.bearerToken(authorization) else {
                self = .notBearer
                return
            }
            bearers.append(token)
        }
        switch Self.single(bearers) {
        case .some(.some(let token)): self = .token(token, from: .header)
        case .some(.none): self = .conflicting
        case .none: self = .missing
        }
    }

    /// Nil when no non-empty value is given; `.some(nil)` when two different ones are; else the one.
    private static func single(_ values: some Sequence<String>) -> String?? {
        var found: String?
        for value in values where !value.utf8.isEmpty {
            guard let first = found else {
                found = value
                continue
            }
            if !first.utf8.elementsEqual(value.utf8) { return .some(nil) }
        }
        return found.map { .some($0) }
    }

    /// RFC 6750 §2.1: the scheme is case-insensitive, one or more spaces follow it. Works on the UTF-8
    /// bytes: Foundation's trimming goes through UTF-16 and cost a fifth of a request's CPU.
    private static func bearerToken(_ header: String) -> String? {
        let bytes = header.utf8
        var start = bytes.startIndex
        while start != bytes.endIndex, Self.isBlank(bytes[start]) { start = bytes.index(after: start) }
        var schemeEnd = start
        while schemeEnd != bytes.endIndex, !Self.isBlank(bytes[schemeEnd]) { schemeEnd = bytes.index(after: schemeEnd) }
        guard bytes[start..<schemeEnd].elementsEqual("bearer".utf8, by: { Self.asciiLowercased($0) == $1 }) else {
            return nil
        }
        var tokenStart = schemeEnd
        while tokenStart != bytes.endIndex, Self.isBlank(bytes[tokenStart]) { tokenStart = bytes.index(after: tokenStart) }
        var tokenEnd = bytes.endIndex
        while tokenEnd != tokenStart, Self.isBlank(bytes[bytes.index(before: tokenEnd)]) { tokenEnd = bytes.index(before: tokenEnd) }
        return String(Substring(header.utf8[tokenStart..<tokenEnd]))
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
