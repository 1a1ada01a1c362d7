import Foundation

/// Unpadded base64url (RFC 7515 §2), strict about the alphabet so malformed tokens are refused rather than repaired.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: some BidirectionalCollection<UInt8>) -> [UInt8]? {
        guard text.count % 4 != 1, text.allSatisfy(isAlphabet), hasZeroUnusedBits(text) else { return nil }
        var standard = String(decoding: text.map(toStandardAlphabet), as: UTF8.self)
        standard += String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }

    static func decode(_ text: String) -> [UInt8]? {
        decode(Array(text.utf8))
    }

    /// RFC 4648 §3.5: the bits of the last character beyond the data must be zero. Decoders that ignore them
    /// read up to 16 texts as one signature; here each signature has exactly one spelling.
    private static func hasZeroUnusedBits(_ text: some BidirectionalCollection<UInt8>) -> Bool {
        guard let last = text.last else { return true }
        let unusedBits: UInt8 = switch text.count % 4 {
        case 2: 0b1111
        case 3: 0b11
        default: 0
        }
        return sextet(last) & unusedBits == 0
    }

    private static func sextet(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        default: 63
        }
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    private static func toStandardAlphabet(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "-"): UInt8(ascii: "+")
        case UInt8(ascii: "_"): UInt8(ascii: "/")
        default: byte
        }
    }
}
