/// A request path given where a template was expected, in one of two readings:
/// - the Permissions API's (spec 2.5, `init?(_:)`): literals and convertors are compared with the
///   raw, percent-encoded segments, and captured values are decoded once; the service names its
///   own route, so a spelling only it would read differently is its own affair;
/// - a gateway's (`init(upstreamReading:)`, in `ConcretePath+upstream.swift`): every segment is
///   decoded first, as the upstream decodes before it routes, and spellings that upstreams read
///   in different ways are refused.
/// Either way `bytes` is what the matchers compare, `/` and the segments, one range each.
struct ConcretePath {
    let bytes: [UInt8]
    let segments: [Range<Int>]
    /// Whether `bytes` holds the decoded segments (the upstream reading): captured values are then
    /// taken as they are, never decoded a second time.
    let isDecoded: Bool

    /// The Permissions API's reading: it starts with `/`, has no empty segment and no trailing
    /// `/`, no `?` or `#`, valid percent-encoding throughout, and decodes to UTF-8. A path that
    /// breaks any rule matches nothing.
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
        self.init(bytes: bytes, segments: segments, isDecoded: false)
    }

    init(bytes: [UInt8], segments: [Range<Int>], isDecoded: Bool) {
        self.bytes = bytes
        self.segments = segments
        self.isDecoded = isDecoded
    }

    /// The bytes the matchers compare for segment `index`.
    func matchedSegment(_ index: Int) -> ArraySlice<UInt8> {
        bytes[segments[index]]
    }

    /// The value a parameter captures over `range` (one segment, or the rest for `{name:path}`).
    func capturedValue(_ range: Range<Int>) -> String {
        isDecoded ? String(decoding: bytes[range], as: UTF8.self) : Self.decodedSegment(bytes[range])!
    }

    /// The bytes of a Swift string are valid UTF-8 already, so only a segment with an escape needs
    /// decoding to be checked; the others are checked without building a string.
    static func isUsableSegment(_ raw: ArraySlice<UInt8>) -> Bool {
        !raw.contains(UInt8(ascii: "%")) || decodedSegment(raw) != nil
    }

    /// Percent-decodes once (`%252F` gives `%2F`; `+` stays `+`); nil when an escape is invalid
    /// or the result is not UTF-8.
    static func decodedSegment(_ raw: ArraySlice<UInt8>) -> String? {
        guard raw.contains(UInt8(ascii: "%")) else { return UTF8Text.string(raw) }
        return decodedBytes(raw).flatMap { UTF8Text.string($0) }
    }

    /// The bytes `raw` percent-decodes to, once; nil when an escape is invalid.
    static func decodedBytes(_ raw: ArraySlice<UInt8>) -> [UInt8]? {
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
        return decoded
    }
}
