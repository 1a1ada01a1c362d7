/// Where each value of a policy file stands, by JSON path. jansson gives positions for syntax
/// errors only; checks on well-formed documents find their line and column here.
struct SourceMap {
    private let bytes: [UInt8]
    private let lines: LineTable
    private let spans: [String: JSONReader.ValueSpan]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.lines = LineTable(bytes)
        // The file has passed jansson already; should this reader still disagree, positions
        // degrade to none rather than failing the load.
        self.spans = (try? JSONReader.parseWithSpans(bytes))?.1 ?? [:]
    }

    /// The first character of the value at `path`.
    func location(of path: JSONPath) -> SourceLocation? {
        spans[path.pointer].map { lines.location(ofOffset: $0.valueOffset) }
    }

    /// The member key at `path` (falls back to the value).
    func keyLocation(of path: JSONPath) -> SourceLocation? {
        guard let span = spans[path.pointer] else { return nil }
        return lines.location(ofOffset: span.keyOffset ?? span.valueOffset)
    }

    /// A byte offset inside the decoded string at `path` (or its key), mapped back through any
    /// escapes in the source to a line and column.
    func location(of path: JSONPath, stringOffset: Int, inKey: Bool = false) -> SourceLocation? {
        guard let span = spans[path.pointer] else { return nil }
        let rawStart: Int
        if inKey, let keyOffset = span.keyOffset {
            rawStart = keyOffset + 1
        } else if let raw = span.rawString {
            rawStart = raw.lowerBound
        } else {
            return lines.location(ofOffset: span.valueOffset)
        }
        var raw = rawStart
        var decoded = 0
        while decoded < stringOffset, raw < bytes.count, bytes[raw] != UInt8(ascii: "\"") {
            if bytes[raw] == UInt8(ascii: "\\") {
                let (rawLength, decodedLength) = escapeLengths(at: raw)
                if decoded + decodedLength > stringOffset { break }
                raw += rawLength
                decoded += decodedLength
            } else {
                raw += 1
                decoded += 1
            }
        }
        return lines.location(ofOffset: raw)
    }

    /// Source bytes and decoded UTF-8 bytes of the escape starting at `offset`.
    private func escapeLengths(at offset: Int) -> (raw: Int, decoded: Int) {
        guard offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u"),
              let scalar = hex4(at: offset + 2)
        else { return (2, 1) }
        if (0xD800...0xDBFF).contains(scalar) { return (12, 4) }
        switch scalar {
        case ..<0x80: return (6, 1)
        case ..<0x800: return (6, 2)
        default: return (6, 3)
        }
    }

    private func hex4(at offset: Int) -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for index in offset..<offset + 4 {
            guard let digit = hexValue(bytes[index]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

/// A path to a value in a JSON document, written as a JSON Pointer (RFC 6901).
struct JSONPath: CustomStringConvertible {
    private(set) var components: [String] = []

    static let root = JSONPath()

    func appending(_ component: String) -> JSONPath {
        var path = self
        path.components.append(component)
        return path
    }

    func appending(_ index: Int) -> JSONPath {
        appending(String(index))
    }

    var pointer: String {
        components.isEmpty ? "" : "/" + components.map(JSONReader.escapePointerComponent).joined(separator: "/")
    }

    var description: String { pointer.isEmpty ? "/" : pointer }
}
