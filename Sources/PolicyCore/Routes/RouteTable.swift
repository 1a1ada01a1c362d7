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

    init(routes: [Route], matcherKind: RouteMatcherKind) throws(RouteMatcherError) {
        self.routes = routes
        exactTemplates = ByteStringSet(routes.map { Array($0.template.text.utf8) })
        let templates = routes.map(\.template)
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

    func resolve(_ route: String) -> Resolution {
        var route = route
        if let exact = route.withUTF8({ exactTemplates.index(of: $0) }) {
            return .template(exact)
        }
        return resolve(path: route)
    }

    /// `path` taken as a concrete path only, even when it reads like a template: a gateway forwards
    /// `/data/list/{namespace}` to a service that acts on those very bytes.
    func resolve(path: String) -> Resolution {
        guard let path = ConcretePath(path), let index = matcher.match(path) else { return .noMatch }
        var captured: [(name: String, value: String)] = []
        captured.reserveCapacity(path.segments.count)
        for (position, segment) in routes[index].template.segments.enumerated() {
            if case .parameter(let name) = segment {
                captured.append((name, path.decodedSegment(path.segments[position])))
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

extension String {
    var asciiUppercased: String {
        String(decoding: utf8.map(PolicyCore.asciiUppercased), as: UTF8.self)
    }
}
