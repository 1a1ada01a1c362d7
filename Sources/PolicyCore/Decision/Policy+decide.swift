/// Decisions against one policy (spec 2.3 steps 3 to 5, and 2.4). The token has already been
/// found valid for this policy, or there is none (what-if queries).
///
/// Each query is first read into the `DecidingRule` it is decided by (its route and method, the
/// exchange, or its action, with the parameters bound), then that rule is evaluated: the one reading
/// that `decide` and `firstHeldRole` share.
extension Policy {
    public func decide(_ query: RouteQuery, groups: CallerGroups, explain: Bool = false) -> Decision {
        decide(rule(for: query), groups: groups, explain: explain)
    }

    public func decide(_ query: ExchangeQuery, groups: CallerGroups, explain: Bool = false) -> Decision {
        decide(rule(for: query), groups: groups, explain: explain)
    }

    public func decide(_ query: PluginQuery, groups: CallerGroups, explain: Bool = false) -> Decision {
        decide(rule(for: query), groups: groups, explain: explain)
    }

    /// The first role of the deciding expression, in the order the expression names them, that the
    /// caller holds: nil when the query is denied before its expression is read, or the caller holds
    /// none of them. The explanation's first held role, without making the explanation.
    public func firstHeldRole(_ query: Query, groups: CallerGroups) -> String? {
        let rule: RuleLookup = switch query {
        case .route(let route): rule(for: route)
        case .exchange(let exchange): rule(for: exchange)
        case .plugin(let plugin): rule(for: plugin)
        }
        guard case .found(let rule) = rule else { return nil }
        let held = roleTemplates.withChecker(groups: groups.table, bindings: rule.bindings) { checker in
            program.roles(of: rule.expression).first { checker.holds($0) != nil }
        }
        return held.map { roles[$0].name }
    }

    // MARK: The rule a query is decided by

    private func rule(for query: RouteQuery) -> RuleLookup {
        guard case .routes(let table) = rules else { return .denied(.noSuchPolicy) }
        let routeIndex: Int
        var captured: [(name: String, value: String)] = []
        switch table.resolve(query.route) {
        case .noMatch:
            return .denied(table.noMatchReason(for: query.route, upstreamReading: false))
        case .template(let index):
            routeIndex = index
        case .path(let index, let segments):
            routeIndex = index
            captured = segments
            for segment in segments {
                for entry in query.parameters.entries where entry.name.hasSameBytes(as: segment.name) {
                    if !entry.value.agrees(withCaptured: segment.value) {
                        return .denied(.parameterConflict(name: segment.name))
                    }
                }
            }
        }
        let template = table.routes[routeIndex].template.text
        guard let method = table.method(query.method, of: routeIndex) else {
            let requested = query.method.flatMap { $0.utf8.isEmpty ? nil : $0.asciiUppercased } ?? "GET"
            return .denied(.methodNotAllowed(method: requested, template: template))
        }
        return .found(DecidingRule(
            expression: method.expression, source: method.source,
            bindings: ParameterBindings(captured: captured, supplied: query.parameters),
            subject: .route(method: method.name, template: template)))
    }

    private func rule(for query: ExchangeQuery) -> RuleLookup {
        guard case .exchange(let expression, let source) = rules else { return .denied(.noSuchPolicy) }
        return .found(DecidingRule(
            expression: expression, source: source, bindings: ParameterBindings(captured: [], supplied: query.parameters),
            subject: .exchange))
    }

    private func rule(for query: PluginQuery) -> RuleLookup {
        guard case .actions(let table) = rules else { return .denied(.noSuchPolicy) }
        // The selecting parameter (spec 2.6: `action_parameter`) is no parameter of the decision.
        guard let selector = query.parameters.value(named: table.parameter), selector.kind == .string,
              let action = table.action(named: selector.text)
        else { return .denied(.missingOrUnknownAction) }
        return .found(DecidingRule(
            expression: action.expression, source: action.source,
            bindings: ParameterBindings(captured: [], supplied: query.parameters.removing(named: table.parameter)),
            subject: .action(name: action.name, parameter: table.parameter)))
    }

    // MARK: Evaluation

    private func decide(_ lookup: RuleLookup, groups: CallerGroups, explain: Bool) -> Decision {
        let rule: DecidingRule
        switch lookup {
        case .denied(let reason): return .denied(reason)
        case .found(let found): rule = found
        }
        let holds = evaluate(rule.expression, groups: groups, bindings: rule.bindings)
        var decision = Decision(isAuthorised: holds, reason: rule.subject.reason(holds: holds))
        if explain {
            decision.explanation = explanation(of: rule, groups: groups)
        }
        return decision
    }

    func evaluate(_ expression: Int, groups: CallerGroups, bindings: ParameterBindings) -> Bool {
        roleTemplates.withChecker(groups: groups.table, bindings: bindings) { checker in
            program.evaluate(expression) { checker.holds($0) != nil }
        }
    }

    /// Nil when the role does not hold; otherwise the index of the caller's group that made it
    /// hold, or -1 for a role every caller holds.
    func holds(_ role: Int, groups: CallerGroups, bindings: ParameterBindings) -> Int? {
        roleTemplates.withChecker(groups: groups.table, bindings: bindings) { $0.holds(role) }
    }

    private func explanation(of rule: DecidingRule, groups: CallerGroups) -> Explanation {
        let bindings = rule.bindings
        var parameters = Parameters(bindings.captured.map { .init(name: $0.name, value: .string($0.value)) })
        // Each name once, the first value winning; a set, not a scan of what was taken so far, which
        // made a call with thousands of parameters quadratic.
        var named = Set(bindings.captured.map { ByteString($0.name) })
        for entry in bindings.supplied.entries where named.insert(ByteString(entry.name)).inserted {
            parameters.append(name: entry.name, value: entry.value)
        }
        let outcomes = program.roles(of: rule.expression).map { role in
            let matched = holds(role, groups: groups, bindings: bindings)
            return RoleOutcome(
                name: roles[role].name, held: matched != nil,
                matchedGroup: matched.flatMap { $0 >= 0 ? GroupName.held(groups.table.string(at: $0)) : nil },
                candidates: roles[role].templates.map { template in
                    template.substituted(with: bindings)
                        ?? "\(template.source.text) (a parameter it needs is missing or unusable)"
                })
        }
        var explanation = Explanation(
            policy: identity, routeTemplate: nil, method: nil, expression: rule.source,
            parameters: parameters, roles: outcomes)
        switch rule.subject {
        case .route(let method, let template):
            explanation.routeTemplate = template
            explanation.method = method
        case .exchange:
            break
        case .action(let name, let parameter):
            explanation.action = name
            explanation.actionParameter = parameter
        }
        if !evaluate(rule.expression, groups: groups, bindings: bindings) {
            explanation.wouldGrant = grantOptions(for: rule.expression, held: outcomes, bindings: bindings)
        }
        return explanation
    }
}

/// The rule a query is decided by, or why it is denied before any expression is read.
private enum RuleLookup {
    case found(DecidingRule)
    case denied(DecisionReason)
}

/// What a query is decided by: an expression of the policy, the parameters its role templates are
/// read with, and what the expression belongs to (for the reason and the explanation).
private struct DecidingRule {
    enum Subject {
        case route(method: String, template: String)
        case exchange
        case action(name: String, parameter: String)

        func reason(holds: Bool) -> DecisionReason {
            switch self {
            case .route(let method, let template): .routeExpression(method: method, template: template, holds: holds)
            case .exchange: .exchangeExpression(holds: holds)
            case .action(let name, _): .actionExpression(action: name, holds: holds)
            }
        }
    }

    let expression: Int
    let source: String
    let bindings: ParameterBindings
    let subject: Subject
}
