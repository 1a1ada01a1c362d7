import Crypto
import CryptoExtras

/// One public key from an issuer's key set, with the algorithms it may verify.
///
/// Held as swift-crypto's own key types, so that a signature is checked by one synchronous call: going
/// through jwt-kit meant building a key collection (an actor) for every token and awaiting it twice,
/// which cost a token's first call more than the RSA verification itself (docs/performance.md).
/// jwt-kit still reads the JWK's parameters (`JWKSDocument`), with its checks (RSA of at least 2048 bits).
struct VerificationKey: Sendable {
    enum Material: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
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

    /// Whether `signature` (JWS: RSA's bytes, ECDSA's `r || s`) signs `signingInput` with `algorithm`.
    func isValidSignature(_ signature: [UInt8], of signingInput: [UInt8], using algorithm: SigningAlgorithm) -> Bool {
        guard canVerify(algorithm) else { return false }
        switch (material, algorithm) {
        case (.rsa(let key), _):
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return switch algorithm {
            case .rs256: key.isValidSignature(rsaSignature, for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5)
            case .rs384: key.isValidSignature(rsaSignature, for: SHA384.hash(data: signingInput), padding: .insecurePKCS1v1_5)
            case .rs512: key.isValidSignature(rsaSignature, for: SHA512.hash(data: signingInput), padding: .insecurePKCS1v1_5)
            case .ps256: key.isValidSignature(rsaSignature, for: SHA256.hash(data: signingInput), padding: .PSS)
            case .ps384: key.isValidSignature(rsaSignature, for: SHA384.hash(data: signingInput), padding: .PSS)
            case .ps512: key.isValidSignature(rsaSignature, for: SHA512.hash(data: signingInput), padding: .PSS)
            case .es256, .es384: false
            }
        case (.p256(let key), .es256):
            guard let ecdsaSignature = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(ecdsaSignature, for: SHA256.hash(data: signingInput))
        case (.p384(let key), .es384):
            guard let ecdsaSignature = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(ecdsaSignature, for: SHA384.hash(data: signingInput))
        default:
            return false
        }
    }
}
