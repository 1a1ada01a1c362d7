/// Supplies the keys trusted for an issuer.
public protocol KeySetProvider: Sendable {
    func keys(forIssuer issuer: String) async throws -> IssuerKeys
    /// Asked when a token names a key id the current keys lack (e.g. after rotation).
    /// Implementations should bound how often this really fetches, since any caller can trigger it.
    func refreshedKeys(forIssuer issuer: String) async throws -> IssuerKeys
    /// The keys `keys(forIssuer:)` would give without waiting for anything (held, and fresh), or nil.
    /// What lets a token be verified where the call is (`TokenVerifier.verifyNow`).
    func keysInHand(forIssuer issuer: String) -> IssuerKeys?
}

extension KeySetProvider {
    public func keysInHand(forIssuer issuer: String) -> IssuerKeys? { nil }
}
