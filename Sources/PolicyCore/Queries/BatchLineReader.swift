/// `BatchQuery.parse`, for a line given as bytes: no `String` for the line and none per group, no
/// `JSONValue` tree. It reads the members the engine knows straight from the bytes, checks every
/// other value's syntax as it skips it, and lays the caller's groups end to end in one buffer that
/// becomes the engine's group table. One reader per thread: it keeps its buffers between lines.
///
/// It takes what it can answer exactly: lines of ASCII bytes whose known members have the usual
/// types. Anything else (a line that is not a query, a non-ASCII byte, a version that is no number
/// or string, a parameter that is an array or an object) goes to `BatchQuery.parse(_: String)`,
/// so the answer, or the error and its wording, is always the one that reading gives.
public struct BatchLineReader {
    private let seed: UInt64
    private var groupBytes: [UInt8] = []
    private var groupRanges: [Range<Int>] = []

    /// `seed` keys the hash of every caller's group table (one per reader, not a random one per line).
    public init(seed: UInt64) {
        self.seed = seed
    }

    public mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws(BatchQuery.Invalid) -> BatchQuery.Parsed {
        if let parsed = fastParse(line) { return parsed }
        return try BatchQuery.parse(String(decoding: line, as: UTF8.self))
    }

    private mutating func fastParse(_ line: UnsafeBufferPointer<UInt8>) -> BatchQuery.Parsed? {
        guard !line.contains(where: { $0 >= 0x80 }) else { return nil }
        groupBytes.removeAll(keepingCapacity: true)
        groupRanges.removeAll(keepingCapacity: true)
        var scanner = JSONScanner(bytes: line)
        var fields = Fields()
        guard scanner.readQuery(into: &fields, groups: &self) else { return nil }
        return fields.parsed(groups: CallerGroups(normalisedStorage: groupBytes, ranges: groupRanges, seed: seed))
    }

    /// One group as the line gives it, normalised (one leading `/` removed).
    fileprivate mutating func appendGroup(_ bytes: UnsafeBufferPointer<UInt8>) {
        let start = groupBytes.count
        groupBytes.append(contentsOf: GroupName.normalised(bytes))
        groupRanges.append(start..<groupBytes.count)
    }
}

/// The known members of a query line, as found (first occurrence of each).
private struct Fields {
    var type: PolicyType?
    var service: String?
    var route: String?
    var method: String??
    var version: JSONValue??
    var parameters = Parameters()
    /// The known members seen so far, one bit each (`Member.rawValue`).
    var seen: UInt8 = 0

    enum Member: UInt8, CaseIterable {
        case type, service, route, method, version, params, groups

        var name: StaticString {
            switch self {
            case .type: "type"
            case .service: "service"
            case .route: "route"
            case .method: "method"
            case .version: "version"
            case .params: "params"
            case .groups: "groups"
            }
        }
    }

    func parsed(groups: CallerGroups) -> BatchQuery.Parsed? {
        guard let type, let service else { return nil }
        let versionValue = version.flatMap { $0 }
        guard let selector = VersionSelector(json: versionValue) else {
            return .answered(.denied(.unusableVersion(versionValue.map { JSONWriter.string($0) } ?? "")))
        }
        let query: Query
        switch type {
        case .route:
            guard let route else { return nil }
            query = .route(RouteQuery(
                service: service, version: selector, route: route, method: method.flatMap { $0 }, parameters: parameters))
        case .exchange:
            query = .exchange(ExchangeQuery(service: service, version: selector, parameters: parameters))
        case .plugin:
            query = .plugin(PluginQuery(service: service, version: selector, parameters: parameters))
        }
        return .query(query, groups: groups)
    }
}

/// A strict JSON scanner over one line (RFC 8259, as `JSONReader` reads it: nesting at most 256),
/// returning false at the first thing it does not take, never throwing: the reference reading then
/// says what is wrong.
private struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    /// Decoded string bytes, for the strings that hold escapes.
    var decoded: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func readQuery(into fields: inout Fields, groups: inout BatchLineReader) -> Bool {
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return false }
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return atEnd() }
        while true {
            skipWhitespace()
            guard let key = scanString() else { return false }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            // Only the first of a repeated member counts, as `JSONValue`'s subscript takes the first.
            let member = withStringBytes(key) { key in
                Fields.Member.allCases.first { member in
                    key.count == member.name.utf8CodeUnitCount
                        && bytesEqual(key, UnsafeBufferPointer(start: member.name.utf8Start, count: key.count))
                }
            }
            if let member, fields.seen & (1 << member.rawValue) == 0 {
                fields.seen |= 1 << member.rawValue
                guard readMember(member, into: &fields, groups: &groups) else { return false }
            } else {
                guard skipValue(depth: 1) else { return false }
            }
            skipWhitespace()
            if take(UInt8(ascii: ",")) { continue }
            guard take(UInt8(ascii: "}")) else { return false }
            return atEnd()
        }
    }

    private mutating func readMember(_ member: Fields.Member, into fields: inout Fields, groups: inout BatchLineReader) -> Bool {
        switch member {
        case .type:
            guard let text = readString(),
                  let type = PolicyType.allCases.first(where: { $0.rawValue.hasSameBytes(as: text) })
            else { return false }
            fields.type = type
        case .service:
            guard let text = readString() else { return false }
            fields.service = text
        case .route:
            guard let text = readString() else { return false }
            fields.route = text
        case .method:
            if takeWord("null") {
                fields.method = .some(nil)
            } else {
                guard let text = readString() else { return false }
                fields.method = .some(text)
            }
        case .version:
            guard let value = readScalar() else { return false }
            fields.version = .some(value)
        case .params:
            if takeWord("null") { return true }
            return readParameters(into: &fields.parameters)
        case .groups:
            if takeWord("null") { return true }
            return readGroups(into: &groups)
        }
        return true
    }

    private mutating func readParameters(into parameters: inout Parameters) -> Bool {
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
            return take(UInt8(ascii: "}"))
        }
    }

    private mutating func readGroups(into groups: inout BatchLineReader) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return true }
        while true {
            skipWhitespace()
            guard let range = scanString() else { return false }
            withStringBytes(range) { groups.appendGroup($0) }
            skipWhitespace()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "]"))
        }
    }

    /// A string, number, `true`, `false` or `null`; nil for a container or bad syntax.
    private mutating func readScalar() -> JSONValue? {
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
    private enum StringBytes {
        case raw(Range<Int>)
        case decoded(Range<Int>)
    }

    private mutating func readString() -> String? {
        guard let range = scanString() else { return nil }
        return withStringBytes(range) { String(decoding: $0, as: UTF8.self) }
    }

    private func withStringBytes<Result>(_ string: StringBytes, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        switch string {
        case .raw(let range): body(UnsafeBufferPointer(rebasing: bytes[range]))
        case .decoded(let range): decoded.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
        }
    }

    /// Checks a string and says where its bytes are; escapes are decoded into `decoded`.
    private mutating func scanString() -> StringBytes? {
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
    private mutating func skipValue(depth: Int) -> Bool {
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

    private mutating func skipWhitespace() {
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

    private mutating func take(_ byte: UInt8) -> Bool {
        guard offset < bytes.count, bytes[offset] == byte else { return false }
        offset += 1
        return true
    }

    private mutating func takeWord(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { return false }
        offset += count
        return true
    }

    private mutating func atEnd() -> Bool {
        skipWhitespace()
        return offset == bytes.count
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
