/// One escape of a JSON string (RFC 8259 §7), decoded: `JSONLexer`'s, and the source map's when
/// it maps an offset in a decoded string back through the escapes to the source.
enum JSONEscape {
    /// Decodes the escape at `offset` (its backslash) into `decoded` and moves past it; returns
    /// why it is not one, leaving `offset` where the problem is.
    static func decode<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, at offset: inout Int, into decoded: inout [UInt8]
    ) -> String? where Bytes.Index == Int {
        offset += 1
        guard offset < bytes.endIndex else { return "unterminated escape" }
        let escape = bytes[offset]
        offset += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            guard var scalar = hex4(bytes, at: &offset) else { return "invalid \\u escape" }
            if (0xD800...0xDBFF).contains(scalar) {
                guard offset + 1 < bytes.endIndex, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u")
                else { return "lone surrogate in \\u escape" }
                offset += 2
                guard let low = hex4(bytes, at: &offset) else { return "invalid \\u escape" }
                guard (0xDC00...0xDFFF).contains(low) else { return "invalid surrogate pair" }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                return "lone surrogate in \\u escape"
            }
            guard let unicode = Unicode.Scalar(scalar) else { return "invalid \\u escape" }
            decoded.append(contentsOf: UTF8.encode(unicode)!)
        default:
            return "invalid escape"
        }
        return nil
    }

    private static func hex4<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at offset: inout Int) -> UInt32?
    where Bytes.Index == Int {
        guard offset + 4 <= bytes.endIndex else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexValue(bytes[offset]) else { return nil }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }
}
