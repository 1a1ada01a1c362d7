import Foundation
import PolicyCore

/// Typed access to a token's payload, tolerant where the JWT and OIDC specs allow several shapes, and
/// strict where reading less than the issuer wrote could grant more. Public because an introspection
/// or userinfo answer (RFC 7662 §2.2, OIDC Core §5.3.2) uses the same claim names and is read the same way.
public struct TokenClaims: Sendable {
    /// NumericDates (RFC 7519 §2) from 1970 to the end of year 9999: beyond, a date means nothing for a
    /// token, and keeping to it keeps every later computation with the date finite.
    public static let numericDateRange: ClosedRange<Double> = 0...253_402_300_799

    public let values: [String: JSONValue]

    public init(_ values: [String: JSONValue]) {
        self.values = values
    }

    public var issuer: String? { values["iss"]?.stringValue }

    public var subject: String? { values["sub"]?.stringValue }

    /// RFC 7519 §4.1.3: a single string or an array of strings. Other entries are skipped: an audience
    /// only ever has to be found, so reading less can only deny.
    public var audiences: [String] {
        switch values["aud"] {
        case .string(let audience)?: [audience]
        case .array(let audiences)?: audiences.compactMap(\.stringValue)
        default: []
        }
    }

    /// RFC 8693 §4.2: space-separated. Not a string counts as no scopes, which can only deny.
    public var scopes: [String] {
        values["scope"]?.stringValue.map(Self.spaceSeparated) ?? []
    }

    /// Whether `scopes` holds `scope`, byte for byte (spec 2.5), read in place: asked on every first
    /// call, where splitting the claim into strings cost more than the rest of the claims check.
    public func hasScope(_ scope: String) -> Bool {
        guard let text = values["scope"]?.stringValue else { return false }
        return Self.items(of: text).contains { $0.elementsEqual(scope.utf8) }
    }

    /// The items of a space-separated list (a scope claim, INDIGO IAM's audiences), split at each byte
    /// 0x20 (RFC 6749 §3.3's SP), never at a space a combining mark follows: Swift's `Character`
    /// split keeps `" \u{301}"` whole, and would read one item where the issuer wrote two.
    public static func spaceSeparated(_ text: String) -> [String] {
        items(of: text).map { String(Substring($0)) }
    }

    /// The one split both read by: at every byte 0x20, empty items dropped.
    private static func items(of text: String) -> [Substring.UTF8View] {
        text.utf8.split(separator: UInt8(ascii: " "))
    }

    /// The caller's groups: the configured claim, or `wlcg.groups` (WLCG common JWT profile) when that is
    /// absent; neither means no groups. A claim that is present but not an array of strings refuses the
    /// token rather than counting as fewer groups: a role under `not` would then hold, so reading less
    /// would grant more.
    public func groups(claim: String) throws(TokenRejection) -> [String] {
        let name = values[claim] == nil ? "wlcg.groups" : claim
        guard let value = values[name] else { return [] }
        guard case .array(let entries) = value else { throw .malformedClaim(name, "not an array of strings") }
        var groups: [String] = []
        groups.reserveCapacity(entries.count)
        for entry in entries {
            guard let group = entry.stringValue else { throw .malformedClaim(name, "not an array of strings") }
            groups.append(group)
        }
        return groups
    }

    /// A NumericDate claim; present but not a number, or a number out of range, refuses the token.
    public func date(_ name: String) throws(TokenRejection) -> Date? {
        guard let value = values[name] else { return nil }
        guard case .number(let number) = value else { throw .malformedClaim(name, "not a number") }
        // A literal beyond Double's range reads as infinite (or not at all): out of range either way.
        guard let seconds = Double(number.literal), Self.numericDateRange.contains(seconds) else {
            throw .malformedClaim(name, "out of range")
        }
        return Date(timeIntervalSince1970: seconds)
    }
}
