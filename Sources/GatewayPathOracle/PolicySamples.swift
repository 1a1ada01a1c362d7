import PolicyCore

/// What to ask of one route policy: concrete paths of each route (as decoded segments), the
/// methods the policy names, and callers that hold each role for the values of a path.
public struct PolicySamples: Sendable {
    public struct Path: Sendable {
        /// The route the path was made from (a path may still resolve to another: `/nodes/dump`
        /// made from `/nodes/{node_name}`).
        public let template: Int
        public let segments: [String]
        public let values: [String: String]
        /// The methods of that route.
        public let methods: [String]
    }

    public let policy: Policy
    public let templates: [RouteTemplate]
    /// Every method the policy names.
    public let methods: [String]
    public let paths: [Path]

    public init(_ policy: Policy) {
        self.policy = policy
        templates = policy.routeTemplates.compactMap { try? RouteTemplate(parsing: $0) }
        var methodsOfRoute: [String: [String]] = [:]
        if case .object(let routes)? = policy.document["routes"] {
            for route in routes {
                guard case .object(let entries) = route.value else { continue }
                methodsOfRoute[route.key] = entries.map(\.key)
            }
        }
        methods = Array(Set(methodsOfRoute.values.joined())).sorted()
        let templates = templates
        paths = templates.enumerated().flatMap { index, template in
            Self.paths(of: template, index: index, methods: methodsOfRoute[template.text] ?? [], among: templates)
        }
    }

    /// Each parameter in turn takes each sample value (the others a plain one): values that need
    /// escapes, and the literals other templates have at its position, so that the value competes
    /// with a literal sibling (`/nodes/dump` made from `/nodes/{node_name}`).
    private static func paths(of template: RouteTemplate, index: Int, methods: [String], among templates: [RouteTemplate]) -> [Path] {
        let parameters = template.segments.compactMap { segment -> (String, Convertor)? in
            if case .parameter(let name, let convertor) = segment { (name, convertor) } else { nil }
        }
        func build(_ values: [String: String]) -> Path {
            var segments: [String] = []
            for segment in template.segments {
                switch segment {
                case .literal(let text): segments.append(text)
                case .parameter(let name, _): segments += values[name]!.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
                }
            }
            return Path(template: index, segments: segments, values: values, methods: methods)
        }
        let plain = Dictionary(uniqueKeysWithValues: parameters.map { ($0.0, samples(for: $0.1, literals: [])[0]) })
        var paths = [build(plain)]
        for (position, segment) in template.segments.enumerated() {
            guard case .parameter(let name, let convertor) = segment else { continue }
            let siblings = Set(templates.compactMap { other -> String? in
                guard position < other.segments.count, case .literal(let text) = other.segments[position] else { return nil }
                return text
            })
            for value in samples(for: convertor, literals: siblings.sorted()).dropFirst() {
                var values = plain
                values[name] = value
                paths.append(build(values))
            }
        }
        return paths
    }

    private static func samples(for convertor: Convertor, literals: [String]) -> [String] {
        switch convertor {
        case .int: ["12", "0"]
        case .float: ["1.5", "2"]
        case .uuid: ["0f0f0f0f-0000-4000-8000-00000000000a", "0F0F0F0F00004000800000000000000A"]
        case .path: ["a/b.fits", "x"] + literals
        case .str: ["alpha", "a b", "caf\u{E9}", "50%", "a:b@c", "x+y"] + literals
        }
    }

    public struct Caller: Sendable {
        public let groups: [String]
        public let table: CallerGroups

        init(_ groups: [String]) {
            self.groups = groups
            table = CallerGroups(groups)
        }
    }

    /// Callers for the values of `path`: nobody, each role alone, and every role at once.
    public func callers(for path: Path) -> [Caller] {
        guard case .object(let roles)? = policy.document["roles"] else { return [Caller([])] }
        var each: [[String]] = []
        for role in roles {
            guard case .array(let templates) = role.value else { continue }
            let groups = templates.compactMap { $0.stringValue.flatMap { substitute($0, values: path.values) } }
            if !groups.isEmpty { each.append(groups) }
        }
        return ([[]] + each + [each.flatMap { $0 }]).map(Caller.init)
    }

    private func substitute(_ text: String, values: [String: String]) -> String? {
        guard let template = try? GroupTemplate(parsing: text) else { return nil }
        var group = ""
        for piece in template.pieces {
            switch piece {
            case .literal(let literal): group += literal
            case .rootGroup: group += policy.rootGroup
            // A parameter the path does not give: any value, the gateway holds it unknown anyway.
            case .parameter(let name): group += values[name] ?? "other"
            }
        }
        return group
    }
}
