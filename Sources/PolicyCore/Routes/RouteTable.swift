/// The routes of one route policy, compiled: exact template lookup by hash, a matcher for
/// concrete paths, and per route its methods with their compiled expressions.
struct RouteTable: Sendable {
    struct Route: Sendable {
        let template: RouteTemplate
        let methods: [Method]
    }

    struct Method: Sendable {
        /// Upper-cased at load.
        let name: String
        /// The key as written in the policy, for pointing back at it.
        let key: String
        let expression: Int
        let source: String
    }

    let routes: [Route]
    private let exactTemplates: ByteStringSet
    private let matcher: any RouteMatcher
    private let literalCases: LiteralCaseFolds

    init(routes: [Route], matcherKind: RouteMatcherKind) throws(RouteMatcherError) {
        self.routes = routes
        exactTemplates = ByteStringSet(routes.map { Array($0.template.text.utf8) })
        let templates = routes.map(\.template)
        literalCases = LiteralCaseFolds(templates: templates)
        matcher = switch matcherKind {
        case .trie: SegmentTrie(templates: templates)
        case .pcre2: try PCRE2RouteMatcher(templates: templates)
        }
    }

    enum Resolution {
        /// `route` was a template of the policy, character for character.
        case template(Int)
        /// `route` was a concrete path; the captured segments, percent-decoded, by name.
        case path(Int, captured: [(name: String, value: String)])
        case noMatch
    }

    /// `route` in the Permissions API's reading (spec 2.3, step 3, and 2.5): a template of the
    /// policy, character for character, or else a concrete path whose raw segments are matched.
    func resolve(_ route: String) -> Resolution {
        var route = route
        if let exact = route.withUTF8({ exactTemplates.index(of: $0) }) {
            return .template(exact)
        }
        guard let path = ConcretePath(route) else { return .noMatch }
        return resolve(concrete: path)
    }

    /// `path` as a gateway's upstream reads it (`ConcretePath(upstreamReading:)`): a concrete path
    /// only, even when it reads like a template (a gateway forwards `/data/list/{namespace}` to a
    /// service that acts on those very bytes), decoded before it is matched, and refused when
    /// upstreams would read it in different ways, a segment that is a literal but for its case
    /// included.
    func resolve(upstreamPath path: String) throws(UpstreamPathRefusal) -> Resolution {
        guard let path = try ConcretePath(upstreamReading: path) else { return .noMatch }
        for (position, segment) in path.segments.enumerated() {
            if let literal = literalCases.literal(ofCaseVariant: path.bytes[segment]) {
                throw UpstreamPathRefusal(segment: position + 1, kind: .caseVariant(literal: literal))
            }
        }
        return resolve(concrete: path)
    }

    private func resolve(concrete path: ConcretePath) -> Resolution {
        guard let index = matcher.match(path) else { return .noMatch }
        var captured: [(name: String, value: String)] = []
        captured.reserveCapacity(path.segments.count)
        for (position, segment) in routes[index].template.segments.enumerated() {
            switch segment {
            case .literal: break
            case .parameter(let name, .path):
                // The rest of the path, decoded: it holds `/`, so it never substitutes (spec 2.2).
                captured.append((name, path.capturedValue(path.segments[position].lowerBound..<path.segments.last!.upperBound)))
            case .parameter(let name, _):
                captured.append((name, path.capturedValue(path.segments[position])))
            }
        }
        return .path(index, captured: captured)
    }

    /// The method entry for a requested method: absent or empty means GET; ASCII letters are
    /// upper-cased, nothing is trimmed.
    func method(_ requested: String?, of route: Int) -> Method? {
        let methods = routes[route].methods
        guard var requested, !requested.utf8.isEmpty else {
            return methods.first { $0.name.hasSameBytes(as: "GET") }
        }
        return requested.withUTF8 { requestedBytes in
            methods.first { entry in
                var name = entry.name
                return name.withUTF8 { nameBytes in
                    nameBytes.count == requestedBytes.count
                        && !zip(nameBytes, requestedBytes).contains { $0 != asciiUppercased($1) }
                }
            }
        }
    }
}

extension RouteTable {
    /// Why `route` matched nothing: the template it probably meant when the route starts with an API
    /// prefix whose last segment is a version (`/v1`, `/api/v1`, at most three segments) and the rest
    /// matches, else plainly no match. Frameworks add such prefixes (FastAPI's `APIRouter(prefix=)`),
    /// and callers forget to strip them. At most three more look-ups, only for a route that matched
    /// nothing; any other prefix (`/sites/SKAO/...`) is a path of its own, never a hint. At a gateway
    /// (`upstreamReading`) the rest is read as the upstream reads it.
    func noMatchReason(for route: String, upstreamReading: Bool) -> DecisionReason {
        let bytes = Array(route.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return .noMatchingRoute }
        var cut = 0
        for _ in 0..<3 {
            // A prefix of whole, non-empty segments, and something left after it.
            guard cut + 1 < bytes.count, let next = bytes[(cut + 1)...].firstIndex(of: UInt8(ascii: "/")),
                  next > cut + 1, next + 1 < bytes.count
            else { break }
            let segment = bytes[(cut + 1)..<next]
            cut = next
            guard Self.isVersion(segment) else { continue }
            let rest = String(decoding: bytes[cut...], as: UTF8.self)
            let resolution = upstreamReading ? ((try? resolve(upstreamPath: rest)) ?? .noMatch) : resolve(rest)
            let index: Int
            switch resolution {
            case .noMatch: continue
            case .template(let found), .path(let found, _): index = found
            }
            // The prefix is the caller's text, and goes into a reason: kept short.
            let prefix = String(decoding: bytes[..<cut].prefix(64), as: UTF8.self)
            return .noMatchingRouteWithPrefix(prefix: prefix, probableTemplate: routes[index].template.text)
        }
        return .noMatchingRoute
    }

    /// `v1`, `V2`: a version segment of an API prefix.
    private static func isVersion(_ segment: ArraySlice<UInt8>) -> Bool {
        segment.count >= 2 && (segment.first == UInt8(ascii: "v") || segment.first == UInt8(ascii: "V"))
            && segment.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// The method entry whose name is exactly `requested`: HTTP methods are case-sensitive, and a
    /// gateway's upstream serves the method as sent, so `get` is not `GET` there.
    func method(exactly requested: String, of route: Int) -> Method? {
        routes[route].methods.first { $0.name.hasSameBytes(as: requested) }
    }
}

@inline(__always)
func asciiUppercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
}

@inline(__always)
func asciiLowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
}

extension String {
    var asciiUppercased: String {
        String(decoding: utf8.map(PolicyCore.asciiUppercased), as: UTF8.self)
    }
}
