import Foundation

/// Unpadded base64url (RFC 7515 §2), strict about the alphabet so malformed tokens are refused rather than repaired.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// One pass over the text, four characters to three bytes at a time, written straight into the
    /// answer: a token's first call decodes three parts (about 1 KB), and appending byte by byte cost
    /// three to four times as much (docs/performance.md).
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        if let decoded = text.withContiguousStorageIfAvailable({ decode(contiguous: $0) }) { return decoded }
        return Array(text).withUnsafeBufferPointer { decode(contiguous: $0) }
    }

    private static func decode(contiguous text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let remainder = text.count % 4
        guard remainder != 1 else { return nil }
        let quartets = text.count / 4
        let byteCount = quartets * 3 + max(remainder - 1, 0)
        // Every character's value is OR-ed in here; `notInAlphabet` is a bit no sextet has.
        var seen: UInt8 = 0
        let bytes = sextets.withUnsafeBufferPointer { sextets in
            [UInt8](unsafeUninitializedCapacity: byteCount) { output, initialized in
                func sextet(_ index: Int) -> UInt8 { sextets[Int(text[index])] }
                var input = 0
                for _ in 0..<quartets {
                    let a = sextet(input), b = sextet(input + 1), c = sextet(input + 2), d = sextet(input + 3)
                    seen |= a | b | c | d
                    let bits = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    output[initialized] = UInt8(truncatingIfNeeded: bits >> 16)
                    output[initialized + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                    output[initialized + 2] = UInt8(truncatingIfNeeded: bits)
                    input += 4
                    initialized += 3
                }
                guard remainder > 0 else { return }
                let a = sextet(input), b = sextet(input + 1), c = remainder == 3 ? sextet(input + 2) : 0
                seen |= a | b | c
                let bits = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                output[initialized] = UInt8(truncatingIfNeeded: bits >> 16)
                if remainder == 3 { output[initialized + 1] = UInt8(truncatingIfNeeded: bits >> 8) }
                initialized += remainder - 1
                // RFC 4648 §3.5: the bits of the last character beyond the data must be zero. Decoders that
                // ignore them read up to 16 texts as one signature; here each signature has exactly one spelling.
                let unusedBits = remainder == 3 ? bits & 0xFF : bits & 0xFFFF
                if unusedBits != 0 { seen |= notInAlphabet }
            }
        }
        return seen & notInAlphabet == 0 ? bytes : nil
    }

    static func decode(_ text: String) -> [UInt8]? {
        decode(text.utf8)
    }

    /// What `sextets` holds for a byte outside the alphabet: a bit that no six-bit value has.
    private static let notInAlphabet: UInt8 = 0x80

    /// The six bits each byte of the base64url alphabet stands for, `notInAlphabet` for every other
    /// byte: one load a character, where testing its class mispredicts on a token's mixed characters.
    private static let sextets: [UInt8] = (0...255).map { (byte: UInt8) in
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: notInAlphabet
        }
    }
}
