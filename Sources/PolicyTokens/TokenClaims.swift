import Foundation

/// Typed access to a token's payload, tolerant where the JWT and OIDC specs allow several shapes.
struct TokenClaims {
    private let values: [String: JSONValue]

    init(_ values: [String: JSONValue]) {
        self.values = values
    }

    var issuer: String? { values["iss"]?.stringValue }

    var subject: String? { values["sub"]?.stringValue }

    /// RFC 7519 §4.1.3: a single string or an array of strings.
    var audiences: [String] {
        switch values["aud"] {
        case .string(let audience)?: [audience]
        case .array(let audiences)?: audiences.compactMap(\.stringValue)
        default: []
        }
    }

    /// RFC 8693 §4.2: space-separated.
    var scopes: [String] {
        values["scope"]?.stringValue?.split(separator: " ").map(String.init) ?? []
    }

    /// Falls back to `wlcg.groups` (WLCG common JWT profile) when the configured claim is absent.
    func groups(claim: String) -> [String] {
        guard case .array(let entries)? = values[claim] ?? values["wlcg.groups"] else { return [] }
        return entries.compactMap(\.stringValue)
    }

    /// A NumericDate claim; present but not a number makes the token malformed.
    func date(_ name: String) throws(TokenRejection) -> Date? {
        guard let value = values[name] else { return nil }
        guard let seconds = value.numberValue else { throw .malformedToken }
        return Date(timeIntervalSince1970: seconds)
    }
}
