import Foundation
import JWTKit

@testable import PolicyTokens

/// Keys used across tests: the committed development key plus keys generated per test run.
enum TestKeys {
    static let fixturesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/dev")

    static let developmentPEM = try! String(
        contentsOf: fixturesDirectory.appendingPathComponent("signing-key.pem"), encoding: .utf8)
    static let developmentJWKSFile = fixturesDirectory.appendingPathComponent("jwks.json")
    static let developmentKey = try! Insecure.RSA.PrivateKey(pem: developmentPEM)

    /// Stands in for a different issuer's key.
    static let otherRSA = try! Insecure.RSA.PrivateKey(backing: .init(keySize: .bits2048))
    static let ecP256 = ES256PrivateKey()
    static let ecP384 = ES384PrivateKey()

    static func rsaJWK(_ key: Insecure.RSA.PrivateKey, kid: String, alg: String? = "RS256") -> [String: Any] {
        let primitives = try! key.publicKey.getKeyPrimitives()
        var jwk: [String: Any] = [
            "kty": "RSA", "kid": kid, "use": "sig",
            "n": Base64URL.encode(primitives.modulus), "e": Base64URL.encode(primitives.publicExponent),
        ]
        jwk["alg"] = alg
        return jwk
    }

    static func ecJWK(x: String, y: String, crv: String, kid: String) -> [String: Any] {
        ["kty": "EC", "kid": kid, "crv": crv, "x": x, "y": y]
    }

    static func jwks(_ keys: [[String: Any]]) -> Data {
        try! JSONSerialization.data(withJSONObject: ["keys": keys])
    }

    /// The issuer's key set in most tests: the development RSA key ("dev") and an EC P-256 key ("ec").
    static var issuerJWKS: Data {
        let fixture = try! JSONSerialization.jsonObject(with: Data(contentsOf: developmentJWKSFile)) as! [String: Any]
        let params = ecP256.publicKey.parameters!
        return jwks((fixture["keys"] as! [[String: Any]]) + [ecJWK(x: params.x, y: params.y, crv: "P-256", kid: "ec")])
    }
}

/// jwt-kit hands out its signing algorithms only through a key collection.
enum Signers {
    static func rsa(_ key: Insecure.RSA.PrivateKey, _ digest: DigestAlgorithm = .sha256, pss: Bool = false) async throws
        -> any JWTAlgorithm
    {
        let keys = JWTKeyCollection()
        if pss {
            await keys.add(pss: key, digestAlgorithm: digest)
        } else {
            await keys.add(rsa: key, digestAlgorithm: digest)
        }
        return try await keys.getKey()
    }

    static func ecdsa(_ key: some ECDSAKey) async throws -> any JWTAlgorithm {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key)
        return try await keys.getKey()
    }

    static func hmac(secret: String, _ digest: DigestAlgorithm) async throws -> any JWTAlgorithm {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: digest)
        return try await keys.getKey()
    }
}
