/// How one kind of upstream server reads a request path before it routes it. Each is a reading
/// that a server behind a gateway really makes; the gateway must decide every path it does not
/// refuse on the template and values that every one of them routes to.
public enum UpstreamReading: String, CaseIterable, Sendable {
    /// uvicorn and Starlette (FastAPI), Flask: the whole path decoded once (`%2F` becomes `/`).
    case decoding
    /// Tomcat and other servlet containers (the opencadc services): `;…` stripped from each raw
    /// segment, then decoded, `//` merged and dot segments resolved.
    case servlet
    /// nginx with a URI in `proxy_pass`, Envoy with `normalize_path` and `merge_slashes`: decoded,
    /// `//` merged, dot segments resolved.
    case normalisingProxy
    /// IIS and ASP.NET: decoded, literals compared ignoring case.
    case caseInsensitive
    /// Spring's `AntPathMatcher` with `trimTokens`: decoded, each segment trimmed of white space and
    /// control characters, empty segments dropped.
    case trimming
    /// Servers on Windows and some Java stacks: decoded, `\` taken for `/`.
    case backslashSeparating
    /// Servers written in C: decoded, and cut at the first NUL.
    case nulTerminated

    /// Whether literal segments are compared ignoring case.
    public var ignoresCase: Bool { self == .caseInsensitive }

    /// The segments the upstream routes on (what follows each `/`), for a raw path starting with `/`.
    public func segments(of raw: String) -> [String] {
        switch self {
        case .decoding, .caseInsensitive:
            return Self.split(PercentEncoding.unquote(raw))
        case .servlet:
            let stripped = Self.pieces(of: raw, at: "/").map { Self.pieces(of: $0, at: ";")[0] }.joined(separator: "/")
            return Self.normalised(Self.split(PercentEncoding.unquote(stripped)))
        case .normalisingProxy:
            return Self.normalised(Self.split(PercentEncoding.unquote(raw)))
        case .trimming:
            return Self.split(PercentEncoding.unquote(raw)).map(Self.trimmed).filter { !$0.isEmpty }
        case .backslashSeparating:
            return Self.split(Self.pieces(of: PercentEncoding.unquote(raw), at: "\\").joined(separator: "/"))
        case .nulTerminated:
            let decoded = PercentEncoding.unquote(raw)
            return Self.split(String(decoded.unicodeScalars.prefix(while: { $0 != "\0" })))
        }
    }

    /// What follows each `/` of a path that starts with one.
    private static func split(_ path: String) -> [String] {
        Array(pieces(of: path, at: "/").dropFirst())
    }

    /// `text` cut at every `separator` byte, empty pieces kept. By bytes, as servers cut: Swift's
    /// `split` cuts at characters, and `/` followed by a combining mark is another character.
    private static func pieces(of text: String, at separator: Unicode.Scalar) -> [String] {
        text.utf8.split(separator: UInt8(separator.value), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// White space and control characters dropped from both ends, as Java's `trim` drops them.
    private static func trimmed(_ segment: String) -> String {
        func isTrimmed(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
        }
        var scalars = segment.unicodeScalars[...]
        while let first = scalars.first, isTrimmed(first) { scalars.removeFirst() }
        while let last = scalars.last, isTrimmed(last) { scalars.removeLast() }
        return String(scalars)
    }

    /// `//` merged (a trailing `/` kept), then dot segments removed as RFC 3986 §5.2.4 says.
    private static func normalised(_ segments: [String]) -> [String] {
        var output: [String] = []
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            if segment.isEmpty, !isLast { continue }
            if segment.utf8.elementsEqual(".".utf8) {
                if isLast { output.append("") }
            } else if segment.utf8.elementsEqual("..".utf8) {
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            } else {
                output.append(segment)
            }
        }
        return output
    }
}
