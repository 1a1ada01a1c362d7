/// The one lexer of JSON (RFC 8259) that policyd has for what clients send: request bodies, batch
/// lines, issuer answers, token parts, and also the policy files' one reading. It scans in place
/// over bytes and never throws: a scan that fails returns false (or nil), leaves `offset` at the
/// byte it stopped at and says why in `problem`. `JSONReader` builds values on it and turns a
/// failure into its error; the hot paths (batch lines, flat request bodies) read the few shapes
/// they know straight from it and hand anything else to the reader. Every scan moves forward
/// only: linear in the input.
struct JSONLexer {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    /// Decoded string bytes, for the strings that hold escapes.
    var decoded: [UInt8] = []
    /// Why the last scan that failed did; meaningful only after a failure.
    private(set) var problem = ""

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Where a string's bytes are: between its quotes in the input, or in `decoded`.
    enum StringBytes {
        case raw(Range<Int>)
        case decoded(Range<Int>)
    }

    // MARK: Scalars

    /// A string, number, `true`, `false` or `null`; nil for a container or bad syntax. Strings are
    /// not checked for UTF-8 here: the hot paths take ASCII input only, and the reader checks.
    mutating func readScalar() -> JSONValue? {
        guard offset < bytes.count else { return nil }
        switch bytes[offset] {
        case UInt8(ascii: "\""): return readString().map(JSONValue.string)
        case UInt8(ascii: "t"): return takeWord("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return takeWord("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return takeWord("null") ? .null : nil
        default:
            guard let range = scanNumber() else { return nil }
            return .number(number(range))
        }
    }

    mutating func readString() -> String? {
        guard let range = scanString() else { return nil }
        return withStringBytes(range) { String(decoding: $0, as: UTF8.self) }
    }

    func withStringBytes<Result>(_ string: StringBytes, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        switch string {
        case .raw(let range): body(UnsafeBufferPointer(rebasing: bytes[range]))
        case .decoded(let range): decoded.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
        }
    }

    func number(_ range: Range<Int>) -> JSONNumber {
        JSONNumber(literal: String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }

    // MARK: Strings

    /// Checks the string at `offset` (nil without a problem when no `"` is there) and says where its
    /// bytes are; escapes are decoded into `decoded`.
    mutating func scanString() -> StringBytes? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return .raw(start..<offset - 1)
            }
            if byte < 0x20 { return fail("control character in a string") }
            if byte == UInt8(ascii: "\\") { return scanEscapedString(from: start) }
            offset += 1
        }
        return fail("unterminated string")
    }

    private mutating func scanEscapedString(from start: Int) -> StringBytes? {
        let decodedStart = decoded.count
        decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return .decoded(decodedStart..<decoded.count)
            case ..<0x20:
                return fail("control character in a string")
            case UInt8(ascii: "\\"):
                if let why = JSONEscape.decode(bytes, at: &offset, into: &decoded) { return fail(why) }
            default:
                decoded.append(byte)
                offset += 1
            }
        }
        return fail("unterminated string")
    }

    // MARK: Numbers and words

    /// A number's bytes, by JSON's grammar.
    mutating func scanNumber() -> Range<Int>? {
        let start = offset
        _ = take(UInt8(ascii: "-"))
        guard offset < bytes.count, isDigit(bytes[offset]) else { return fail("invalid number") }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
        } else {
            skipDigits()
        }
        if take(UInt8(ascii: ".")) {
            guard offset < bytes.count, isDigit(bytes[offset]) else { return fail("invalid number") }
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard offset < bytes.count, isDigit(bytes[offset]) else { return fail("invalid number") }
            skipDigits()
        }
        return start..<offset
    }

    /// `true`, `false` or `null`, whole; `offset` stays at its first byte when it is not.
    mutating func takeWord(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return fail("invalid literal") }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { return fail("invalid literal") }
        offset += count
        return true
    }

    // MARK: Skipping

    /// Any value, checked and skipped; `depth` counts the containers around it.
    mutating func skipValue(depth: Int) -> Bool {
        guard offset < bytes.count else { return false }
        switch bytes[offset] {
        case UInt8(ascii: "\""): return scanString() != nil
        case UInt8(ascii: "t"): return takeWord("true")
        case UInt8(ascii: "f"): return takeWord("false")
        case UInt8(ascii: "n"): return takeWord("null")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < JSONReader.maximumDepth else { return false }
            let isObject = bytes[offset] == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            offset += 1
            skipWhitespace()
            if take(close) { return true }
            while true {
                skipWhitespace()
                if isObject {
                    guard scanString() != nil else { return false }
                    skipWhitespace()
                    guard take(UInt8(ascii: ":")) else { return false }
                    skipWhitespace()
                }
                guard skipValue(depth: depth + 1) else { return false }
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                return take(close)
            }
        default:
            return scanNumber() != nil
        }
    }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard offset < bytes.count, bytes[offset] == byte else { return false }
        offset += 1
        return true
    }

    /// The next byte, if any, without taking it.
    var next: UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    mutating func atEnd() -> Bool {
        skipWhitespace()
        return offset == bytes.count
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Records why a scan failed; nil (or false) for the scan to return.
    private mutating func fail<Nothing: ExpressibleByNilLiteral>(_ why: String) -> Nothing {
        problem = why
        return nil
    }

    private mutating func fail(_ why: String) -> Bool {
        problem = why
        return false
    }
}
