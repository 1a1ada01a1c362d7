import HummingbirdCore
import PolicyCore

/// A request target that names an authorisation call, `{prefix}/authorise/{type}/{service}?{query}`,
/// read as Hummingbird reads a target before its router: the path ends at the first `?`, the query at
/// the first `#` after it, and runs of `/` count as one (so `/v1//authorise/route/s/` names `s`). The
/// authorisation pipeline answers every request so named, whatever its method; every other target
/// goes on to the router, which must therefore have no route of its own under these paths.
struct AuthorisationTarget: Equatable {
    /// The path as sent, without the query (for the request's log line).
    let path: Substring
    let type: PolicyType
    /// The service's segment as sent, still percent-encoded.
    let rawService: Substring
    /// The query string as sent, still percent-encoded; nil when there is no `?`.
    let query: Substring?
    /// The route's pattern, the request metric's label.
    let routePattern: String

    /// The service's name, percent-decoded; nil when it does not decode (the call's answer is then
    /// "no such policy", as for any name no policy has).
    var service: String? {
        if !rawService.utf8.contains(UInt8(ascii: "%")) { return String(rawService) }
        return PercentDecoding.decode(rawService, plusIsSpace: false)
    }

    /// The authorisation paths under each prefix, spelled out once rather than for every request.
    struct Paths: Sendable {
        fileprivate struct Prefix: Sendable {
            /// The prefix's segments, then `authorise`.
            let segments: [[UInt8]]
            /// By `PolicyType.allCases`: `{prefix}/authorise/{type}/{service}`.
            let routePatterns: [String]
        }

        fileprivate let prefixes: [Prefix]
        /// Every path the pipeline serves, as a route pattern.
        var routePatterns: [String] { prefixes.flatMap(\.routePatterns) }
        fileprivate let types = PolicyType.allCases.map { Array($0.rawValue.utf8) }

        init(prefixes: [String]) {
            self.prefixes = prefixes.map { prefix in
                Prefix(
                    segments: (prefix + "/authorise").split(separator: "/").map { Array($0.utf8) },
                    routePatterns: PolicyType.allCases.map { prefix + "/authorise/" + $0.rawValue + "/{service}" })
            }
        }
    }

    init?(target: String, paths: Paths) {
        let path: Substring, query: Substring?
        if target.utf8.first == UInt8(ascii: "/") {
            // The origin form, which is what clients send to a server.
            let mark = target.utf8.firstIndex(of: UInt8(ascii: "?"))
            path = target[..<(mark ?? target.endIndex)]
            query = mark.map { mark in
                let rest = target[target.utf8.index(after: mark)...]
                return rest[..<(rest.utf8.firstIndex(of: UInt8(ascii: "#")) ?? rest.endIndex)]
            }
        } else {
            // The absolute form (`http://host/v1/…`), rare enough to be read by Hummingbird's own `URI`.
            let uri = URI(target)
            path = uri.path[...]
            query = uri.query.map { $0[...] }
        }
        guard let found = Self.match(path, paths: paths) else { return nil }
        self.path = path
        type = PolicyType.allCases[found.type]
        rawService = found.service
        self.query = query
        routePattern = paths.prefixes[found.prefix].routePatterns[found.type]
    }

    private static func match(_ path: Substring, paths: Paths) -> (prefix: Int, type: Int, service: Substring)? {
        var segments = Segments(path.utf8)
        guard let first = segments.next() else { return nil }
        for (index, prefix) in paths.prefixes.enumerated() where prefix.segments[0].elementsEqual(path.utf8[first]) {
            var rest = segments
            guard prefix.segments.dropFirst().allSatisfy({ literal in rest.next().map { literal.elementsEqual(path.utf8[$0]) } ?? false }),
                  let typeSegment = rest.next(), let serviceSegment = rest.next(), rest.next() == nil
            else { continue }
            guard let type = paths.types.firstIndex(where: { $0.elementsEqual(path.utf8[typeSegment]) }) else { return nil }
            return (index, type, Substring(path.utf8[serviceSegment]))
        }
        return nil
    }

    /// A path's segments as the router splits it, runs of `/` as one, read in place.
    private struct Segments {
        let bytes: Substring.UTF8View
        var position: Substring.UTF8View.Index

        init(_ bytes: Substring.UTF8View) {
            self.bytes = bytes
            position = bytes.startIndex
        }

        mutating func next() -> Range<Substring.UTF8View.Index>? {
            while position < bytes.endIndex, bytes[position] == UInt8(ascii: "/") { bytes.formIndex(after: &position) }
            guard position < bytes.endIndex else { return nil }
            let start = position
            while position < bytes.endIndex, bytes[position] != UInt8(ascii: "/") { bytes.formIndex(after: &position) }
            return start..<position
        }
    }
}
