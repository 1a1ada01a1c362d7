import Foundation

/// Keys fixed at start-up, e.g. from a configured JWKS file; refreshing returns the same keys.
public struct StaticKeySource: KeySetProvider {
    private let keysByIssuer: [String: IssuerKeys]

    public init(keysByIssuer: [String: IssuerKeys]) {
        self.keysByIssuer = keysByIssuer
    }

    public init(issuer: String, jwksJSON: Data) throws {
        self.init(keysByIssuer: [issuer: try IssuerKeys(jwksJSON: jwksJSON)])
    }

    public init(issuer: String, jwksFile: URL) throws {
        try self.init(issuer: issuer, jwksJSON: try Data(contentsOf: jwksFile))
    }

    public func keys(forIssuer issuer: String) async throws -> IssuerKeys {
        guard let keys = keysByIssuer[issuer] else { throw KeySetError.unknownIssuer(issuer) }
        return keys
    }

    public func keysInHand(forIssuer issuer: String) -> IssuerKeys? {
        keysByIssuer[issuer]
    }

    public func refreshedKeys(forIssuer issuer: String) async throws -> IssuerKeys {
        try await keys(forIssuer: issuer)
    }
}
