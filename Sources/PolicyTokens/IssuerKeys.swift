import Foundation

/// The signature-verification keys of one issuer, from its JWKS document.
public struct IssuerKeys: Sendable {
    private let keysByID: [String: [VerificationKey]]
    /// The JWKS document as read: two key sets from different documents may differ, and then every
    /// verification made with the older one is done again.
    public let document: Data

    public init(jwksJSON: Data) throws {
        keysByID = Dictionary(grouping: try JWKSDocument.verificationKeys(fromJSON: jwksJSON), by: \.id)
        document = jwksJSON
    }

    public var keyIDs: Set<String> { Set(keysByID.keys) }

    public func contains(keyID: String) -> Bool { keysByID[keyID] != nil }

    func keys(withID kid: String) -> [VerificationKey] { keysByID[kid] ?? [] }
}
