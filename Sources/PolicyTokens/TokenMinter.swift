import Foundation
import JWTKit

/// Mints RS256 access tokens for development and tests (`policyc token mint`); not for production issuance.
public struct TokenMinter: Sendable {
    public struct Claims: Sendable {
        public var issuer: String
        public var audience: String
        public var subject: String
        public var groups: [String]
        public var scope: String?
        public var lifetime: TimeInterval

        public init(
            issuer: String, audience: String, subject: String, groups: [String] = [], scope: String? = nil,
            lifetime: TimeInterval = 3600
        ) {
            self.issuer = issuer
            self.audience = audience
            self.subject = subject
            self.groups = groups
            self.scope = scope
            self.lifetime = lifetime
        }
    }

    private let privateKey: Insecure.RSA.PrivateKey
    private let keyID: String

    /// - Parameter privateKeyPEM: an RSA private key of at least 2048 bits (PKCS#8 or PKCS#1 PEM).
    public init(privateKeyPEM: String, keyID: String) throws {
        self.privateKey = try Insecure.RSA.PrivateKey(pem: privateKeyPEM)
        self.keyID = keyID
    }

    public func mint(_ claims: Claims, issuedAt: Date = Date()) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: privateKey, digestAlgorithm: .sha256)
        let issued = Int(issuedAt.timeIntervalSince1970)
        let payload = Payload(
            iss: claims.issuer,
            sub: claims.subject,
            aud: claims.audience,
            iat: issued,
            nbf: issued,
            exp: issued + Int(claims.lifetime),
            groups: claims.groups,
            scope: claims.scope
        )
        return try CompactJWS.signed(
            header: Header(alg: "RS256", typ: "JWT", kid: keyID), payload: payload, with: try await keys.getKey())
    }

    private struct Header: Encodable {
        let alg: String
        let typ: String
        let kid: String
    }

    private struct Payload: Encodable {
        let iss: String
        let sub: String
        let aud: String
        let iat: Int
        let nbf: Int
        let exp: Int
        let groups: [String]
        let scope: String?
    }
}
