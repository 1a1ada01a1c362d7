/// Decisions against one policy (spec 2.3 steps 3 to 5, and 2.4). The token has already been
/// found valid for this policy, or there is none (what-if queries).
extension Policy {
    public func decide(_ query: RouteQuery, groups: CallerGroups, explain: Bool = false) -> Decision {
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
        let bindings = ParameterBindings(captured: captured, supplied: query.parameters)
        let holds = evaluate(method.expression, groups: groups, bindings: bindings)
        var decision = Decision(
            isAuthorised: holds, reason: .routeExpression(method: method.name, template: template, holds: holds))
        if explain {
            decision.explanation = explanation(
                of: method.expression, source: method.source, groups: groups, bindings: bindings,
                routeTemplate: template, method: method.name)
        }
        return decision
    }

    public func decide(_ query: ExchangeQuery, groups: CallerGroups, explain: Bool = false) -> Decision {
        guard case .exchange(let expression, let source) = rules else { return .denied(.noSuchPolicy) }
        let bindings = ParameterBindings(captured: [], supplied: query.parameters)
        let holds = evaluate(expression, groups: groups, bindings: bindings)
        var decision = Decision(isAuthorised: holds, reason: .exchangeExpression(holds: holds))
        if explain {
            decision.explanation = explanation(of: expression, source: source, groups: groups, bindings: bindings)
        }
        return decision
    }

    public func decide(_ query: PluginQuery, groups: CallerGroups, explain: Bool = false) -> Decision {
        guard case .actions(let table) = rules else { return .denied(.noSuchPolicy) }
        // The selecting parameter (spec 2.6: `action_parameter`) is no parameter of the decision.
        guard let selector = query.parameters.value(named: table.parameter), selector.kind == .string,
              let action = table.action(named: selector.text)
        else { return .denied(.missingOrUnknownAction) }
        let bindings = ParameterBindings(captured: [], supplied: query.parameters.removing(named: table.parameter))
        let holds = evaluate(action.expression, groups: groups, bindings: bindings)
        var decision = Decision(isAuthorised: holds, reason: .actionExpression(action: action.name, holds: holds))
        if explain {
            var explanation = explanation(of: action.expression, source: action.source, groups: groups, bindings: bindings)
            explanation.action = action.name
            explanation.actionParameter = table.parameter
            decision.explanation = explanation
        }
        return decision
    }

    // MARK: Evaluation

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

    private func explanation(
        of expression: Int, source: String, groups: CallerGroups, bindings: ParameterBindings,
        routeTemplate: String? = nil, method: String? = nil
    ) -> Explanation {
        var parameters = Parameters(bindings.captured.map { .init(name: $0.name, value: .string($0.value)) })
        // Each name once, the first value winning; a set, not a scan of what was taken so far, which
        // made a call with thousands of parameters quadratic.
        var named = Set(bindings.captured.map { ByteString($0.name) })
        for entry in bindings.supplied.entries where named.insert(ByteString(entry.name)).inserted {
            parameters.append(name: entry.name, value: entry.value)
        }
        let outcomes = program.roles(of: expression).map { role in
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
            policy: identity, routeTemplate: routeTemplate, method: method, expression: source,
            parameters: parameters, roles: outcomes)
        if !evaluate(expression, groups: groups, bindings: bindings) {
            explanation.wouldGrant = grantOptions(for: expression, held: outcomes, bindings: bindings)
        }
        return explanation
    }
}
