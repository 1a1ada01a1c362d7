/// A strict JSON scanner over bytes (RFC 8259, as `JSONReader` reads it: nesting at most 256),
/// returning false (or nil) at the first thing it does not take, never throwing: the reference
/// reading (`JSONReader`) then says what is wrong. For the hot paths that read the same few shapes
/// again and again: batch lines, and request bodies of a few parameters.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    /// Decoded string bytes, for the strings that hold escapes.
    var decoded: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// An object of scalars, as `Parameters(jsonObject:)` reads it (no member nests); false for
    /// anything else.
    mutating func readParameters(into parameters: inout Parameters) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return true }
        while true {
            skipWhitespace()
            guard let name = readString() else { return false }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            guard let value = readScalar() else { return false }
            parameters.append(name: name, value: ParameterValue(json: value))
            skipWhitespace()
            if take(UInt8(ascii: ",")) { continue }
            guard take(UInt8(ascii: "}")) else { return false }
            parameters.markRepeatedNames()
            return true
        }
    }

    /// A string, number, `true`, `false` or `null`; nil for a container or bad syntax.
    mutating func readScalar() -> JSONValue? {
        guard offset < bytes.count else { return nil }
        switch bytes[offset] {
        case UInt8(ascii: "\""): return readString().map(JSONValue.string)
        case UInt8(ascii: "t"): return takeWord("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return takeWord("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return takeWord("null") ? .null : nil
        default:
            guard let range = scanNumber() else { return nil }
            return .number(JSONNumber(literal: String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)))
        }
    }

    // MARK: Syntax

    /// Where a string's bytes are: between its quotes in the line, or in `decoded`.
    enum StringBytes {
        case raw(Range<Int>)
        case decoded(Range<Int>)
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

    /// Checks a string and says where its bytes are; escapes are decoded into `decoded`.
    mutating func scanString() -> StringBytes? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return .raw(start..<offset - 1)
            }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") { return scanEscapedString(from: start) }
            offset += 1
        }
        return nil
    }

    private mutating func scanEscapedString(from start: Int) -> StringBytes? {
        let decodedStart = decoded.count
        decoded.append(contentsOf: bytes[start..<offset])
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return .decoded(decodedStart..<decoded.count)
            case ..<0x20:
                return nil
            case UInt8(ascii: "\\"):
                guard decodeEscape() else { return nil }
            default:
                decoded.append(byte)
                offset += 1
            }
        }
        return nil
    }

    private mutating func decodeEscape() -> Bool {
        JSONEscape.decode(bytes, at: &offset, into: &decoded) == nil
    }

    /// A number's bytes, by JSON's grammar.
    private mutating func scanNumber() -> Range<Int>? {
        let start = offset
        _ = take(UInt8(ascii: "-"))
        guard offset < bytes.count, isDigit(bytes[offset]) else { return nil }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
        } else {
            skipDigits()
        }
        if take(UInt8(ascii: ".")) {
            guard offset < bytes.count, isDigit(bytes[offset]) else { return nil }
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard offset < bytes.count, isDigit(bytes[offset]) else { return nil }
            skipDigits()
        }
        return start..<offset
    }

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

    mutating func takeWord(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { return false }
        offset += count
        return true
    }

    mutating func atEnd() -> Bool {
        skipWhitespace()
        return offset == bytes.count
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

extension Parameters {
    /// The members of a request body that is one flat JSON object of strings, numbers, booleans and
    /// nulls in ASCII (what services send: `{"namespace":"testing"}`), read straight from its bytes;
    /// nil for anything else, which `JSONReader` then reads (and explains when it is not JSON).
    public init?(flatJSONObject bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        var scanner = JSONScanner(bytes: bytes)
        var parameters = Parameters()
        scanner.skipWhitespace()
        guard scanner.readParameters(into: &parameters), scanner.atEnd() else { return nil }
        self = parameters
    }
}
