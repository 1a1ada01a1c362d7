/// The minimal disjunctive form of a boolean function given by its decision diagram: its prime
/// implicants (conjunctions no literal of which can be dropped), then an irredundant cover of them
/// (none can be dropped without losing an assignment). The function holds exactly when one cube of
/// the cover does, and no cube implies another.
///
/// The cost follows the primes, not the 2^n assignments: they are found on the diagram's nodes,
/// each node once, and a cube's redundancy is decided on a diagram of the cubes it meets, never by
/// enumerating its assignments.
struct MinimalCover {
    /// More prime implicants than `primeLimit`: the search stopped there. No node below the
    /// function's has more primes than the function, so the function itself has more.
    struct TooManyPrimes: Error, Equatable {
        let moreThan: Int
    }

    let diagram: DecisionDiagram
    let variables: AnalysisVariables
    /// Beyond this many primes the search stops.
    let primeLimit: Int
    private var primesOfNode: [DecisionDiagram.Node: Primes] = [:]

    /// The primes of a node: those of `shared` (the primes of its cofactors' conjunction), which
    /// are not copied, and `added`. A chain of `or` (or of `and`) adds one prime a node, not a copy
    /// of every prime below it.
    private struct Primes {
        let shared: DecisionDiagram.Node?
        let added: [Cube]
        let count: Int
    }

    init(diagram: DecisionDiagram, variables: AnalysisVariables, primeLimit: Int) {
        self.diagram = diagram
        self.variables = variables
        self.primeLimit = primeLimit
    }

    /// The cover of `function`, sorted by `Cube.precedes`. Throws `TooManyPrimes`, or the
    /// diagram's `Exhausted`.
    mutating func of(_ function: DecisionDiagram.Node) throws -> [Cube] {
        try primes(function)
        return try irredundant(list(function))
    }

    /// Shannon expansion on the variable `x` the node tests, with `f0` and `f1` its cofactors: the
    /// primes without `x` are exactly the primes of `f0 ∧ f1`; `¬x·p` is prime when `p` is a prime
    /// of `f0` that is not one of `f0 ∧ f1` (one that does not imply `f1`), and `x·q` likewise.
    /// When `f0` is `f0 ∧ f1` (it implies `f1`), its primes are all shared, and so for `f1`.
    @discardableResult
    private mutating func primes(_ node: DecisionDiagram.Node) throws -> Int {
        if node == DecisionDiagram.never { return 0 }
        if node == DecisionDiagram.always { return 1 }
        if let known = primesOfNode[node] { return known.count }
        let level = diagram.level(of: node)
        let (low, high) = diagram.cofactors(node, at: level)
        let both = try diagram.and(low, high)
        let sharedCount = try primes(both)
        var sharedSet: Set<Cube>?
        var added: [Cube] = []
        let variable = variables.numbers[level]
        for (cofactor, positive) in [(low, false), (high, true)] where cofactor != both {
            try primes(cofactor)
            if sharedSet == nil {
                sharedSet = Set(list(both))
                try diagram.spend(sharedCount)
            }
            for prime in list(cofactor) where !sharedSet!.contains(prime) {
                added.append(positive
                    ? Cube(positive: prime.positive.inserting(variable), negative: prime.negative)
                    : Cube(positive: prime.positive, negative: prime.negative.inserting(variable)))
            }
            try diagram.spend(primesOfNode[cofactor]?.count ?? 1)
        }
        let count = sharedCount + added.count
        if count > primeLimit { throw TooManyPrimes(moreThan: primeLimit) }
        try diagram.spend(added.count + 1)
        primesOfNode[node] = Primes(shared: both, added: added, count: count)
        return count
    }

    /// Every prime of a node whose primes were found.
    private func list(_ node: DecisionDiagram.Node) -> [Cube] {
        var result: [Cube] = []
        var next: DecisionDiagram.Node? = node
        while let current = next {
            if current == DecisionDiagram.always { result.append(Cube()) }
            guard let primes = primesOfNode[current] else { break }
            result += primes.added
            next = primes.shared
        }
        return result
    }

    /// Drops primes whose assignments the others all cover, trying the most specific first (the
    /// broadest conditions stay), in an order fixed by the cubes alone: the same function always
    /// gives the same cover, so two versions of a rule compare alternative by alternative.
    private func irredundant(_ primes: [Cube]) throws -> [Cube] {
        // Without a negative literal, the function holds for more groups whenever it holds for
        // some: each prime is then the only one allowing its own groups alone, and is needed.
        if primes.allSatisfy({ $0.negative.isEmpty }) { return primes.sorted(by: Cube.precedes) }
        let order = primes.sorted { Cube.precedes($1, $0) }
        var kept = [Bool](repeating: true, count: order.count)
        for (index, candidate) in order.enumerated() {
            let meeting = order.indices.filter { $0 != index && kept[$0] && order[$0].meets(candidate) }.map { order[$0] }
            if try isCovered(candidate, by: meeting) { kept[index] = false }
        }
        return order.indices.filter { kept[$0] }.map { order[$0] }.sorted(by: Cube.precedes)
    }

    /// Whether the cubes `meeting` it (those that allow one of its assignments) allow every one.
    private func isCovered(_ cube: Cube, by meeting: [Cube]) throws -> Bool {
        // Two assignments of the cube first: its own literals and every other variable false, then
        // every other variable true. When no other cube allows one of them, the cube is needed
        // (every prime of a function without `not` is found so).
        let allowsFewest = meeting.contains { $0.positive.isSubset(of: cube.positive) }
        let allowsMost = meeting.contains { $0.negative.isSubset(of: cube.negative) }
        guard allowsFewest && allowsMost else { return false }
        // Within the cube, do the others' remaining literals cover every assignment?
        var union = DecisionDiagram.never
        for other in meeting {
            union = try diagram.or(union, variables.function(other.subtracting(cube), in: diagram))
            if union == DecisionDiagram.always { return true }
        }
        return false
    }
}
