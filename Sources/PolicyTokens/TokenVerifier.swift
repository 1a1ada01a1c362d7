import Foundation

/// Verifies compact-JWS access tokens against an issuer's keys and a policy's requirements.
///
/// Only keys from `keys` for the *required* issuer are used: a token that names its own key (`jku`, `x5u`, `jwk`,
/// `x5c`) is refused, and a token's `iss` never chooses the keys. What costs nothing is checked first: the size,
/// the shape, the header; then the key and the signature; only then the claims, which are the issuer's word.
public struct TokenVerifier: Sendable {
    public var leeway: TimeInterval
    public var groupsClaim: String
    public var maximumTokenBytes: Int
    private let keys: any KeySetProvider
    private let now: @Sendable () -> Date

    public init(
        keys: any KeySetProvider,
        leeway: TimeInterval = 60,
        groupsClaim: String = "groups",
        maximumTokenBytes: Int = 16 * 1024,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.keys = keys
        self.leeway = leeway
        self.groupsClaim = groupsClaim
        self.maximumTokenBytes = maximumTokenBytes
        self.now = now
    }

    public func verify(_ token: String, requirements: TokenRequirements) async -> Result<VerifiedToken, TokenRejection>
    {
        do {
            return .success(try await verified(token, requirements: requirements))
        } catch {
            return .failure(error)
        }
    }

    private func verified(_ token: String, requirements: TokenRequirements) async throws(TokenRejection)
        -> VerifiedToken
    {
        guard token.utf8.count <= maximumTokenBytes else { throw .tokenTooLarge }
        let parsed = try CompactToken(token)
        let algorithm = try parsed.algorithm()
        try parsed.rejectCriticalExtensions()
        try parsed.rejectKeyBearingHeaders()
        try parsed.rejectMissingSignature()
        let key = try await verificationKey(id: try parsed.keyID(), for: algorithm, issuer: requirements.issuer)
        guard await key.isValidSignature(parsed.signature, of: parsed.signingInput, using: algorithm) else {
            throw .badSignature
        }
        return try checkedClaims(TokenClaims(parsed.claims), against: requirements)
    }

    private func verificationKey(id kid: String, for algorithm: SigningAlgorithm, issuer: String)
        async throws(TokenRejection) -> VerificationKey
    {
        var candidates = try await issuerKeys(issuer, refreshed: false).keys(withID: kid)
        if candidates.isEmpty {
            candidates = try await issuerKeys(issuer, refreshed: true).keys(withID: kid)
        }
        guard !candidates.isEmpty else { throw .unknownKeyID(kid) }
        guard let key = candidates.first(where: { $0.canVerify(algorithm) }) else {
            throw .keyAlgorithmMismatch(kid: kid, algorithm: algorithm)
        }
        return key
    }

    private func issuerKeys(_ issuer: String, refreshed: Bool) async throws(TokenRejection) -> IssuerKeys {
        do {
            return refreshed ? try await keys.refreshedKeys(forIssuer: issuer) : try await keys.keys(forIssuer: issuer)
        } catch {
            throw .keysUnavailable
        }
    }

    private func checkedClaims(_ claims: TokenClaims, against requirements: TokenRequirements) throws(TokenRejection)
        -> VerifiedToken
    {
        let expiresAt = try ClaimsCheck(leeway: leeway, now: now()).check(claims, against: requirements, saidBy: .token)
        return VerifiedToken(
            subject: claims.subject,
            issuer: requirements.issuer,
            audiences: claims.audiences,
            groups: try claims.groups(claim: groupsClaim),
            scopes: claims.scopes,
            expiresAt: expiresAt
        )
    }
}
