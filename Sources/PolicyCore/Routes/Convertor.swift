/// What a route parameter matches, as Starlette's path convertors say (`{job_id:int}`): FastAPI
/// services send their templates exactly as declared, convertors included. Each checks the segment
/// as literals are compared: raw (undecoded) in the Permissions API's reading (spec 2.5), where
/// `%34%32` is not an `int`, which can only deny where Starlette would have decoded it to 42;
/// decoded at a gateway, as Starlette's own convertors see it (`ConcretePath`).
public enum Convertor: String, Sendable, CaseIterable {
    /// `{name}` or `{name:str}`: one non-empty segment.
    case str
    /// `{name:path}`: one or more segments, `/` included; only as the last segment of a template.
    case path
    /// `{name:int}`: decimal digits.
    case int
    /// `{name:float}`: digits, optionally a `.` and more digits.
    case float
    /// `{name:uuid}`: 32 hexadecimal digits, optionally grouped 8-4-4-4-12 by `-`.
    case uuid

    /// Where several templates match one path, the one whose first differing segment ranks higher
    /// wins: a literal ranks above every parameter, then the narrower convertor above the wider.
    var rank: Int {
        switch self {
        case .uuid: 4
        case .int: 3
        case .float: 2
        case .str: 1
        case .path: 0
        }
    }

    /// Whether one segment, as matched, is a value of this convertor (for `path`, any segment is).
    func accepts(_ segment: ArraySlice<UInt8>) -> Bool {
        switch self {
        case .str, .path: return !segment.isEmpty
        case .int: return !segment.isEmpty && segment.allSatisfy(Self.isDigit)
        case .float:
            guard let dot = segment.firstIndex(of: UInt8(ascii: ".")) else {
                return !segment.isEmpty && segment.allSatisfy(Self.isDigit)
            }
            let whole = segment[..<dot]
            let fraction = segment[(dot + 1)...]
            return !whole.isEmpty && !fraction.isEmpty && whole.allSatisfy(Self.isDigit) && fraction.allSatisfy(Self.isDigit)
        case .uuid:
            return Self.isUUID(segment)
        }
    }

    /// The same language as a PCRE2 fragment, for one segment (or, for `path`, the rest of the path).
    var pattern: String {
        switch self {
        case .str: "[^/]+"
        case .path: "[^/]+(?:/[^/]+)*"
        case .int: "[0-9]+"
        case .float: "[0-9]+(?:\\.[0-9]+)?"
        case .uuid: "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }

    /// 8-4-4-4-12 hexadecimal digits, each `-` between groups optional.
    private static func isUUID(_ segment: ArraySlice<UInt8>) -> Bool {
        var index = segment.startIndex
        for (group, length) in [8, 4, 4, 4, 12].enumerated() {
            if group > 0, index < segment.endIndex, segment[index] == UInt8(ascii: "-") { index += 1 }
            for _ in 0..<length {
                guard index < segment.endIndex, isHexDigit(segment[index]) else { return false }
                index += 1
            }
        }
        return index == segment.endIndex
    }
}
