/// A strict JSON reader (RFC 8259) built on `JSONLexer`: values as a `JSONValue` tree, and, for the
/// policy files' one reading and policy test files, where each value stands. It exists beside
/// jansson (which words a policy file's syntax errors) because what policyd reads needs what
/// jansson cannot give: number literals kept as written (an integer beyond 64 bits must be "not
/// usable", not a syntax error; `1.0` is not `1`) and the byte offset of every value.
public struct JSONReader {
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public let offset: Int
        public let message: String
        public var description: String { "\(message) at byte \(offset)" }
    }

    /// Where a value stands in the source: its first byte, the first byte of its member key (for
    /// object members), and for strings the raw bytes between the quotes.
    public struct ValueSpan: Sendable {
        public var valueOffset: Int
        public var keyOffset: Int?
        public var rawString: Range<Int>?
    }

    /// Nesting deeper than this is refused: recursion must not be steerable by input.
    public static let maximumDepth = 256

    private var lexer: JSONLexer
    private var depth = 0
    private var recordsSpans: Bool
    private var pointer: [String] = []
    private(set) var spans: [String: ValueSpan] = [:]

    private init(bytes: UnsafeBufferPointer<UInt8>, recordsSpans: Bool) {
        self.lexer = JSONLexer(bytes: bytes)
        self.recordsSpans = recordsSpans
    }

    /// Parses one complete JSON text.
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(SyntaxError) in
            var reader = JSONReader(bytes: buffer, recordsSpans: false)
            return try reader.parseDocument()
        }
    }

    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Parses and records the span of every value, keyed by JSON Pointer (RFC 6901).
    static func parseWithSpans(_ bytes: [UInt8]) throws(SyntaxError) -> (JSONValue, [String: ValueSpan]) {
        try bytes.withUnsafeBufferPointer { buffer throws(SyntaxError) in
            var reader = JSONReader(bytes: buffer, recordsSpans: true)
            let value = try reader.parseDocument()
            return (value, reader.spans)
        }
    }

    private mutating func parseDocument() throws(SyntaxError) -> JSONValue {
        lexer.skipWhitespace()
        let value = try parseValue(keyOffset: nil)
        guard lexer.atEnd() else { throw error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(offset: lexer.offset, message: message)
    }

    /// The lexer's own account of a scan that failed.
    private var lexerError: SyntaxError {
        error(lexer.problem)
    }

    private mutating func record(_ span: ValueSpan) {
        guard recordsSpans else { return }
        spans[pointer.isEmpty ? "" : "/" + pointer.joined(separator: "/")] = span
    }

    private mutating func parseValue(keyOffset: Int?) throws(SyntaxError) -> JSONValue {
        guard let first = lexer.next else { throw error("unexpected end of input") }
        let start = lexer.offset
        let value: JSONValue
        var rawString: Range<Int>?
        switch first {
        case UInt8(ascii: "{"):
            record(ValueSpan(valueOffset: start, keyOffset: keyOffset))
            return try parseObject()
        case UInt8(ascii: "["):
            record(ValueSpan(valueOffset: start, keyOffset: keyOffset))
            return try parseArray()
        case UInt8(ascii: "\""):
            let string: String
            (string, rawString) = try parseString()
            value = .string(string)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            guard let scalar = lexer.readScalar() else { throw lexerError }
            value = scalar
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let range = lexer.scanNumber() else { throw lexerError }
            value = .number(lexer.number(range))
        default:
            throw error("unexpected character")
        }
        record(ValueSpan(valueOffset: start, keyOffset: keyOffset, rawString: rawString))
        return value
    }

    private mutating func enterContainer() throws(SyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
        lexer.offset += 1
        lexer.skipWhitespace()
    }

    private mutating func parseObject() throws(SyntaxError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var members: [JSONMember] = []
        if lexer.take(UInt8(ascii: "}")) { return .object(members) }
        while true {
            lexer.skipWhitespace()
            guard lexer.next == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyOffset = lexer.offset
            let (key, _) = try parseString()
            lexer.skipWhitespace()
            guard lexer.take(UInt8(ascii: ":")) else { throw error("expected ':'") }
            lexer.skipWhitespace()
            if recordsSpans { pointer.append(Self.escapePointerComponent(key)) }
            let value = try parseValue(keyOffset: keyOffset)
            if recordsSpans { pointer.removeLast() }
            members.append(JSONMember(key, value))
            lexer.skipWhitespace()
            if lexer.take(UInt8(ascii: ",")) { continue }
            if lexer.take(UInt8(ascii: "}")) { return .object(members) }
            throw error(lexer.next == nil ? "unexpected end of input in an object" : "expected ',' or '}'")
        }
    }

    private mutating func parseArray() throws(SyntaxError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        if lexer.take(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            lexer.skipWhitespace()
            if recordsSpans { pointer.append(String(elements.count)) }
            elements.append(try parseValue(keyOffset: nil))
            if recordsSpans { pointer.removeLast() }
            lexer.skipWhitespace()
            if lexer.take(UInt8(ascii: ",")) { continue }
            if lexer.take(UInt8(ascii: "]")) { return .array(elements) }
            throw error(lexer.next == nil ? "unexpected end of input in an array" : "expected ',' or ']'")
        }
    }

    /// The decoded string at `offset` (its opening quote), checked to be UTF-8, and the range of its
    /// raw bytes between the quotes.
    private mutating func parseString() throws(SyntaxError) -> (String, Range<Int>) {
        // One string's decoded bytes at a time: the buffer is reused, never grown by the document.
        lexer.decoded.removeAll(keepingCapacity: true)
        let rawStart = lexer.offset + 1
        guard let bytes = lexer.scanString() else { throw lexerError }
        let raw = rawStart..<lexer.offset - 1
        guard let string = lexer.withStringBytes(bytes, { UTF8Text.string($0) }) else {
            throw SyntaxError(offset: rawStart, message: "string is not valid UTF-8")
        }
        return (string, raw)
    }

    static func escapePointerComponent(_ key: String) -> String {
        var escaped = ""
        for character in key.unicodeScalars {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
