/// The minimal sets of variables under which a function holds, each read as its variables true
/// and every other variable false: `policyc diff`'s "gains: a + b". For a function without `not`
/// they are its prime implicants, so they also count the alternatives of one.
///
/// Found on the function's decision diagram, with `x` the variable a node tests and `f0`, `f1` its
/// cofactors: a minimal set without `x` is a minimal set of `f0`; one with `x` is `x` and a
/// minimal set of `f1` that holds no set of `f0`, that is, on which `f0`'s upward closure is
/// false. So the sets of `f` that leave an upward-closed `h` false, M(f, h), are M(f0, h0) and `x`
/// with M(f1, up(f0) ∨ h1): a recursion on pairs of nodes, each pair once.
struct MinimalSets {
    let diagram: DecisionDiagram
    let variables: AnalysisVariables
    private var closures: [DecisionDiagram.Node: DecisionDiagram.Node] = [:]
    private var counts: [Pair: Int] = [:]
    private var lists: [Pair: [VariableSet]] = [:]

    private struct Pair: Hashable {
        let function: DecisionDiagram.Node, avoided: DecisionDiagram.Node
    }

    /// More sets than the limit.
    struct TooMany: Error {}

    init(diagram: DecisionDiagram, variables: AnalysisVariables) {
        self.diagram = diagram
        self.variables = variables
    }

    /// The minimal sets of `function`, in no particular order; throws `TooMany` past `limit` (no
    /// pair below has more than the function).
    mutating func list(_ function: DecisionDiagram.Node, limit: Int) throws -> [VariableSet] {
        try list(Pair(function: function, avoided: DecisionDiagram.never), limit: limit)
    }

    /// How many minimal sets `function` has, without listing them (`Int.max` beyond it).
    mutating func count(_ function: DecisionDiagram.Node) throws -> Int {
        try count(Pair(function: function, avoided: DecisionDiagram.never))
    }

    /// Whether holding more groups never takes access away (no `not` that matters).
    mutating func isMonotone(_ function: DecisionDiagram.Node) throws -> Bool {
        try upward(function) == function
    }

    private mutating func list(_ pair: Pair, limit: Int) throws -> [VariableSet] {
        if pair.function == DecisionDiagram.never || pair.avoided == DecisionDiagram.always { return [] }
        if pair.function == DecisionDiagram.always { return diagram.holdsWithNothing(pair.avoided) ? [] : [VariableSet()] }
        if let known = lists[pair] { return known }
        let (level, without, with) = try split(pair)
        let variable = variables.numbers[level]
        let result = try list(without, limit: limit) + list(with, limit: limit).map { $0.inserting(variable) }
        if result.count > limit { throw TooMany() }
        try diagram.spend(result.count)
        lists[pair] = result
        return result
    }

    private mutating func count(_ pair: Pair) throws -> Int {
        if pair.function == DecisionDiagram.never || pair.avoided == DecisionDiagram.always { return 0 }
        if pair.function == DecisionDiagram.always { return diagram.holdsWithNothing(pair.avoided) ? 0 : 1 }
        if let known = counts[pair] { return known }
        let (_, without, with) = try split(pair)
        let (sum, overflow) = try count(without).addingReportingOverflow(count(with))
        try diagram.spend()
        counts[pair] = overflow ? .max : sum
        return counts[pair]!
    }

    /// The level the pair is split on, the pair of the sets without its variable, and the pair
    /// of those with it (the variable left out).
    private mutating func split(_ pair: Pair) throws -> (level: Int, without: Pair, with: Pair) {
        let level = min(diagram.level(of: pair.function), diagram.level(of: pair.avoided))
        let (low, high) = diagram.cofactors(pair.function, at: level)
        let (avoidedLow, avoidedHigh) = diagram.cofactors(pair.avoided, at: level)
        let without = Pair(function: low, avoided: avoidedLow)
        // A function that does not test the variable has no minimal set with it.
        guard diagram.level(of: pair.function) == level else { return (level, without, Pair(function: DecisionDiagram.never, avoided: DecisionDiagram.never)) }
        return (level, without, Pair(function: high, avoided: try diagram.or(upward(low), avoidedHigh)))
    }

    /// The least upward-closed function above `function`: true on every set that holds one of
    /// its sets.
    private mutating func upward(_ function: DecisionDiagram.Node) throws -> DecisionDiagram.Node {
        if function == DecisionDiagram.never || function == DecisionDiagram.always { return function }
        if let known = closures[function] { return known }
        let level = diagram.level(of: function)
        let (low, high) = diagram.cofactors(function, at: level)
        let lowClosure = try upward(low)
        let result = try diagram.node(level: level, low: lowClosure, high: diagram.or(lowClosure, upward(high)))
        closures[function] = result
        return result
    }
}
