/// Answers queries against a policy set: finds the policy (spec 2.3 step 1), then decides
/// against it. The daemon checks the token between the two steps, through `policy(for:)`.
public struct DecisionEngine: Sendable {
    public let policies: PolicySet

    public init(policies: PolicySet) {
        self.policies = policies
    }

    /// The policy a query is about, or nil: no such policy (HTTP 404).
    public func policy(for query: Query) -> Policy? {
        policies.policy(type: query.type, service: query.service, version: query.version)
    }

    public func decide(_ query: Query, groups: CallerGroups, explain: Bool = false) -> Decision {
        guard let policy = policy(for: query) else { return .denied(.noSuchPolicy) }
        return policy.decide(query, groups: groups, explain: explain)
    }
}

extension Policy {
    public func decide(_ query: Query, groups: CallerGroups, explain: Bool = false) -> Decision {
        switch query {
        case .route(let route): decide(route, groups: groups, explain: explain)
        case .exchange(let exchange): decide(exchange, groups: groups, explain: explain)
        case .plugin(let plugin): decide(plugin, groups: groups, explain: explain)
        }
    }
}
