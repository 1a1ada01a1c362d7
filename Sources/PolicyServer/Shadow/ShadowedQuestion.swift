import PolicyCore

/// A question put to any policy: a call's query, decided against the candidate's policy.
protocol ShadowedQuestion: Sendable {
    func decide(_ policy: Policy, groups: CallerGroups) -> Decision
    /// The first role of the deciding expression that the caller holds, for an answer that allows:
    /// whose callers a difference is about (nil for one allowed through `not` alone).
    func allowingRole(_ policy: Policy, groups: CallerGroups) -> String?
}

extension Query: ShadowedQuestion {
    func decide(_ policy: Policy, groups: CallerGroups) -> Decision {
        policy.decide(self, groups: groups)
    }

    /// The explanation's first held role, found without making the explanation.
    func allowingRole(_ policy: Policy, groups: CallerGroups) -> String? {
        policy.firstHeldRole(self, groups: groups)
    }
}

extension GatewayQuery: ShadowedQuestion {
    func decide(_ policy: Policy, groups: CallerGroups) -> Decision {
        policy.decide(self, groups: groups).decision
    }

    /// The first of the roles the gateway passes upstream (`X-Auth-Roles`), in the same order.
    func allowingRole(_ policy: Policy, groups: CallerGroups) -> String? {
        policy.decide(self, groups: groups).heldRoles.first
    }
}
