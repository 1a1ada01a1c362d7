import JWTKit

/// One public key from an issuer's key set, with the algorithms it may verify.
struct VerificationKey: Sendable {
    enum Material: Sendable {
        case rsa(Insecure.RSA.PublicKey)
        case p256(ES256PublicKey)
        case p384(ES384PublicKey)
    }

    let id: String
    let material: Material
    /// The JWK's `alg`, when it pins one; a token must then use exactly that algorithm.
    let pinnedAlgorithm: SigningAlgorithm?

    func canVerify(_ algorithm: SigningAlgorithm) -> Bool {
        if let pinnedAlgorithm, pinnedAlgorithm != algorithm { return false }
        return switch (material, algorithm) {
        case (.rsa, .rs256), (.rsa, .rs384), (.rsa, .rs512), (.rsa, .ps256), (.rsa, .ps384), (.rsa, .ps512),
            (.p256, .es256), (.p384, .es384):
            true
        default:
            false
        }
    }

    func isValidSignature(_ signature: [UInt8], of signingInput: [UInt8], using algorithm: SigningAlgorithm) async
        -> Bool
    {
        guard canVerify(algorithm), let verifier = await verifier(for: algorithm) else { return false }
        return (try? verifier.verify(signature, signs: signingInput)) ?? false
    }

    /// jwt-kit exposes its signature algorithms only through a key collection, so a one-key collection is the factory.
    private func verifier(for algorithm: SigningAlgorithm) async -> (any JWTAlgorithm)? {
        let collection = JWTKeyCollection()
        switch (material, algorithm) {
        case (.rsa(let key), .rs256): await collection.add(rsa: key, digestAlgorithm: .sha256)
        case (.rsa(let key), .rs384): await collection.add(rsa: key, digestAlgorithm: .sha384)
        case (.rsa(let key), .rs512): await collection.add(rsa: key, digestAlgorithm: .sha512)
        case (.rsa(let key), .ps256): await collection.add(pss: key, digestAlgorithm: .sha256)
        case (.rsa(let key), .ps384): await collection.add(pss: key, digestAlgorithm: .sha384)
        case (.rsa(let key), .ps512): await collection.add(pss: key, digestAlgorithm: .sha512)
        case (.p256(let key), .es256): await collection.add(ecdsa: key)
        case (.p384(let key), .es384): await collection.add(ecdsa: key)
        default: return nil
        }
        return try? await collection.getKey()
    }
}
