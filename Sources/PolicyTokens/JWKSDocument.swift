import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// Reads a JWKS document into verification keys.
///
/// Entries that cannot verify signatures here (symmetric, encryption-only, unsupported curve or algorithm,
/// RSA under 2048 bits, or without a `kid`) are skipped rather than failing the whole set,
/// because issuers commonly publish such keys next to the ones that sign tokens.
enum JWKSDocument {
    static func verificationKeys(fromJSON json: Data) throws -> [VerificationKey] {
        guard let document = try? JSONDecoder().decode(KeySet.self, from: json) else {
            throw KeySetError.invalidKeySetDocument
        }
        return document.keys.compactMap { $0.value?.verificationKey() }
    }
}

private struct KeySet: Decodable {
    /// Decoded one by one so a malformed entry cannot hide the issuer's other keys.
    let keys: [Lenient<KeyEntry>]
}

private struct Lenient<Value: Decodable>: Decodable {
    let value: Value?
    init(from decoder: any Decoder) throws { value = try? Value(from: decoder) }
}

private struct KeyEntry: Decodable {
    let kty: String
    let kid: String?
    let use: String?
    let alg: String?
    let n: String?
    let e: String?
    let crv: String?
    let x: String?
    let y: String?
}

extension KeyEntry {
    fileprivate func verificationKey() -> VerificationKey? {
        guard let kid, use == nil || use == "sig", let material = material() else { return nil }
        var pinned: SigningAlgorithm?
        if let alg {
            guard let known = SigningAlgorithm(rawValue: alg) else { return nil }
            pinned = known
        }
        let key = VerificationKey(id: kid, material: material, pinnedAlgorithm: pinned)
        return SigningAlgorithm.allCases.contains(where: key.canVerify) ? key : nil
    }

    fileprivate func material() -> VerificationKey.Material? {
        switch (kty, crv) {
        case ("RSA", _):
            guard let n, let e, let key = try? Insecure.RSA.PublicKey(modulus: n, exponent: e),
                  let checked = try? _RSA.Signing.PublicKey(derRepresentation: key.derRepresentation)
            else { return nil }
            return .rsa(checked)
        case ("EC", "P-256"):
            guard let x, let y, let key = try? ES256PublicKey(parameters: (x, y)),
                  let checked = try? P256.Signing.PublicKey(pemRepresentation: key.pemRepresentation)
            else { return nil }
            return .p256(checked)
        case ("EC", "P-384"):
            guard let x, let y, let key = try? ES384PublicKey(parameters: (x, y)),
                  let checked = try? P384.Signing.PublicKey(pemRepresentation: key.pemRepresentation)
            else { return nil }
            return .p384(checked)
        default:
            return nil
        }
    }
}
