/// Finds which template of a policy a concrete path matches (spec 2.3, step 3). Two
/// implementations give the same answers (a test holds them to it): a segment trie and one
/// PCRE2 pattern compiled with JIT. `RouteMatcherKind` picks one per policy set.
protocol RouteMatcher: Sendable {
    /// The index of the most specific matching template, if any.
    func match(_ path: ConcretePath) -> Int?
}

/// A matcher that cannot be built for a policy's templates (only PCRE2 has limits).
struct RouteMatcherError: Error {
    let message: String
}

public enum RouteMatcherKind: String, Sendable, CaseIterable {
    case trie
    case pcre2
}
