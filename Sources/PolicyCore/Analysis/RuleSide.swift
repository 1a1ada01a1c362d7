/// One version's side of a rule under comparison: the role expression of a route and method,
/// of an exchange, or of a plugin action, with the policy that gives its roles their groups.
struct RuleSide {
    let policy: Policy
    let expression: Int
    let source: String

    /// The roles the expression names, by index into `policy.roles`.
    var roleIndices: [Int] { policy.program.roles(of: expression) }

    /// The roles the expression names, in the order its decision diagram tests them.
    var roleNames: [ByteString] { rolesInTestOrder.map { ByteString(policy.roles[$0].name) } }

    /// Every group the expression can ask about, in the order its decision diagram tests them: each
    /// template's text as a caller must hold it (`CompiledGroupTemplate.heldText`), parameters kept
    /// as `{name}`.
    var groupVariables: [ByteString] {
        rolesInTestOrder.flatMap { usableTemplates(of: $0).map { ByteString($0.heldText) } }
    }

    /// Each role the expression names, once, where it first appears when the operands of each `and`
    /// and `or` naming the most roles are read first: so the roles of one small operand sit
    /// together. In `(a1 or … or a9) and (a1 and b1 or … or a9 and b9)` read as written, every `a`
    /// would be tested before any `b`, and the diagram would double with each pair; read so, `a1`
    /// and `b1` are neighbours, and it grows by a few nodes a pair.
    private var rolesInTestOrder: [Int] {
        let program = policy.program
        func roles(_ node: Int) -> [Int] {
            switch program.nodes[node] {
            case .role(let role): return [role]
            case .not(let operand): return roles(operand)
            case .and(let range), .or(let range):
                let operands = range.map { roles(program.operands[$0]) }
                let largestFirst = operands.indices.sorted { (operands[$1].count, $0) < (operands[$0].count, $1) }
                var seen = Set<Int>()
                return largestFirst.flatMap { operands[$0] }.filter { seen.insert($0).inserted }
            }
        }
        return roles(expression)
    }

    /// The templates of a role that can name a group in this rule: in a plugin decision the
    /// `action_parameter` (`action` by default) picks the entry and is no parameter (spec 2.5, 2.6),
    /// so a template needing it names none.
    func usableTemplates(of role: Int) -> [CompiledGroupTemplate] {
        let templates = policy.roles[role].templates
        guard let selector = policy.actionParameter else { return templates }
        return templates.filter { !$0.source.parameterNames.contains { $0.hasSameBytes(as: selector) } }
    }

    /// The expression as a function of the caller's groups: a variable of `variables` for each
    /// template `groupVariables` names, true when the caller holds it.
    func groupFunction(in diagram: DecisionDiagram, variables: AnalysisVariables) throws -> DecisionDiagram.Node {
        try function(in: diagram) { role in
            if policy.roles[role].holdsForEveryone { return DecisionDiagram.always }
            // From the deepest level up, each variable tests above the rest: one node each.
            var holds = DecisionDiagram.never
            for level in Set(usableTemplates(of: role).map { variables.level(of: ByteString($0.heldText)) }).sorted(by: >) {
                holds = try diagram.or(diagram.variable(at: level), holds)
            }
            return holds
        }
    }

    /// The expression as a function of the roles the caller holds: a variable of `variables` for
    /// each of `roleNames`.
    func roleFunction(in diagram: DecisionDiagram, variables: AnalysisVariables) throws -> DecisionDiagram.Node {
        try function(in: diagram) { role in
            try diagram.variable(at: variables.level(of: ByteString(policy.roles[role].name)))
        }
    }

    private func function(
        in diagram: DecisionDiagram, role: (Int) throws -> DecisionDiagram.Node
    ) throws -> DecisionDiagram.Node {
        let program = policy.program
        var roles: [Int: DecisionDiagram.Node] = [:]
        func build(_ node: Int) throws -> DecisionDiagram.Node {
            switch program.nodes[node] {
            case .role(let index):
                if let known = roles[index] { return known }
                let holds = try role(index)
                roles[index] = holds
                return holds
            case .not(let operand):
                return try diagram.not(build(operand))
            // Operands from the last: levels follow the order the expression names the groups in,
            // so each operand mostly tests above the ones combined before it, which costs little.
            case .and(let range):
                var result = DecisionDiagram.always
                for index in range.reversed() where result != DecisionDiagram.never {
                    result = try diagram.and(build(program.operands[index]), result)
                }
                return result
            case .or(let range):
                var result = DecisionDiagram.never
                for index in range.reversed() where result != DecisionDiagram.always {
                    result = try diagram.or(build(program.operands[index]), result)
                }
                return result
            }
        }
        return try build(expression)
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
