/// The extra prefix the routes are served under (`--root-path /permissions` serves
/// `/permissions/v1/…` beside `/v1/…`), as path segments.
public struct RootPath: Sendable, Equatable, CustomStringConvertible {
    public let segments: [String]

    public static let none = RootPath(checkedSegments: [])

    private init(checkedSegments: [String]) {
        self.segments = checkedSegments
    }

    /// Leading and trailing `/` are optional; `""` and `/` mean no root path. Segments that the
    /// router would read as patterns (`{x}`, `:x`, `*`) are refused rather than silently matching
    /// more than the operator meant.
    public init(_ text: String) throws(ConfigurationError) {
        let segments = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let inner = Array(segments.drop { $0.isEmpty }.reversed().drop { $0.isEmpty }.reversed())
        for segment in inner {
            guard !segment.isEmpty, !segment.hasPrefix(":"),
                  !segment.contains(where: { "{}*?#%".contains($0) || $0.isWhitespace })
            else {
                throw ConfigurationError("root path '\(text)': each segment must be non-empty plain text (no {}, :, *, ?, #, % or spaces)")
            }
        }
        self.init(checkedSegments: inner)
    }

    /// The route prefixes served: always `/v1`, and `/<root>/v1` when a root path is set.
    public var versionPrefixes: [String] {
        segments.isEmpty ? ["/v1"] : ["/v1", description + "/v1"]
    }

    public var description: String {
        segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
    }
}
