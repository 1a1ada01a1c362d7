/// A strict JSON reader (RFC 8259) for request bodies and batch query lines, and for the source
/// map of policy files. Policies themselves are parsed by jansson; this reader exists because
/// requests need what jansson cannot give: number literals kept as written (an integer beyond
/// 64 bits must be "not usable", not a syntax error) and byte offsets of every value.
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

    private let bytes: [UInt8]
    private var offset = 0
    private var depth = 0
    private var recordsSpans: Bool
    private var pointer: [String] = []
    private(set) var spans: [String: ValueSpan] = [:]

    private init(bytes: [UInt8], recordsSpans: Bool) {
        self.bytes = bytes
        self.recordsSpans = recordsSpans
    }

    /// Parses one complete JSON text.
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var reader = JSONReader(bytes: bytes, recordsSpans: false)
        return try reader.parseDocument()
    }

    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Parses and records the span of every value, keyed by JSON Pointer (RFC 6901).
    static func parseWithSpans(_ bytes: [UInt8]) throws(SyntaxError) -> (JSONValue, [String: ValueSpan]) {
        var reader = JSONReader(bytes: bytes, recordsSpans: true)
        let value = try reader.parseDocument()
        return (value, reader.spans)
    }

    private mutating func parseDocument() throws(SyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(keyOffset: nil)
        skipWhitespace()
        guard offset == bytes.count else { throw error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(offset: offset, message: message)
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    private mutating func record(_ span: ValueSpan) {
        guard recordsSpans else { return }
        spans[pointer.isEmpty ? "" : "/" + pointer.joined(separator: "/")] = span
    }

    private mutating func parseValue(keyOffset: Int?) throws(SyntaxError) -> JSONValue {
        guard offset < bytes.count else { throw error("unexpected end of input") }
        let start = offset
        switch bytes[offset] {
        case UInt8(ascii: "{"):
            record(ValueSpan(valueOffset: start, keyOffset: keyOffset))
            return try parseObject()
        case UInt8(ascii: "["):
            record(ValueSpan(valueOffset: start, keyOffset: keyOffset))
            return try parseArray()
        case UInt8(ascii: "\""):
            let (string, raw) = try parseString()
            record(ValueSpan(valueOffset: start, keyOffset: keyOffset, rawString: raw))
            return .string(string)
        case UInt8(ascii: "t"):
            try expectWord("true")
            record(ValueSpan(valueOffset: start, keyOffset: keyOffset))
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            record(ValueSpan(valueOffset: start, keyOffset: keyOffset))
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null")
            record(ValueSpan(valueOffset: start, keyOffset: keyOffset))
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try parseNumber()
            record(ValueSpan(valueOffset: start, keyOffset: keyOffset))
            return .number(number)
        default:
            throw error("unexpected character")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(SyntaxError) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw error("invalid literal") }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] {
            throw error("invalid literal")
        }
        offset += count
    }

    private mutating func enterContainer() throws(SyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
    }

    private mutating func parseObject() throws(SyntaxError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        offset += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw error("expected a string key")
            }
            let keyOffset = offset
            let (key, _) = try parseString()
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw error("expected ':'") }
            offset += 1
            skipWhitespace()
            if recordsSpans { pointer.append(Self.escapePointerComponent(key)) }
            let value = try parseValue(keyOffset: keyOffset)
            if recordsSpans { pointer.removeLast() }
            members.append(JSONMember(key, value))
            skipWhitespace()
            guard offset < bytes.count else { throw error("unexpected end of input in an object") }
            if bytes[offset] == UInt8(ascii: ",") {
                offset += 1
                continue
            }
            guard bytes[offset] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
            offset += 1
            return .object(members)
        }
    }

    private mutating func parseArray() throws(SyntaxError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        offset += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if recordsSpans { pointer.append(String(elements.count)) }
            elements.append(try parseValue(keyOffset: nil))
            if recordsSpans { pointer.removeLast() }
            skipWhitespace()
            guard offset < bytes.count else { throw error("unexpected end of input in an array") }
            if bytes[offset] == UInt8(ascii: ",") {
                offset += 1
                continue
            }
            guard bytes[offset] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
            offset += 1
            return .array(elements)
        }
    }

    private mutating func parseNumber() throws(SyntaxError) -> JSONNumber {
        let start = offset
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("invalid number") }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
        } else {
            while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("invalid number") }
            while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("invalid number") }
            while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
        }
        return JSONNumber(literal: String(decoding: bytes[start..<offset], as: UTF8.self))
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Returns the decoded string and the range of its raw bytes between the quotes.
    private mutating func parseString() throws(SyntaxError) -> (String, Range<Int>) {
        offset += 1
        let rawStart = offset
        var decoded: [UInt8] = []
        var hasEscapes = false
        while true {
            guard offset < bytes.count else { throw error("unterminated string") }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw error("control character in a string") }
            if byte == UInt8(ascii: "\\") {
                if !hasEscapes {
                    decoded.append(contentsOf: bytes[rawStart..<offset])
                    hasEscapes = true
                }
                try parseEscape(into: &decoded)
                continue
            }
            if hasEscapes { decoded.append(byte) }
            offset += 1
        }
        let raw = rawStart..<offset
        offset += 1
        let utf8 = hasEscapes ? decoded[...] : bytes[raw]
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw SyntaxError(offset: rawStart, message: "string is not valid UTF-8")
        }
        return (string, raw)
    }

    private mutating func parseEscape(into decoded: inout [UInt8]) throws(SyntaxError) {
        if let problem = JSONEscape.decode(bytes, at: &offset, into: &decoded) { throw error(problem) }
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

func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
