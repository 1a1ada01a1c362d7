import Foundation

/// The signature-verification keys of one issuer, from its JWKS document.
public struct IssuerKeys: Sendable {
    private let keysByID: [String: [VerificationKey]]

    public init(jwksJSON: Data) throws {
        keysByID = Dictionary(grouping: try JWKSDocument.verificationKeys(fromJSON: jwksJSON), by: \.id)
    }

    public var keyIDs: Set<String> { Set(keysByID.keys) }

    public func contains(keyID: String) -> Bool { keysByID[keyID] != nil }

    func keys(withID kid: String) -> [VerificationKey] { keysByID[kid] ?? [] }
}
