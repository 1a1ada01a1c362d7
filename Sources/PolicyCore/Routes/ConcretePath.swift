/// A request path given where a template was expected, checked by the rules of spec 2.5: it
/// starts with `/`, has no empty segment and no trailing `/`, no `?` or `#`, valid
/// percent-encoding throughout, and decodes to UTF-8. A path that breaks any rule matches
/// nothing.
struct ConcretePath {
    let bytes: [UInt8]
    /// Raw (undecoded) segments, as ranges of `bytes`.
    let segments: [Range<Int>]

    init?(_ path: String) {
        let bytes = Array(path.utf8)
        guard bytes.count > 1, bytes[0] == UInt8(ascii: "/"),
              !bytes.contains(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
        else { return nil }
        var segments: [Range<Int>] = []
        segments.reserveCapacity(bytes.count { $0 == UInt8(ascii: "/") })
        var start = 1
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
            guard end > start, Self.isUsableSegment(bytes[start..<end]) else { return nil }
            segments.append(start..<end)
            start = end + 1
        }
        self.bytes = bytes
        self.segments = segments
    }

    func rawSegment(_ index: Int) -> ArraySlice<UInt8> {
        bytes[segments[index]]
    }

    func decodedSegment(_ range: Range<Int>) -> String {
        Self.decodedSegment(bytes[range])!
    }

    /// The bytes of a Swift string are valid UTF-8 already, so only a segment with an escape needs
    /// decoding to be checked; the others are checked without building a string.
    static func isUsableSegment(_ raw: ArraySlice<UInt8>) -> Bool {
        !raw.contains(UInt8(ascii: "%")) || decodedSegment(raw) != nil
    }

    /// Percent-decodes once (`%252F` gives `%2F`; `+` stays `+`); nil when an escape is invalid
    /// or the result is not UTF-8.
    static func decodedSegment(_ raw: ArraySlice<UInt8>) -> String? {
        guard raw.contains(UInt8(ascii: "%")) else { return String(validating: raw, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < raw.endIndex,
                      let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2])
                else { return nil }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }
}
