extension Policy {
    /// Every rule of the policy with its expression, in source order: each method of each route,
    /// the exchange expression, each plugin action. What `policyc diff` compares and `policyc
    /// access` answers for.
    var ruleSides: [(rule: RuleDiff.Rule, side: RuleSide)] {
        switch rules {
        case .routes(let table):
            table.routes.flatMap { route in
                route.methods.map { method in
                    (RuleDiff.Rule.route(template: route.template.text, method: method.name),
                     RuleSide(policy: self, expression: method.expression, source: method.source))
                }
            }
        case .exchange(let expression, let source):
            [(.exchange, RuleSide(policy: self, expression: expression, source: source))]
        case .actions(let table):
            table.actions.map { action in
                (.action(action.name), RuleSide(policy: self, expression: action.expression, source: action.source))
            }
        }
    }
}
