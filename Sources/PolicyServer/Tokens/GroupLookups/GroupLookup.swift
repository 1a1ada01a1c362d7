import Foundation
import PolicyTokens

/// Where a token's caller gets its groups when the issuer keeps them (introspection, userinfo): the
/// seam between token verification (`TokenAuthenticator`) and group lookups. policyd's is
/// `GroupResolver`; tests give the authenticator one in memory.
protocol GroupLookup: Sendable {
    /// Where `issuer`'s callers get their groups: `.jwt` (the token's own claim) unless configured.
    func source(for issuer: String) -> GroupSource

    /// The caller behind `token`, its groups asked of the issuer.
    /// - Parameter verified: the token's verified claims when it is a JWT; nil for an opaque token.
    func caller(
        for token: String, verified: VerifiedToken?, source: GroupSource, requirements: TokenRequirements,
        leeway: TimeInterval, groupsClaim: String
    ) async -> Result<AuthenticatedCaller, TokenRejection>
}
