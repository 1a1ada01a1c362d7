/// The upstream's reading of a path, for a gateway. Every upstream a gateway protects decodes the
/// path before it routes (uvicorn, then Starlette; nginx, Tomcat, Spring, Flask), so literals and
/// convertors are compared with the decoded segments, and captured values are those segments as
/// they are. A spelling that upstreams read in more than one way is refused rather than read in
/// one of them (`UpstreamPathRefusal.Kind` lists them); what is left decodes to one path, which
/// every upstream routes alike.
extension ConcretePath {
    /// - Returns: nil for `/` alone, which no template of a route policy matches as a concrete path.
    init?(upstreamReading path: String) throws(UpstreamPathRefusal) {
        let raw = Array(path.utf8)
        guard raw.first == UInt8(ascii: "/") else { throw UpstreamPathRefusal(segment: 0, kind: .relative) }
        guard raw.count > 1 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var segments: [Range<Int>] = []
        var start = 1
        while start <= raw.count {
            let end = raw[start...].firstIndex(of: UInt8(ascii: "/")) ?? raw.count
            bytes.append(UInt8(ascii: "/"))
            let decodedStart = bytes.count
            try Self.appendDecoded(raw[start..<end], segment: segments.count + 1, to: &bytes)
            segments.append(decodedStart..<bytes.count)
            start = end + 1
        }
        self.init(bytes: bytes, segments: segments, isDecoded: true)
    }

    /// Decodes one raw segment onto `output`, refusing what upstreams read in different ways.
    private static func appendDecoded(_ raw: ArraySlice<UInt8>, segment: Int, to output: inout [UInt8]) throws(UpstreamPathRefusal) {
        func refuse(_ kind: UpstreamPathRefusal.Kind) -> UpstreamPathRefusal { UpstreamPathRefusal(segment: segment, kind: kind) }
        guard !raw.isEmpty else { throw refuse(.emptySegment) }
        let start = output.count
        var index = raw.startIndex
        while index < raw.endIndex {
            var byte = raw[index]
            let escaped = byte == UInt8(ascii: "%")
            if escaped {
                guard index + 2 < raw.endIndex, let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2]) else {
                    throw refuse(.invalidEscape)
                }
                byte = high << 4 | low
                if URISyntax.isUnreserved(byte) { throw refuse(.needlessEscape(byte)) }
                index += 3
            } else {
                index += 1
            }
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: ";"):
                throw refuse(.separator(byte, escaped: escaped))
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"):
                // As they are, `?` and `#` end the path; only their escapes reach a segment.
                guard escaped else { throw refuse(.separator(byte, escaped: false)) }
                if byte == UInt8(ascii: "/") { throw refuse(.separator(byte, escaped: true)) }
            case ..<0x20, 0x7F:
                throw refuse(.controlCharacter)
            default:
                break
            }
            output.append(byte)
        }
        let decoded = output[start...]
        if decoded.elementsEqual(".".utf8) || decoded.elementsEqual("..".utf8) { throw refuse(.dotSegment) }
        // ASCII was checked byte by byte above; the rest needs its scalars.
        guard decoded.contains(where: { $0 >= 0x80 }) else {
            if decoded.first == UInt8(ascii: " ") || decoded.last == UInt8(ascii: " ") { throw refuse(.surroundingWhitespace) }
            return
        }
        guard let text = UTF8Text.string(decoded) else { throw refuse(.notUTF8) }
        let scalars = text.unicodeScalars
        if scalars.contains(where: { $0.properties.generalCategory == .control }) { throw refuse(.controlCharacter) }
        if scalars.first!.properties.isWhitespace || scalars.last!.properties.isWhitespace { throw refuse(.surroundingWhitespace) }
    }
}
