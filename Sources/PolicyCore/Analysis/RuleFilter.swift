/// Which rules of a policy a question is about: `--route`, `--method`, `--action` of `policyc
/// access`. A route is a template of the policy or a concrete path, resolved as a decision
/// resolves it (the most specific template wins); a method is upper-cased as the engine does.
/// A route or method admits route rules only, an action plugin rules only.
public struct RuleFilter: Sendable {
    public var route: String?
    public var method: String?
    public var action: String?

    public init(route: String? = nil, method: String? = nil, action: String? = nil) {
        self.route = route
        self.method = method
        self.action = action
    }

    /// Whether the filter asks about a kind of rule this type of policy has.
    public func applies(to type: PolicyType) -> Bool {
        switch type {
        case .route: action == nil
        case .exchange: route == nil && method == nil && action == nil
        case .plugin: route == nil && method == nil
        }
    }

    func admits(in policy: Policy) -> (RuleDiff.Rule) -> Bool {
        guard applies(to: policy.type) else { return { _ in false } }
        let template: String?? = route.map { route in
            guard case .routes(let table) = policy.rules else { return nil }
            switch table.resolve(route) {
            case .noMatch: return nil
            case .template(let index), .path(let index, _): return table.routes[index].template.text
            }
        }
        // As a decision reads a method: empty is GET, ASCII letters upper-cased.
        let method = method.map { $0.utf8.isEmpty ? "GET" : $0.asciiUppercased }
        let action = action
        return { rule in
            switch rule {
            case .route(let ruleTemplate, let ruleMethod):
                if let template, !(template.map { $0.hasSameBytes(as: ruleTemplate) } ?? false) { return false }
                if let method, !method.hasSameBytes(as: ruleMethod) { return false }
                return true
            case .exchange:
                return true
            case .action(let name):
                return action.map { $0.hasSameBytes(as: name) } ?? true
            case .movedPaths(let ruleMethod, let before, let after):
                if let template, !(template.map { $0.hasSameBytes(as: before) || $0.hasSameBytes(as: after) } ?? false) {
                    return false
                }
                if let method, !method.hasSameBytes(as: ruleMethod) { return false }
                return true
            }
        }
    }
}
