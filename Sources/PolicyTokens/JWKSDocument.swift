import Crypto
import CryptoExtras
import Foundation
import JWTKit
import PolicyCore

/// Reads a JWKS document into verification keys, through PolicyCore's reader: the one lexer of
/// what clients and issuers send, with its duplicate-member rule (two `keys`, or a key with two `n`,
/// could be read two ways by two readers of the same document).
///
/// Entries that cannot verify signatures here (symmetric, encryption-only, unsupported curve or algorithm,
/// RSA under 2048 bits, without a `kid`, or malformed: a member repeated or of the wrong type) are
/// skipped rather than failing the whole set, because issuers commonly publish such keys next to the
/// ones that sign tokens.
enum JWKSDocument {
    static func verificationKeys(fromJSON json: Data) throws -> [VerificationKey] {
        guard let document = try? JSONReader.parseDictionary(Array(json)), case .array(let entries)? = document["keys"] else {
            throw KeySetError.invalidKeySetDocument
        }
        return entries.compactMap { KeyEntry($0)?.verificationKey() }
    }
}

/// One JWK's members that verification needs, each a string when present (`null` counts as absent).
private struct KeyEntry {
    let kty: String
    let kid: String?
    let use: String?
    let alg: String?
    let n: String?
    let e: String?
    let crv: String?
    let x: String?
    let y: String?

    /// Nil for an entry that is not an object of the JWK's shape.
    init?(_ value: JSONValue) {
        guard case .object(let members) = value, RepeatedNames.first(in: members) == nil else { return nil }
        var strings: [String: String] = [:]
        for member in members where ["kty", "kid", "use", "alg", "n", "e", "crv", "x", "y"].contains(member.key) {
            switch member.value {
            case .string(let text): strings[member.key] = text
            case .null: continue
            default: return nil
            }
        }
        guard let kty = strings["kty"] else { return nil }
        self.kty = kty
        (kid, use, alg) = (strings["kid"], strings["use"], strings["alg"])
        (n, e, crv, x, y) = (strings["n"], strings["e"], strings["crv"], strings["x"], strings["y"])
    }
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
