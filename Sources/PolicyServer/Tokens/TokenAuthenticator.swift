import Foundation
import PolicyCore
import PolicyTokens

/// Checks a presented token against a policy's requirements (spec section 3), through the cache.
struct TokenAuthenticator: Sendable {
    let verifier: TokenVerifier
    let cache: CallerCache
    let metrics: PolicydMetrics

    func authenticate(_ token: String, for policy: Policy) async -> Result<AuthenticatedCaller, TokenRejection> {
        let requirements = TokenRequirements(
            issuer: policy.expectedTokenIssuer, audience: policy.expectedTokenAudience,
            scope: policy.expectedServiceTokenScope)
        // Before the cache key is hashed: a megabyte sent as a token must cost no more than reading its length.
        guard token.utf8.count <= verifier.maximumTokenBytes else { return .failure(.tokenTooLarge) }
        let key = CallerCache.Key(token: token, requirements: requirements)
        if let cached = cache.caller(for: key) {
            metrics.tokenCacheHits.increment()
            return .success(cached)
        }
        metrics.tokenCacheMisses.increment()
        switch await verifier.verify(token, requirements: requirements) {
        case .success(let verified):
            // TokenVerifier refuses tokens without exp, so a verified token always has one.
            let caller = AuthenticatedCaller(
                groups: CallerGroups(verified.groups), expiresAt: verified.expiresAt ?? Date.distantPast,
                subject: verified.subject, issuer: verified.issuer)
            cache.insert(caller, for: key)
            return .success(caller)
        case .failure(let rejection):
            return .failure(rejection)
        }
    }
}
