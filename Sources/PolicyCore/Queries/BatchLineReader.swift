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
        guard Self.isASCII(line) else { return nil }
        groupBytes.removeAll(keepingCapacity: true)
        groupRanges.removeAll(keepingCapacity: true)
        var lexer = JSONLexer(bytes: line)
        var fields = Fields()
        guard lexer.readQuery(into: &fields, groups: &self) else { return nil }
        return fields.parsed(groups: CallerGroups(normalisedStorage: groupBytes, ranges: groupRanges, seed: seed))
    }

    /// Every byte below 0x80, eight bytes to a load and no branch per byte: a batch line of a
    /// caller with a thousand groups is tens of kilobytes, and a loop of one byte (and one branch) a
    /// step cost up to a tenth of such a run, more or less as the loop happened to be aligned.
    static func isASCII(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = UnsafeRawPointer(line.baseAddress) else { return true }
        var seen: UInt64 = 0
        var offset = 0
        while offset + 8 <= line.count {
            seen |= base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < line.count {
            seen |= UInt64(line[offset])
            offset += 1
        }
        return seen & 0x8080_8080_8080_8080 == 0
    }

    /// One group as the line gives it, normalised (one leading `/` removed).
    fileprivate mutating func appendGroup(_ bytes: UnsafeBufferPointer<UInt8>) {
        let start = groupBytes.count
        groupBytes.append(contentsOf: GroupName.normalised(bytes))
        groupRanges.append(start..<groupBytes.count)
    }
}

/// The known members of a query line, as found (first occurrence of each).
struct Fields {
    var type: PolicyType?
    var service: String?
    var route: String?
    var method: String??
    var version: JSONValue??
    var parameters = Parameters()
    /// The known members seen so far, one bit each (`Member.rawValue`).
    var seen: UInt8 = 0

    struct MissingRoute: Error {}

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
        // A route query without a route is left to the reference reading, which words the error.
        let query = try? Query(type: type, service: service, version: selector, parameters: parameters) {
            () throws(MissingRoute) in
            guard let route else { throw MissingRoute() }
            return (route, method.flatMap { $0 })
        }
        return query.map { .query($0, groups: groups) }
    }
}

/// The members of a query line, read into `Fields` and the reader's group buffer.
extension JSONLexer {
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

}
