/// A route template of a route policy, such as `/data/list/{namespace}` (spec 2.5, "Routes"):
/// it starts with `/`, has no empty segment, no `?`, `#` or `%`, and each segment is a literal
/// or exactly one whole `{name}`, or `{name:convertor}` as Starlette writes it (`Convertor`).
public struct RouteTemplate: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String, Convertor)

        var isParameter: Bool { if case .parameter = self { true } else { false } }

        /// See `Convertor.rank`: a literal ranks above every parameter.
        var rank: Int {
            switch self {
            case .literal: 5
            case .parameter(_, let convertor): convertor.rank
            }
        }
    }

    public struct SyntaxError: Error, Equatable {
        public let code: DiagnosticCode
        /// Byte offset in the template text.
        public let offset: Int
        public let message: String
    }

    public let text: String
    public let segments: [Segment]

    public init(parsing text: String) throws(SyntaxError) {
        self.text = text
        let bytes = Array(text.utf8)
        func malformed(_ offset: Int, _ message: String) -> SyntaxError {
            SyntaxError(code: .malformedRouteTemplate, offset: offset, message: message)
        }
        guard bytes.first == UInt8(ascii: "/") else {
            throw malformed(0, "a route template must start with '/'")
        }
        if let forbidden = bytes.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "%") }) {
            throw malformed(forbidden, "'\(Character(Unicode.Scalar(bytes[forbidden])))' is not allowed in a route template")
        }
        guard bytes.count > 1 else {
            self.segments = []
            return
        }
        var segments: [Segment] = []
        var seenParameters: Set<ByteString> = []
        var start = 1
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
            let segment = bytes[start..<end]
            guard !segment.isEmpty else {
                throw malformed(start - 1, end == bytes.count ? "a route template cannot end with '/'" : "empty segment ('//')")
            }
            if let brace = segment.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }) {
                let name = segment.dropFirst().dropLast()
                guard segment.first == UInt8(ascii: "{"), segment.last == UInt8(ascii: "}"), segment.count > 2,
                      !name.contains(UInt8(ascii: "{")), !name.contains(UInt8(ascii: "}"))
                else {
                    throw malformed(brace, "a segment must be a literal or exactly one whole '{name}'")
                }
                let (nameBytes, convertor) = try Self.parameter(name, at: start + 1)
                let nameText = String(decoding: nameBytes, as: UTF8.self)
                if nameText.hasSameBytes(as: "root_group") {
                    throw SyntaxError(
                        code: .rootGroupRouteParameter, offset: start,
                        message: "a route parameter cannot be named 'root_group': {root_group} is always the policy's root group")
                }
                guard seenParameters.insert(ByteString(bytes: Array(nameBytes))).inserted else {
                    throw SyntaxError(
                        code: .duplicateRouteParameter, offset: start,
                        message: "parameter '\(nameText)' appears twice in the template")
                }
                if convertor == .path, end != bytes.count {
                    throw SyntaxError(
                        code: .malformedRouteTemplate, offset: start,
                        message: "'{\(nameText):path}' takes the rest of the path: it must be the last segment")
                }
                segments.append(.parameter(nameText, convertor))
            } else {
                segments.append(.literal(String(decoding: segment, as: UTF8.self)))
            }
            start = end + 1
        }
        self.segments = segments
    }

    public var parameterNames: [String] {
        segments.compactMap { if case .parameter(let name, _) = $0 { name } else { nil } }
    }

    /// Whether the last segment is `{name:path}`, which matches one or more path segments.
    var endsWithPath: Bool {
        if case .parameter(_, .path)? = segments.last { true } else { false }
    }

    /// `name` or `name:convertor`, as Starlette reads a parameter: a `:` followed by a convertor
    /// name (letters, digits, `_`) picks the convertor; an unknown one is an error, not a name.
    private static func parameter(_ inside: ArraySlice<UInt8>, at offset: Int) throws(SyntaxError)
        -> (name: ArraySlice<UInt8>, convertor: Convertor)
    {
        guard let colon = inside.lastIndex(of: UInt8(ascii: ":")) else { return (inside, .str) }
        let name = inside[..<colon]
        let convertorText = String(decoding: inside[(colon + 1)...], as: UTF8.self)
        guard let convertor = Convertor(rawValue: convertorText) else {
            let known = Convertor.allCases.map(\.rawValue).joined(separator: ", ")
            throw SyntaxError(
                code: .unknownConvertor, offset: offset + (colon - inside.startIndex) + 1,
                message: "unknown convertor '\(convertorText)' in '{\(String(decoding: inside, as: UTF8.self))}': the convertors are \(known)")
        }
        guard !name.isEmpty else {
            throw SyntaxError(code: .malformedRouteTemplate, offset: offset, message: "a parameter needs a name before ':\(convertorText)'")
        }
        return (name, convertor)
    }

    /// The template with parameter names erased: two templates with the same shape match the
    /// same paths, which the spec makes a load error.
    var shape: ByteString {
        var bytes: [UInt8] = []
        for segment in segments {
            bytes.append(UInt8(ascii: "/"))
            switch segment {
            case .literal(let text): bytes.append(contentsOf: text.utf8)
            case .parameter(_, .str): bytes.append(contentsOf: "{}".utf8)
            case .parameter(_, let convertor): bytes.append(contentsOf: "{:\(convertor.rawValue)}".utf8)
            }
        }
        return ByteString(bytes: bytes)
    }

    /// Orders templates so that of two that match one path, the more specific comes first: at the
    /// first segment where they differ in rank, the higher wins (spec 2.3: a literal beats a
    /// parameter; among parameters the narrower convertor beats the wider, `uuid`, `int`, `float`,
    /// `str`, `path`).
    static func isMoreSpecific(_ lhs: RouteTemplate, than rhs: RouteTemplate) -> Bool {
        for (left, right) in zip(lhs.segments, rhs.segments) where left.rank != right.rank {
            return left.rank > right.rank
        }
        return lhs.segments.count < rhs.segments.count
    }
}
