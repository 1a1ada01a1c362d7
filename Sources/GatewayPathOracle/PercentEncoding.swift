/// Percent-encoding as the oracle needs it, written apart from PolicyCore's on purpose: the oracle
/// checks PolicyCore's reading of paths, so it must not share it.
enum PercentEncoding {
    /// What Python's `urllib.parse.unquote` does (uvicorn's decoding): every valid `%XX` becomes its
    /// byte, an invalid one stays as it is, and bytes that are not UTF-8 become U+FFFD.
    static func unquote(_ raw: String) -> String {
        let bytes = Array(raw.utf8)
        var decoded: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexDigit(bytes[index + 1]), let low = hexDigit(bytes[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// A segment as a careful client writes it: unreserved characters, sub-delimiters but `;`, `:`
    /// and `@` as they are (RFC 3986 `pchar`), every other byte escaped with upper-case digits.
    static func canonicalSegment(_ segment: String) -> String {
        var output = ""
        for byte in segment.utf8 {
            if isUnreserved(byte) || "!$&'()*+,=:@".utf8.contains(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += escape(byte)
            }
        }
        return output
    }

    static func escape(_ byte: UInt8, lowercase: Bool = false) -> String {
        let digits = lowercase ? "0123456789abcdef" : "0123456789ABCDEF"
        let table = Array(digits.utf8)
        return "%" + String(decoding: [table[Int(byte >> 4)], table[Int(byte & 0xF)]], as: UTF8.self)
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "-._~".utf8.contains(byte)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
