import HTTPTypes

/// The paths policyd serves and the methods each answers. Hummingbird's router answers 404 both to a
/// path nobody serves and to a method it was not told about (`QUERY`, `PROPFIND`, anything made up):
/// with this table, a known path answers such a method 405 with `Allow`, and the gateway decides it
/// like any other (a WebDAV upstream's `PROPFIND` is a method its policy can name).
struct KnownPaths: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(Substring)
        /// `{name}`: one non-empty segment.
        case parameter
        /// `**`: everything that follows, one segment or more.
        case rest
    }

    struct Entry: Sendable {
        let pattern: [Segment]
        /// Nil: every method is answered (the gateway's paths).
        let allowed: [HTTPRequest.Method]?
    }

    private(set) var entries: [Entry] = []

    mutating func add(_ path: String, allowed: [HTTPRequest.Method]?) {
        let pattern = path.split(separator: "/").map { segment -> Segment in
            if segment == "**" { return .rest }
            if segment.first == "{", segment.last == "}" { return .parameter }
            return .literal(segment)
        }
        entries.append(Entry(pattern: pattern, allowed: allowed))
    }

    /// The entry a raw path falls under, if any.
    func entry(for path: String) -> Entry? {
        // Empty segments are kept, as the router keeps them: `/v1//ping` is not `/v1/ping`.
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        return entries.first { Self.matches($0.pattern[...], segments[...]) }
    }

    private static func matches(_ pattern: ArraySlice<Segment>, _ segments: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return segments.isEmpty }
        switch first {
        case .rest:
            return !segments.isEmpty
        case .parameter:
            guard let segment = segments.first, !segment.isEmpty else { return false }
            return matches(pattern.dropFirst(), segments.dropFirst())
        case .literal(let literal):
            guard let segment = segments.first, segment.utf8.elementsEqual(literal.utf8) else { return false }
            return matches(pattern.dropFirst(), segments.dropFirst())
        }
    }
}
