import Foundation

/// Where the caller's groups come from, chosen per issuer (`--issuer-groups ISSUER=SOURCE`): an identity
/// provider that does not put groups into its access tokens is asked for them.
public enum GroupSource: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The verified token's own groups claim: no network round trip. The default.
    case jwt
    /// RFC 7662 token introspection with the permissions client's credentials; the only source that
    /// accepts opaque (non-JWT) tokens, since the issuer's answer is then all there is to check.
    case introspection
    /// The OIDC userinfo endpoint, called with the caller's token once the token itself has been verified.
    case userinfo

    public var description: String { rawValue }

    /// Splits `ISSUER=SOURCE` at the last `=`: issuer URLs practically never hold one, and the source
    /// is one of three words.
    public static func assignment(_ text: String) throws(ConfigurationError) -> (issuer: String, source: GroupSource) {
        guard let equals = text.lastIndex(of: "=") else {
            throw ConfigurationError("issuer groups '\(text)': expected ISSUER=jwt|introspection|userinfo")
        }
        let issuer = text[..<equals].trimmingCharacters(in: .whitespaces)
        let name = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !issuer.isEmpty else { throw ConfigurationError("issuer groups '\(text)': the issuer is missing") }
        guard let source = GroupSource(rawValue: name.lowercased()) else {
            throw ConfigurationError("issuer groups '\(text)': give jwt, introspection or userinfo, not '\(name)'")
        }
        return (issuer, source)
    }
}
