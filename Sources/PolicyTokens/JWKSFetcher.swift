import Foundation

/// Fetches an issuer's JWKS document (e.g. via OIDC discovery). Implemented by the daemon, which owns networking.
public protocol JWKSFetcher: Sendable {
    func fetchJWKS(forIssuer issuer: String) async throws -> Data
}
