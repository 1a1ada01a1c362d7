/// Supplies the keys trusted for an issuer.
public protocol KeySetProvider: Sendable {
    func keys(forIssuer issuer: String) async throws -> IssuerKeys
    /// Asked when a token names a key id the current keys lack (e.g. after rotation).
    /// Implementations should bound how often this really fetches, since any caller can trigger it.
    func refreshedKeys(forIssuer issuer: String) async throws -> IssuerKeys
}
