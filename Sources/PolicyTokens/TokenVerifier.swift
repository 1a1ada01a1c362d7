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
            let parsed = try ParsedToken(token, maximumBytes: maximumTokenBytes)
            var candidates = try await issuerKeys(requirements.issuer, refreshed: false).keys(withID: parsed.keyID)
            if candidates.isEmpty {
                candidates = try await issuerKeys(requirements.issuer, refreshed: true).keys(withID: parsed.keyID)
            }
            return .success(try checked(parsed, withKeys: candidates, against: requirements))
        } catch {
            return .failure(error)
        }
    }

    /// The same verification, made at once when the issuer's keys are in hand and hold the token's key
    /// id; nil when it must wait for them (`verify` then fetches them, or refreshes them for a new key
    /// id). What lets a token's first call be answered where it arrived, without a trip to another thread.
    public func verifyNow(_ token: String, requirements: TokenRequirements) -> Result<VerifiedToken, TokenRejection>? {
        do {
            let parsed = try ParsedToken(token, maximumBytes: maximumTokenBytes)
            guard let keys = keys.keysInHand(forIssuer: requirements.issuer) else { return nil }
            let candidates = keys.keys(withID: parsed.keyID)
            guard !candidates.isEmpty else { return nil }
            return .success(try checked(parsed, withKeys: candidates, against: requirements))
        } catch {
            return .failure(error)
        }
    }

    /// A token read and its header checked: what costs nothing comes first.
    private struct ParsedToken {
        let token: CompactToken
        let algorithm: SigningAlgorithm
        let keyID: String

        init(_ text: String, maximumBytes: Int) throws(TokenRejection) {
            guard text.utf8.count <= maximumBytes else { throw .tokenTooLarge }
            token = try CompactToken(text)
            algorithm = try token.algorithm()
            try token.rejectCriticalExtensions()
            try token.rejectKeyBearingHeaders()
            try token.rejectMissingSignature()
            keyID = try token.keyID()
        }
    }

    /// The key (among the issuer's of the token's key id), the signature, then the claims.
    private func checked(_ parsed: ParsedToken, withKeys candidates: [VerificationKey], against requirements: TokenRequirements)
        throws(TokenRejection) -> VerifiedToken
    {
        guard !candidates.isEmpty else { throw .unknownKeyID(parsed.keyID) }
        guard let key = candidates.first(where: { $0.canVerify(parsed.algorithm) }) else {
            throw .keyAlgorithmMismatch(kid: parsed.keyID, algorithm: parsed.algorithm)
        }
        guard key.isValidSignature(parsed.token.signature, of: parsed.token.signingInput, using: parsed.algorithm) else {
            throw .badSignature
        }
        return try checkedClaims(TokenClaims(parsed.token.claims), against: requirements)
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
