import Foundation
import PolicyCore
import PolicyTokens

/// Checks a presented token against a policy's requirements (spec section 3), through the cache, and
/// finds the caller's groups where the token's issuer keeps them: in the token (`jwt`), or at the issuer
/// (`introspection`, `userinfo`; see `GroupResolver`). A JWT's signature, issuer, audience and expiry are
/// checked in every mode, and so is its scope, except that in introspection mode a JWT without a `scope`
/// claim has its scope vouched for by the introspection answer (INDIGO IAM's default profile leaves
/// `scope` out of access tokens). An opaque token is accepted only from an issuer in introspection mode,
/// the issuer being the one the policy expects.
struct TokenAuthenticator: Sendable {
    let verifier: TokenVerifier
    let cache: CallerCache
    let metrics: PolicydMetrics
    let groups: any GroupLookup

    /// The caller the cache holds for this token and policy, if any: what can be answered without
    /// waiting (`AuthorisationFastPath`). A hit counts as one; a miss counts nothing, because
    /// `authenticate` follows it and counts it.
    func cachedCaller(_ token: String, for policy: Policy) -> AuthenticatedCaller? {
        guard token.utf8.count <= verifier.maximumTokenBytes else { return nil }
        let key = CallerCache.Key(token: token, requirements: Self.requirements(of: policy))
        guard let cached = cache.caller(for: key, countingMiss: false) else { return nil }
        metrics.tokenCacheHits.increment()
        return cached
    }

    func authenticate(_ token: String, for policy: Policy) async -> Result<AuthenticatedCaller, TokenRejection> {
        await authenticate(token, requirements: Self.requirements(of: policy))
    }

    /// As for a policy, for requirements of another origin (a GMS search's, `GroupSearchTokens`).
    func authenticate(_ token: String, requirements: TokenRequirements) async -> Result<AuthenticatedCaller, TokenRejection> {
        // Before the cache key is hashed: a megabyte sent as a token must cost no more than reading its length.
        guard token.utf8.count <= verifier.maximumTokenBytes else { return .failure(.tokenTooLarge) }
        let key = CallerCache.Key(token: token, requirements: requirements)
        if let cached = cache.caller(for: key) {
            metrics.tokenCacheHits.increment()
            return .success(cached)
        }
        metrics.tokenCacheMisses.increment()
        let source = groups.source(for: requirements.issuer)
        let authenticated: Result<AuthenticatedCaller, TokenRejection>
        if source == .introspection, OpaqueToken.isOpaque(token) {
            authenticated = await askIssuer(token, verified: nil, source: source, requirements: requirements)
        } else {
            var tokenRequirements = requirements
            if source == .introspection { tokenRequirements.scope = nil }
            switch await verifier.verify(token, requirements: tokenRequirements) {
            case .failure(let rejection):
                return .failure(rejection)
            case .success(let verified) where source == .introspection:
                // A scope claim the token has must hold the scope; none at all leaves it to the answer.
                if let scope = requirements.scope, !verified.scopes.isEmpty, !verified.scopes.containsBytes(of: scope) {
                    return .failure(.missingScope(scope))
                }
                authenticated = await askIssuer(token, verified: verified, source: source, requirements: requirements)
            case .success(let verified) where source == .jwt:
                // TokenVerifier refuses tokens without exp, so a verified token always has one.
                authenticated = .success(AuthenticatedCaller(
                    groups: CallerGroups(verified.groups), expiresAt: verified.expiresAt ?? Date.distantPast,
                    subject: verified.subject, issuer: verified.issuer))
            case .success(let verified):
                authenticated = await askIssuer(token, verified: verified, source: source, requirements: requirements)
            }
        }
        if case .success(let caller) = authenticated { cache.insert(caller, for: key) }
        return authenticated
    }

    private static func requirements(of policy: Policy) -> TokenRequirements {
        TokenRequirements(
            issuer: policy.expectedTokenIssuer, audience: policy.expectedTokenAudience,
            scope: policy.expectedServiceTokenScope)
    }

    private func askIssuer(
        _ token: String, verified: VerifiedToken?, source: GroupSource, requirements: TokenRequirements
    ) async -> Result<AuthenticatedCaller, TokenRejection> {
        await groups.caller(
            for: token, verified: verified, source: source, requirements: requirements, leeway: verifier.leeway,
            groupsClaim: verifier.groupsClaim)
    }
}
