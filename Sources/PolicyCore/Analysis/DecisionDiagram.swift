/// Boolean functions of numbered variables as a reduced ordered binary decision diagram: each
/// function is one node, tested variable by variable in a fixed order, and two functions are equal
/// exactly when they are the same node. Its size follows the function, not the 2^n assignments
/// of its variables: what lets `policyc access` and `policyc diff` analyse a rule of any size.
///
/// Every node made and every operation remembered is a step; past `stepLimit` steps an operation
/// throws `Exhausted`, so that no rule, however written, makes an analysis run away.
final class DecisionDiagram {
    typealias Node = Int32

    static let never: Node = 0
    static let always: Node = 1

    struct Exhausted: Error, Equatable {
        let steps: Int
    }

    let stepLimit: Int
    private(set) var steps = 0

    /// Per node: the level of the variable it tests (terminals: `Int32.max`, below every level),
    /// and its cofactors with that variable false and true.
    private var levels: [Int32] = [.max, .max]
    private var lows: [Node] = [never, always]
    private var highs: [Node] = [never, always]
    private var unique: [Shape: Node] = [:]
    private var combined: [Operands: Node] = [:]
    private var negated: [Node: Node] = [:]

    private struct Shape: Hashable {
        let level: Int32, low: Node, high: Node
    }

    private struct Operands: Hashable {
        let conjunction: Bool, left: Node, right: Node
    }

    init(stepLimit: Int) {
        self.stepLimit = stepLimit
    }

    /// Counts `count` steps of work, throwing once past the limit.
    func spend(_ count: Int = 1) throws {
        steps = steps.addingReportingOverflow(count).overflow ? .max : steps + count
        if steps > stepLimit { throw Exhausted(steps: stepLimit) }
    }

    /// The level of the variable `node` tests first; `Int.max` for the two terminals.
    func level(of node: Node) -> Int {
        let level = levels[Int(node)]
        return level == .max ? .max : Int(level)
    }

    /// The function with the variable at `level` false, and true (itself twice when it does not
    /// depend on it: a node tests only variables at its level and below).
    func cofactors(_ node: Node, at level: Int) -> (low: Node, high: Node) {
        guard self.level(of: node) == level else { return (node, node) }
        return (lows[Int(node)], highs[Int(node)])
    }

    /// The function testing `level` first, `low` when it is false and `high` when true; both must
    /// test only levels below it.
    func node(level: Int, low: Node, high: Node) throws -> Node {
        if low == high { return low }
        let shape = Shape(level: Int32(level), low: low, high: high)
        if let known = unique[shape] { return known }
        try spend()
        guard levels.count < Int(Node.max) else { throw Exhausted(steps: steps) }
        let node = Node(levels.count)
        levels.append(shape.level)
        lows.append(low)
        highs.append(high)
        unique[shape] = node
        return node
    }

    func variable(at level: Int) throws -> Node {
        try node(level: level, low: Self.never, high: Self.always)
    }

    func not(_ node: Node) throws -> Node {
        if node == Self.never { return Self.always }
        if node == Self.always { return Self.never }
        if let known = negated[node] { return known }
        let level = self.level(of: node)
        let result = try self.node(level: level, low: not(lows[Int(node)]), high: not(highs[Int(node)]))
        try spend()
        negated[node] = result
        return result
    }

    func and(_ left: Node, _ right: Node) throws -> Node {
        try combine(left, right, conjunction: true)
    }

    func or(_ left: Node, _ right: Node) throws -> Node {
        try combine(left, right, conjunction: false)
    }

    /// Whether the function holds with every variable false.
    func holdsWithNothing(_ node: Node) -> Bool {
        var node = node
        while node != Self.never && node != Self.always { node = lows[Int(node)] }
        return node == Self.always
    }

    private func combine(_ left: Node, _ right: Node, conjunction: Bool) throws -> Node {
        // `and`: never absorbs, always is neutral; `or` the other way round.
        let absorbing = conjunction ? Self.never : Self.always
        if left == absorbing || right == absorbing { return absorbing }
        if left == right || right == Self.always - absorbing { return left }
        if left == Self.always - absorbing { return right }
        let operands = Operands(conjunction: conjunction, left: min(left, right), right: max(left, right))
        if let known = combined[operands] { return known }
        let level = min(self.level(of: left), self.level(of: right))
        let (leftLow, leftHigh) = cofactors(left, at: level), (rightLow, rightHigh) = cofactors(right, at: level)
        let result = try node(
            level: level, low: combine(leftLow, rightLow, conjunction: conjunction),
            high: combine(leftHigh, rightHigh, conjunction: conjunction))
        try spend()
        combined[operands] = result
        return result
    }
}
