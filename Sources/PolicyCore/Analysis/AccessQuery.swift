/// A set of request parameters under which a caller is granted a rule: every parameter of
/// `values` has that value, and no combination of `excluded` is met entirely. Parameters named
/// in neither may have any value, or be missing. Empty `values` and `excluded`: whatever the
/// parameters.
public struct ParameterGrant: Sendable, Equatable {
    /// Sorted by name.
    public let values: [ParameterBinding]
    /// Each a combination that takes the grant away; each names parameters outside `values`.
    public let excluded: [[ParameterBinding]]
    /// The alternative of `policyc access who` that grants it.
    public let alternative: GrantAlternative
    /// Route parameters bound to a value the route's convertor refuses (`{job_id:int}` and
    /// `abc`): granted to a service that sends the template with the value as a parameter, never
    /// through a concrete path.
    public let refusedByConvertor: [String]

    public var isUnconditional: Bool { values.isEmpty && excluded.isEmpty }

    /// Whether a request with exactly these usable parameters is in the grant.
    public func admits(_ parameters: [ParameterBinding]) -> Bool {
        parameters.includes(values) && !excluded.contains { parameters.includes($0) }
    }

    /// Whether every request in `other` is in this grant too (a sufficient test: `other` then
    /// adds nothing to a list that holds this one).
    func covers(_ other: ParameterGrant) -> Bool {
        guard other.values.includes(values) else { return false }
        return excluded.allSatisfy { exclusion in
            other.values.conflicts(with: exclusion)
                || other.excluded.contains { (other.values + exclusion).includes($0) }
        }
    }
}

/// What a caller holding exactly `groups` is granted (`policyc access what`): per rule, the
/// parameter values under which its expression holds. Exact: unifying each template of an
/// alternative with each group gives the values that make the template name it
/// (`data/namespaces/{namespace}/viewer` and `data/namespaces/testing/viewer`: `namespace` =
/// `testing`); the alternative's `allOf` templates must agree on every value, and each way a
/// `noneOf` template names one of the groups is a combination the grant excludes.
public struct AccessQuery: Sendable {
    /// As presented.
    public let groups: [String]
    private let normalised: [ArraySlice<UInt8>]

    public init(groups: [String]) {
        self.groups = groups
        normalised = groups.map { GroupName.normalised(Array($0.utf8)) }
    }

    /// Nil when the rule was not analysed; empty when the groups are never granted it.
    public func grants(_ rule: PolicyAccess.Rule) -> [ParameterGrant]? {
        guard let alternatives = rule.grants.alternatives else { return nil }
        var templates: [ByteString: CompiledGroupTemplate] = [:]
        for role in rule.side.roleIndices {
            for template in rule.side.usableTemplates(of: role) { templates[ByteString(template.heldText)] = template }
        }
        let candidates = alternatives.flatMap { alternative in
            grants(through: alternative, templates: templates, route: rule.routeTemplate)
        }
        // Drop what an earlier or broader grant already holds, keeping the order of the alternatives.
        // Broadest first (fewest values, then fewest exclusions), ties in the alternatives' order.
        let order = candidates.indices.sorted {
            (candidates[$0].values.count, candidates[$0].excluded.count, $0) < (candidates[$1].values.count, candidates[$1].excluded.count, $1)
        }
        var kept: [Int] = []
        for index in order where !kept.contains(where: { candidates[$0].covers(candidates[index]) }) {
            kept.append(index)
        }
        return kept.sorted().map { candidates[$0] }
    }

    private func grants(
        through alternative: GrantAlternative, templates: [ByteString: CompiledGroupTemplate], route: RouteTemplate?
    ) -> [ParameterGrant] {
        func ways(_ text: String) -> [[ParameterBinding]] {
            let template = templates[ByteString(text)]!
            return Array(Set(normalised.flatMap { template.bindings(naming: $0) }))
        }
        var assignments: [[ParameterBinding]] = [[]]
        for text in alternative.allOf {
            let options = ways(text)
            assignments = Array(Set(assignments.flatMap { assignment in options.compactMap { assignment.merged(with: $0) } }))
            if assignments.isEmpty { return [] }
        }
        let exclusions = alternative.noneOf.flatMap(ways)
        return assignments.sorted { $0.lexicographicallyPrecedes($1) }.compactMap { values in
            var remaining: [[ParameterBinding]] = []
            for exclusion in exclusions where !values.conflicts(with: exclusion) {
                let rest = exclusion.filter { values.value(of: $0.name) == nil }
                // A group the caller holds whatever the free parameters: this assignment is lost.
                if rest.isEmpty { return nil }
                remaining.append(rest)
            }
            let minimal = Set(remaining).filter { exclusion in
                !remaining.contains { $0.count < exclusion.count && exclusion.includes($0) }
            }
            return ParameterGrant(
                values: values, excluded: minimal.sorted { $0.lexicographicallyPrecedes($1) }, alternative: alternative,
                refusedByConvertor: route.map { Self.refused(values, by: $0) } ?? [])
        }
    }

    /// The bound parameters the route captures with a convertor that refuses their value. A
    /// convertor reads the raw segment, and no percent-encoding of a refused value is accepted
    /// (every convertor but `str` and `path` accepts unreserved characters only).
    private static func refused(_ values: [ParameterBinding], by route: RouteTemplate) -> [String] {
        route.segments.compactMap { segment in
            guard case .parameter(let name, let convertor) = segment, let value = values.value(of: name),
                  !convertor.accepts(Array(value.utf8)[...])
            else { return nil }
            return name
        }
    }
}
