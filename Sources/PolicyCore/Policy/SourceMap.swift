/// Where each value of a policy file stands, by JSON path, from the one reading of the file
/// (`PolicySource`): checks on well-formed documents find their line and column here.
struct SourceMap: Sendable {
    /// The file's bytes, exactly as read.
    let bytes: [UInt8]
    private let lines: LineTable
    private let spans: [String: JSONReader.ValueSpan]

    init(bytes: [UInt8], spans: [String: JSONReader.ValueSpan]) {
        self.bytes = bytes
        self.lines = LineTable(bytes)
        self.spans = spans
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
        var escape: [UInt8] = []
        while decoded < stringOffset, raw < bytes.count, bytes[raw] != UInt8(ascii: "\"") {
            guard bytes[raw] == UInt8(ascii: "\\") else {
                raw += 1
                decoded += 1
                continue
            }
            // The escape as the reader decoded it: how many source bytes it takes, how many it gives.
            var next = raw
            escape.removeAll(keepingCapacity: true)
            guard JSONEscape.decode(bytes, at: &next, into: &escape) == nil,
                  decoded + escape.count <= stringOffset
            else { break }
            raw = next
            decoded += escape.count
        }
        return lines.location(ofOffset: raw)
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
