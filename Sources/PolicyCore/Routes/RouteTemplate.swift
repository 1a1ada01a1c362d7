/// A route template of a route policy, such as `/data/list/{namespace}` (spec 2.5, "Routes"):
/// it starts with `/`, has no empty segment, no `?`, `#` or `%`, and each segment is a literal
/// or exactly one whole `{name}`.
public struct RouteTemplate: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)

        var isParameter: Bool { if case .parameter = self { true } else { false } }
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
                let nameText = String(decoding: name, as: UTF8.self)
                if nameText.hasSameBytes(as: "root_group") {
                    throw SyntaxError(
                        code: .rootGroupRouteParameter, offset: start,
                        message: "a route parameter cannot be named 'root_group': {root_group} is always the policy's root group")
                }
                guard seenParameters.insert(ByteString(bytes: Array(name))).inserted else {
                    throw SyntaxError(
                        code: .duplicateRouteParameter, offset: start,
                        message: "parameter '\(nameText)' appears twice in the template")
                }
                segments.append(.parameter(nameText))
            } else {
                segments.append(.literal(String(decoding: segment, as: UTF8.self)))
            }
            start = end + 1
        }
        self.segments = segments
    }

    public var parameterNames: [String] {
        segments.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
    }

    /// The template with parameter names erased: two templates with the same shape match the
    /// same paths, which the spec makes a load error.
    var shape: ByteString {
        var bytes: [UInt8] = []
        for segment in segments {
            bytes.append(UInt8(ascii: "/"))
            switch segment {
            case .literal(let text): bytes.append(contentsOf: text.utf8)
            case .parameter: bytes.append(contentsOf: "{}".utf8)
            }
        }
        return ByteString(bytes: bytes)
    }

    /// Orders templates of one length so that the more specific comes first: at the first
    /// segment where one has a literal and the other a parameter, the literal wins (spec 2.3).
    static func isMoreSpecific(_ lhs: RouteTemplate, than rhs: RouteTemplate) -> Bool {
        for (left, right) in zip(lhs.segments, rhs.segments) where left.isParameter != right.isParameter {
            return !left.isParameter
        }
        return lhs.segments.count < rhs.segments.count
    }
}
