/// The route checks: methods, parameters the path does not give, and templates that overlap.
extension PolicyLint {
    static let httpMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    mutating func checkRoutes(_ table: RouteTable) {
        let routesPath = JSONPath.root.appending("routes")
        for route in table.routes {
            let routePath = routesPath.appending(route.template.text)
            if route.methods.isEmpty {
                warn(.routeWithoutMethods, at: sourceMap.keyLocation(of: routePath),
                     "route '\(route.template.text)' has no methods: every request to it is denied",
                     hint: "add a method such as \"GET\", or remove the route")
            }
            for method in route.methods {
                let methodPath = routePath.appending(method.key)
                if !Self.httpMethods.contains(method.name) {
                    warn(.unknownMethod, at: sourceMap.keyLocation(of: methodPath),
                         "'\(method.key)' is not an HTTP method",
                         hint: "methods are GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE and PATCH")
                }
                checkParametersComeFromThePath(route: route, method: method, at: methodPath)
                checkGrantableAtGateway(route: route, method: method, at: methodPath)
            }
        }
        checkOverlaps(table.routes.map(\.template), at: routesPath)
    }

    /// A group template's `{param}` that the route's path never captures must come from the
    /// body or query: legitimate (the deck's `/data/move`), but worth knowing.
    private mutating func checkParametersComeFromThePath(route: RouteTable.Route, method: RouteTable.Method, at path: JSONPath) {
        let captured = Set(route.template.parameterNames.map(ByteString.init))
        var missing: [(parameter: String, roles: [String])] = []
        for role in policy.program.roles(of: method.expression) {
            let roleName = policy.roles[role].name
            for name in policy.roles[role].templates.flatMap(\.source.parameterNames) where !captured.contains(ByteString(name)) {
                if let index = missing.firstIndex(where: { $0.parameter.hasSameBytes(as: name) }) {
                    if !missing[index].roles.contains(roleName) { missing[index].roles.append(roleName) }
                } else {
                    missing.append((name, [roleName]))
                }
            }
        }
        guard !missing.isEmpty else { return }
        let list = missing.map { "{\($0.parameter)} (for \($0.roles.joined(separator: ", ")))" }.joined(separator: ", ")
        warn(.parameterNotInPath, at: sourceMap.location(of: path),
             "\(method.name) \(route.template.text): the path does not capture \(list)",
             hint: "such parameters must come from the request body or query; without them those roles never hold, and at a gateway (which sees no body) they never do")
    }

    private mutating func checkOverlaps(_ templates: [RouteTemplate], at routesPath: JSONPath) {
        for (later, second) in templates.enumerated() {
            for first in templates[..<later] {
                guard let overlap = TemplateOverlap(first, second) else { continue }
                let location = sourceMap.keyLocation(of: routesPath.appending(second.text))
                switch overlap.kind {
                case .ambiguous:
                    warn(.ambiguousTemplates, at: location,
                         "'\(first.text)' and '\(second.text)' both match paths such as '\(overlap.example)', and neither is more specific in every segment",
                         hint: "such paths go to '\(overlap.winner.text)', whose first differing segment is literal; make one template more specific if that is not meant")
                case .shadows:
                    warn(.shadowedTemplate, at: location,
                         "paths such as '\(overlap.example)' go to '\(overlap.winner.text)', not '\(overlap.loser.text)'",
                         hint: "the more specific template wins; '\(overlap.loser.text)' still serves every other path",
                         severity: .note)
                }
            }
        }
    }
}

/// How two templates of one length that can match the same path relate.
struct TemplateOverlap {
    enum Kind {
        /// One is literal wherever the other is, and more: it wins every shared path.
        case shadows
        /// Each has a literal where the other has a parameter.
        case ambiguous
    }

    let kind: Kind
    let winner: RouteTemplate
    let loser: RouteTemplate
    /// A concrete path both match.
    let example: String

    /// Templates of one length only: one ending in `{name:path}` is left out (its overlaps depend on
    /// the path's length, which this check does not enumerate).
    init?(_ first: RouteTemplate, _ second: RouteTemplate) {
        guard first.segments.count == second.segments.count, !first.segments.isEmpty,
              !first.endsWithPath, !second.endsWithPath
        else { return nil }
        var firstRanksHigher = false
        var secondRanksHigher = false
        var example: [String] = []
        for (left, right) in zip(first.segments, second.segments) {
            switch (left, right) {
            case (.literal(let a), .literal(let b)):
                guard a.hasSameBytes(as: b) else { return nil }
                example.append(a)
            case (.literal(let a), .parameter(_, let convertor)):
                guard convertor.accepts(Array(a.utf8)[...]) else { return nil }
                firstRanksHigher = true
                example.append(a)
            case (.parameter(_, let convertor), .literal(let b)):
                guard convertor.accepts(Array(b.utf8)[...]) else { return nil }
                secondRanksHigher = true
                example.append(b)
            case (.parameter(_, let a), .parameter(_, let b)):
                guard let value = Self.commonValue(a, b) else { return nil }
                if a.rank > b.rank { firstRanksHigher = true }
                if b.rank > a.rank { secondRanksHigher = true }
                example.append(value)
            }
        }
        guard firstRanksHigher || secondRanksHigher else { return nil }
        kind = firstRanksHigher && secondRanksHigher ? .ambiguous : .shadows
        let firstWins = RouteTemplate.isMoreSpecific(first, than: second)
        winner = firstWins ? first : second
        loser = firstWins ? second : first
        self.example = "/" + example.joined(separator: "/")
    }

    /// A segment both convertors accept, or nil when none is (`int` and `uuid` share 32-digit values).
    private static func commonValue(_ a: Convertor, _ b: Convertor) -> String? {
        for candidate in ["x", "1", "1.5", "0123456789abcdef0123456789abcdef", "01234567890123456789012345678901"]
            where a.accepts(Array(candidate.utf8)[...]) && b.accepts(Array(candidate.utf8)[...]) {
            return candidate
        }
        return nil
    }
}
