import PolicyCore

/// What a request line names when it is an authorisation call in its plainest form:
/// `{prefix}/authorise/{type}/{service}?{query}` with a service name of unreserved characters only
/// (letters, digits, `-`, `.`, `_`, `~`; not `.` or `..`). Anything else (an escape, a fragment, a
/// trailing slash, an absolute URI) is nil, and left to the router and `PathParameter`, which read it
/// in full: this reading must never accept a path the router would read differently.
struct AuthorisationTarget: Equatable {
    let type: PolicyType
    let service: String
    /// The query string as sent, still percent-encoded; nil when there is no `?`.
    let query: String?
    /// The route pattern Hummingbird's router names the path by, the request metric's label.
    let routePattern: String

    /// The authorisation paths under each prefix, spelled out once rather than for every request.
    struct Paths: Sendable {
        fileprivate struct Prefix: Sendable {
            /// `{prefix}/authorise/`
            let lead: [UInt8]
            /// By `PolicyType.allCases`: `{prefix}/authorise/{type}/{service}`.
            let routePatterns: [String]
        }

        fileprivate let prefixes: [Prefix]

        init(prefixes: [String]) {
            self.prefixes = prefixes.map { prefix in
                Prefix(
                    lead: Array((prefix + "/authorise/").utf8),
                    routePatterns: PolicyType.allCases.map { prefix + "/authorise/" + $0.rawValue + "/{service}" })
            }
        }
    }

    init?(path: String, paths: Paths) {
        var path = path
        guard let found = path.withUTF8({ Self.read($0, paths: paths) }) else { return nil }
        type = PolicyType.allCases[found.type]
        service = found.service
        query = found.query
        routePattern = paths.prefixes[found.prefix].routePatterns[found.type]
    }

    private static func read(_ path: UnsafeBufferPointer<UInt8>, paths: Paths)
        -> (prefix: Int, type: Int, service: String, query: String?)?
    {
        guard !path.contains(UInt8(ascii: "#")) else { return nil }
        let mark = path.firstIndex(of: UInt8(ascii: "?")) ?? path.endIndex
        let route = UnsafeBufferPointer(rebasing: path[..<mark])
        for (prefixIndex, prefix) in paths.prefixes.enumerated() {
            guard route.count > prefix.lead.count, route.starts(with: prefix.lead) else { continue }
            let rest = UnsafeBufferPointer(rebasing: route[prefix.lead.count...])
            guard let slash = rest.firstIndex(of: UInt8(ascii: "/")),
                  let type = PolicyType.allCases.firstIndex(where: { $0.rawValue.utf8.elementsEqual(rest[..<slash]) })
            else { return nil }
            let service = UnsafeBufferPointer(rebasing: rest[(slash + 1)...])
            guard !service.isEmpty, service.allSatisfy(URISyntax.isUnreserved),
                  !service.elementsEqual(".".utf8), !service.elementsEqual("..".utf8)
            else { return nil }
            let query = mark < path.endIndex
                ? String(decoding: UnsafeBufferPointer(rebasing: path[(mark + 1)...]), as: UTF8.self) : nil
            return (prefixIndex, type, String(decoding: service, as: UTF8.self), query)
        }
        return nil
    }
}
