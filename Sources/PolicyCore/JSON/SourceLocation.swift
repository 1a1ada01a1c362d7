/// A position in a source file, as editors and compilers count it: 1-based line, and 1-based
/// column in Unicode scalars (the way jansson counts, so both kinds of error point alike).
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// Turns byte offsets of one source text into line and column.
struct LineTable: Sendable {
    private let bytes: [UInt8]
    private let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    func location(ofOffset offset: Int) -> SourceLocation {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let lineStart = lineStarts[low]
        let end = min(offset, bytes.count)
        // Count scalars, not bytes: continuation bytes (10xxxxxx) do not start a character.
        var column = 1
        if lineStart < end {
            for byte in bytes[lineStart..<end] where byte & 0xC0 != 0x80 { column += 1 }
        }
        return SourceLocation(line: low + 1, column: column)
    }
}
