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

    init?(path: String, prefixes: [String]) {
        var path = path.utf8[...]
        var query: String?
        if let mark = path.firstIndex(of: UInt8(ascii: "?")) {
            query = String(Substring(path[path.index(after: mark)...]))
            path = path[..<mark]
        }
        guard !path.contains(UInt8(ascii: "#")), !(query?.utf8.contains(UInt8(ascii: "#")) ?? false) else { return nil }
        for prefix in prefixes {
            let lead = prefix + "/authorise/"
            guard path.starts(with: lead.utf8) else { continue }
            let rest = path.dropFirst(lead.utf8.count)
            guard let slash = rest.firstIndex(of: UInt8(ascii: "/")),
                  let type = PolicyType.allCases.first(where: { $0.rawValue.utf8.elementsEqual(rest[..<slash]) })
            else { return nil }
            let service = rest[rest.index(after: slash)...]
            guard !service.isEmpty, service.allSatisfy(Self.isUnreserved),
                  !service.elementsEqual(".".utf8), !service.elementsEqual("..".utf8)
            else { return nil }
            self.type = type
            self.service = String(Substring(service))
            self.query = query
            routePattern = lead + type.rawValue + "/{service}"
            return
        }
        return nil
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
