/// One version's side of a rule under comparison: the role expression of a route and method,
/// of an exchange, or of a plugin action, with the policy that gives its roles their groups.
struct RuleSide {
    let policy: Policy
    let expression: Int
    let source: String

    /// The roles the expression names, by index into `policy.roles`.
    var roleIndices: [Int] { policy.program.roles(of: expression) }

    var roleNames: [ByteString] { roleIndices.map { ByteString(policy.roles[$0].name) } }

    /// Every group the expression can ask about: each template's text as a caller must hold it
    /// (`CompiledGroupTemplate.heldText`), parameters kept as `{name}`.
    var groupVariables: [ByteString] {
        roleIndices.flatMap { usableTemplates(of: $0).map { ByteString($0.heldText) } }
    }

    /// The templates of a role that can name a group in this rule: in a plugin decision `action`
    /// picks the entry and is no parameter (spec 2.5), so a template needing `{action}` names none.
    func usableTemplates(of role: Int) -> [CompiledGroupTemplate] {
        let templates = policy.roles[role].templates
        guard policy.type == .plugin else { return templates }
        return templates.filter { !$0.source.parameterNames.contains { $0.hasSameBytes(as: "action") } }
    }

    /// Whether the expression allows a caller holding exactly the groups of a mask, where bit `i`
    /// stands for the group numbered `i` in `variables` (which must hold every group it names).
    func groupPredicate(variables: [ByteString: Int]) -> (UInt32) -> Bool {
        // nil: a role without groups, held by every caller.
        var roleMasks = [UInt32?](repeating: 0, count: policy.roles.count)
        for role in roleIndices {
            roleMasks[role] = policy.roles[role].holdsForEveryone
                ? nil
                : usableTemplates(of: role).reduce(UInt32(0)) { $0 | UInt32(1) << variables[ByteString($1.heldText)]! }
        }
        let program = policy.program, expression = expression
        return { mask in
            program.evaluate(expression) { role in roleMasks[role].map { mask & $0 != 0 } ?? true }
        }
    }

    /// Whether the expression allows a caller holding exactly the roles of a mask, where bit `i`
    /// stands for the role named by `variables` as `i`.
    func rolePredicate(variables: [ByteString: Int]) -> (UInt32) -> Bool {
        var roleBits = [UInt32](repeating: 0, count: policy.roles.count)
        for role in roleIndices {
            roleBits[role] = UInt32(1) << variables[ByteString(policy.roles[role].name)]!
        }
        let program = policy.program, expression = expression
        return { mask in program.evaluate(expression) { mask & roleBits[$0] != 0 } }
    }

    /// Whether two sides are the same function of the caller's groups, known without
    /// enumerating: the same expression text, each role it names standing for the same groups.
    func isEquivalent(to other: RuleSide) -> Bool {
        guard source.hasSameBytes(as: other.source) else { return false }
        let mine = roleIndices, theirs = other.roleIndices
        guard mine.count == theirs.count else { return false }
        return zip(mine, theirs).allSatisfy { left, right in
            Set(policy.roles[left].templates.map { ByteString($0.heldText) })
                == Set(other.policy.roles[right].templates.map { ByteString($0.heldText) })
        }
    }
}
