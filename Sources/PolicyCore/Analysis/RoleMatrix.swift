/// Which roles give which rules, for the console's matrix of rules by roles. Read over roles,
/// not groups: a cell says what holding that one role does, beside the roles every caller holds
/// (those with no groups); the exact answer, over groups, is `GrantAlternatives`.
public struct RoleMatrix: Sendable {
    public enum Cell: String, Sendable {
        /// Holding this role (with the roles every caller holds) is granted.
        case grants
        /// Named where it can give access, but granted only together with other roles.
        case withOthers = "with-others"
        /// Named only under `not`: holding it can only take access away.
        case denies
        /// Not named by the rule's expression.
        case unnamed
    }

    public struct Role: Sendable {
        public let name: String
        /// As written in the policy; empty for a role every caller holds.
        public let templates: [String]
    }

    public struct Row: Sendable {
        public let rule: RuleDiff.Rule
        public let expression: String
        /// Granted to a caller who holds no group at all (a role with no groups, or a `not`).
        public let grantsEveryone: Bool
        /// One a role, in the order of `roles`.
        public let cells: [Cell]
    }

    /// In source order.
    public let roles: [Role]
    public let rows: [Row]

    public init(policy: Policy) {
        roles = policy.roles.map { Role(name: $0.name, templates: $0.templates.map(\.source.text)) }
        let everyone = Set(policy.roles.indices.filter { policy.roles[$0].holdsForEveryone })
        let program = policy.program
        rows = policy.ruleSides.map { rule, side in
            let named = Set(program.roles(of: side.expression))
            let affirmed = Set(program.affirmedRoles(of: side.expression))
            let cells = policy.roles.indices.map { role -> Cell in
                guard named.contains(role) else { return .unnamed }
                if program.evaluate(side.expression, roleHolds: { $0 == role || everyone.contains($0) }) { return .grants }
                return affirmed.contains(role) ? .withOthers : .denies
            }
            return Row(
                rule: rule, expression: side.source,
                grantsEveryone: program.evaluate(side.expression, roleHolds: everyone.contains), cells: cells)
        }
    }
}
