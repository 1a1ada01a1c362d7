/// Every role expression of one policy, flattened into arrays addressed by index: roles are
/// numbers, operators point at their operands. Evaluating one walks the arrays with
/// short-circuiting and allocates nothing.
struct ExpressionProgram: Sendable {
    enum Node: Sendable, Equatable {
        case role(Int)
        case not(Int)
        /// Operands are `operands[range]`, each a node index.
        case and(Range<Int>)
        case or(Range<Int>)
    }

    private(set) var nodes: [Node] = []
    private(set) var operands: [Int] = []

    /// Adds an expression whose role names have already been checked against `roleIndex`;
    /// returns its root node.
    mutating func append(_ expression: RoleExpression, roleIndex: [ByteString: Int]) -> Int {
        switch expression {
        case .role(let name, _):
            nodes.append(.role(roleIndex[ByteString(name)]!))
        case .not(let operand):
            let child = append(operand, roleIndex: roleIndex)
            nodes.append(.not(child))
        case .and(let list), .or(let list):
            let children = list.map { append($0, roleIndex: roleIndex) }
            let range = operands.count..<operands.count + children.count
            operands.append(contentsOf: children)
            if case .and = expression { nodes.append(.and(range)) } else { nodes.append(.or(range)) }
        }
        return nodes.count - 1
    }

    /// Evaluates the expression rooted at `node`, asking `roleHolds` only for roles it needs.
    /// Walks the arrays through buffer pointers: indexing the arrays in a recursion retained and
    /// released their storage at every node.
    func evaluate(_ node: Int, roleHolds: (Int) -> Bool) -> Bool {
        nodes.withUnsafeBufferPointer { nodes in
            operands.withUnsafeBufferPointer { operands in
                Self.evaluate(node, nodes: nodes, operands: operands, roleHolds: roleHolds)
            }
        }
    }

    private static func evaluate(
        _ node: Int, nodes: UnsafeBufferPointer<Node>, operands: UnsafeBufferPointer<Int>, roleHolds: (Int) -> Bool
    ) -> Bool {
        switch nodes[node] {
        case .role(let role):
            return roleHolds(role)
        case .not(let operand):
            return !evaluate(operand, nodes: nodes, operands: operands, roleHolds: roleHolds)
        case .and(let range):
            for index in range where !evaluate(operands[index], nodes: nodes, operands: operands, roleHolds: roleHolds) {
                return false
            }
            return true
        case .or(let range):
            for index in range where evaluate(operands[index], nodes: nodes, operands: operands, roleHolds: roleHolds) {
                return true
            }
            return false
        }
    }

    /// Evaluates in Kleene's three-valued logic, for decisions made on part of a request (a
    /// gateway sees no body): a role whose holding cannot be known is `.unknown`, and so is any
    /// operator whose result it could change. `not unknown` is unknown, so a `not` over what is
    /// not known never grants.
    func evaluate(_ node: Int, roleTruth: (Int) -> Truth) -> Truth {
        nodes.withUnsafeBufferPointer { nodes in
            operands.withUnsafeBufferPointer { operands in
                Self.evaluate(node, nodes: nodes, operands: operands, roleTruth: roleTruth)
            }
        }
    }

    private static func evaluate(
        _ node: Int, nodes: UnsafeBufferPointer<Node>, operands: UnsafeBufferPointer<Int>, roleTruth: (Int) -> Truth
    ) -> Truth {
        switch nodes[node] {
        case .role(let role):
            return roleTruth(role)
        case .not(let operand):
            return !evaluate(operand, nodes: nodes, operands: operands, roleTruth: roleTruth)
        case .and(let range):
            var result = Truth.true
            for index in range {
                result = result && evaluate(operands[index], nodes: nodes, operands: operands, roleTruth: roleTruth)
                if result == .false { return .false }
            }
            return result
        case .or(let range):
            var result = Truth.false
            for index in range {
                result = result || evaluate(operands[index], nodes: nodes, operands: operands, roleTruth: roleTruth)
                if result == .true { return .true }
            }
            return result
        }
    }

    /// The roles an expression names, each once, in order of first appearance.
    func roles(of node: Int) -> [Int] {
        var seen: [Int] = []
        collectRoles(node, into: &seen)
        return seen
    }

    /// The roles an expression names under an odd number of `not`s: the ones whose holding
    /// can only take access away.
    func negatedRoles(of node: Int) -> [Int] {
        var seen: [Int] = []
        collect(node, negated: false, wanted: true, into: &seen)
        return seen
    }

    /// The roles an expression names under an even number of `not`s (none included): the ones
    /// whose holding can give access.
    func affirmedRoles(of node: Int) -> [Int] {
        var seen: [Int] = []
        collect(node, negated: false, wanted: false, into: &seen)
        return seen
    }

    private func collect(_ node: Int, negated: Bool, wanted: Bool, into seen: inout [Int]) {
        switch nodes[node] {
        case .role(let role):
            if negated == wanted && !seen.contains(role) { seen.append(role) }
        case .not(let operand):
            collect(operand, negated: !negated, wanted: wanted, into: &seen)
        case .and(let range), .or(let range):
            for index in range { collect(operands[index], negated: negated, wanted: wanted, into: &seen) }
        }
    }

    private func collectRoles(_ node: Int, into seen: inout [Int]) {
        switch nodes[node] {
        case .role(let role):
            if !seen.contains(role) { seen.append(role) }
        case .not(let operand):
            collectRoles(operand, into: &seen)
        case .and(let range), .or(let range):
            for index in range { collectRoles(operands[index], into: &seen) }
        }
    }
}
