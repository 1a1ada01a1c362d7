import PolicyCore
import PolicyTokens

/// Which tokens a GMS search takes (spec 4.2): those of the configured issuers (`--gms-issuer`) that
/// name one of the configured audiences (`--gms-audience`); either list, when not configured, is what
/// the loaded policies name, and follows their reloads. A search has no policy, so this chooses the
/// requirements the token is then verified against, as a decision's are, by `TokenAuthenticator`:
/// the issuer a JWT names, when it is one of them (its keys verify it; the keys of an issuer not
/// accepted are never fetched), or for an opaque token the one issuer in introspection mode.
struct GroupSearchTokens: Sendable {
    /// nil: the policies'.
    let issuers: [String]?
    let audiences: [String]?
    let groups: GroupResolver
    let maximumTokenBytes: Int

    func requirements(for token: String, policies: PolicySet) -> Result<TokenRequirements, TokenRejection> {
        // Before the token is read: the verifier's own bound.
        guard token.utf8.count <= maximumTokenBytes else { return .failure(.tokenTooLarge) }
        let issuers = issuers ?? policies.tokenIssuers
        let audiences = audiences ?? policies.tokenAudiences
        guard let audience = audiences.first else { return .failure(.wrongAudience) }
        let issuer: String
        if OpaqueToken.isOpaque(token) {
            guard let introspected = issuers.first(where: { groups.source(for: $0) == .introspection }) else {
                return .failure(.malformed("expected three dot-separated parts"))
            }
            issuer = introspected
        } else {
            let claimed: String?
            do {
                claimed = try UnverifiedToken.issuer(of: token)
            } catch {
                return .failure(error)
            }
            guard let claimed, let accepted = issuers.first(where: { $0.hasSameBytes(as: claimed) }) else {
                return .failure(.wrongIssuer)
            }
            issuer = accepted
        }
        return .success(TokenRequirements(issuer: issuer, audience: audience, otherAudiences: Array(audiences.dropFirst())))
    }
}
