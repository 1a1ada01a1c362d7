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
    /// One seed for the group tables of every caller this authenticator makes (`CallerGroups`).
    let groupsSeed = UInt64.random(in: .min ... .max)

    /// What a token's look-up found: the answer at once (a cached caller, or a token refused before
    /// anything is hashed), or a verification to make, which may wait on the issuer.
    enum LookUp: Sendable {
        case answered(Result<AuthenticatedCaller, TokenRejection>)
        case needsVerification(PendingVerification)
    }

    /// A token the cache does not hold, with what it must be verified against.
    struct PendingVerification: Sendable {
        fileprivate let token: String
        fileprivate let key: CallerCache.Key
        fileprivate let requirements: TokenRequirements
    }

    /// The first step of every authentication, made where the call is (the authorisation pipeline
    /// makes it on the event loop): counts one cache hit or one miss. A miss whose groups are in the
    /// token, and whose issuer's keys are in hand, is verified here and now (`verifyNow`): the same
    /// checks as `verify`, without a trip to another thread; anything that must wait is left to `verify`.
    func lookUp(_ token: String, for policy: Policy) -> LookUp {
        lookUp(token, requirements: Self.requirements(of: policy))
    }

    func lookUp(_ token: String, requirements: TokenRequirements) -> LookUp {
        // Before the cache key is hashed: a megabyte sent as a token must cost no more than reading its length.
        guard token.utf8.count <= verifier.maximumTokenBytes else { return .answered(.failure(.tokenTooLarge)) }
        let key = CallerCache.Key(token: token, requirements: requirements)
        if let cached = cache.caller(for: key) {
            metrics.tokenCacheHits.increment()
            return .answered(.success(cached))
        }
        metrics.tokenCacheMisses.increment()
        if groups.source(for: requirements.issuer) == .jwt, let verified = verifier.verifyNow(token, requirements: requirements) {
            let authenticated = verified.map(caller(verifiedWithGroups:))
            if case .success(let caller) = authenticated { cache.insert(caller, for: key) }
            return .answered(authenticated)
        }
        return .needsVerification(PendingVerification(token: token, key: key, requirements: requirements))
    }

    func authenticate(_ token: String, for policy: Policy) async -> Result<AuthenticatedCaller, TokenRejection> {
        await authenticate(token, requirements: Self.requirements(of: policy))
    }

    /// As for a policy, for requirements of another origin (a GMS search's, `GroupSearchTokens`).
    func authenticate(_ token: String, requirements: TokenRequirements) async -> Result<AuthenticatedCaller, TokenRejection> {
        switch lookUp(token, requirements: requirements) {
        case .answered(let result): result
        case .needsVerification(let pending): await verify(pending)
        }
    }

    /// The token's signature and claims checked, its groups found; a caller found is cached.
    func verify(_ pending: PendingVerification) async -> Result<AuthenticatedCaller, TokenRejection> {
        let token = pending.token, key = pending.key, requirements = pending.requirements
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
                authenticated = .success(caller(verifiedWithGroups: verified))
            case .success(let verified):
                authenticated = await askIssuer(token, verified: verified, source: source, requirements: requirements)
            }
        }
        if case .success(let caller) = authenticated { cache.insert(caller, for: key) }
        return authenticated
    }

    /// The caller of a token that carries its groups.
    private func caller(verifiedWithGroups verified: VerifiedToken) -> AuthenticatedCaller {
        // TokenVerifier refuses tokens without exp, so a verified token always has one.
        AuthenticatedCaller(
            groups: CallerGroups(verified.groups, seed: groupsSeed), expiresAt: verified.expiresAt ?? Date.distantPast,
            subject: verified.subject, issuer: verified.issuer)
    }

    /// What `policy` asks of a token; two policies that ask the same compare equal (by bytes).
    static func requirements(of policy: Policy) -> TokenRequirements {
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
