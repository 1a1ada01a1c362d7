/// Who may call what in one policy (`policyc access who`): each rule with the minimal
/// alternatives that grant it.
public struct PolicyAccess: Sendable {
    public struct Rule: Sendable {
        public let rule: RuleDiff.Rule
        /// The role expression as written.
        public let expression: String
        public let grants: GrantAlternatives
        let side: RuleSide
        /// The route's template, for its convertors (route rules only).
        let routeTemplate: RouteTemplate?
    }

    public let policy: Policy
    /// In source order.
    public let rules: [Rule]

    /// At most `limit` alternatives are listed a rule (`--max-alternatives`).
    public init(policy: Policy, filter: RuleFilter = RuleFilter(), limit: Int = GrantAlternatives.defaultLimit) {
        self.policy = policy
        let admitted = filter.admits(in: policy)
        var templates: [ByteString: RouteTemplate] = [:]
        if case .routes(let table) = policy.rules {
            for route in table.routes { templates[ByteString(route.template.text)] = route.template }
        }
        rules = policy.ruleSides.filter { admitted($0.rule) }.map { rule, side in
            var template: RouteTemplate?
            if case .route(let text, _) = rule { template = templates[ByteString(text)] }
            return Rule(
                rule: rule, expression: side.source, grants: GrantAlternatives(side: side, limit: limit),
                side: side, routeTemplate: template)
        }
    }

    public var identity: PolicyIdentity { policy.identity }
}
