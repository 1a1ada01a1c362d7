/// A conjunction of literals over at most 31 variables: bit `i` of `positive` requires variable
/// `i` true, bit `i` of `negative` requires it false; no bit is in both.
struct Cube: Hashable, Sendable {
    var positive: UInt32 = 0
    var negative: UInt32 = 0

    var literalCount: Int { positive.nonzeroBitCount + negative.nonzeroBitCount }

    /// Whether every assignment this cube allows, `other` allows too.
    func implies(_ other: Cube) -> Bool {
        other.positive & ~positive == 0 && other.negative & ~negative == 0
    }

    func allows(_ assignment: UInt32) -> Bool {
        assignment & positive == positive && assignment & negative == 0
    }

    /// Both cubes at once; nil when they contradict (a variable required true and false).
    func and(_ other: Cube) -> Cube? {
        let product = Cube(positive: positive | other.positive, negative: negative | other.negative)
        return product.positive & product.negative == 0 ? product : nil
    }

    /// Every assignment of `variableCount` variables the cube allows.
    func assignments(variableCount: Int) -> [UInt32] {
        let free = (UInt32(1) << variableCount &- 1) & ~(positive | negative)
        var result: [UInt32] = []
        var subset = free
        while true {
            result.append(positive | subset)
            if subset == 0 { break }
            subset = (subset &- 1) & free
        }
        return result
    }

    /// A total order on cubes by their literals (fewest first, then by the variables' numbers),
    /// independent of how they were found.
    static func precedes(_ lhs: Cube, _ rhs: Cube) -> Bool {
        if lhs.literalCount != rhs.literalCount { return lhs.literalCount < rhs.literalCount }
        let left = bits(lhs.positive), right = bits(rhs.positive)
        if left != right { return left.lexicographicallyPrecedes(right) }
        return bits(lhs.negative).lexicographicallyPrecedes(bits(rhs.negative))
    }

    private static func bits(_ mask: UInt32) -> [Int] {
        (0..<32).filter { mask & UInt32(1) << $0 != 0 }
    }
}

/// The minimal disjunctive form of a boolean function given by its truth table: prime implicants
/// (conjunctions no literal of which can be dropped), then an irredundant cover of them (none
/// can be dropped without losing a true assignment). The function holds exactly when one cube
/// of the cover does, and no cube implies another.
enum MinimalCover {
    /// Beyond this many prime implicants of a function (or of one of its cofactors) the search
    /// stops: the answer would be unreadable, and the pairwise products grow as its square.
    static let primeLimit = 1024

    /// The cover of `holds` over `variableCount` variables (at most 20: the table has 2^n
    /// entries), or nil beyond `primeLimit`.
    static func of(variableCount: Int, where holds: (UInt32) -> Bool) -> [Cube]? {
        precondition(variableCount >= 0 && variableCount <= 20)
        let table = (0..<(1 << variableCount)).map { holds(UInt32($0)) }
        guard let primes = primes(table[...], variableCount: variableCount) else { return nil }
        return irredundant(primes, variableCount: variableCount)
    }

    /// Shannon expansion on the highest variable `x` (the upper half of the table is `x` true):
    /// every prime of f is `¬x·p` for a prime `p` of f|x=0, `x·q` for a prime `q` of f|x=1, or a
    /// prime of f|x=0 ∧ f|x=1, which is some `p·q`; every other candidate implies a prime, so
    /// dropping the candidates that imply another leaves exactly the primes.
    private static func primes(_ table: ArraySlice<Bool>, variableCount: Int) -> [Cube]? {
        if !table.contains(true) { return [] }
        if !table.contains(false) { return [Cube()] }
        let half = table.count / 2
        let low = table.prefix(half), high = table.suffix(half)
        if low.elementsEqual(high) { return primes(low, variableCount: variableCount - 1) }
        guard let whenFalse = primes(low, variableCount: variableCount - 1),
              let whenTrue = primes(high, variableCount: variableCount - 1)
        else { return nil }
        let bit = UInt32(1) << (variableCount - 1)
        var candidates = whenFalse.map { Cube(positive: $0.positive, negative: $0.negative | bit) }
        candidates += whenTrue.map { Cube(positive: $0.positive | bit, negative: $0.negative) }
        for left in whenFalse {
            for right in whenTrue {
                if let product = left.and(right) { candidates.append(product) }
            }
        }
        let primes = withoutImplying(candidates)
        return primes.count > primeLimit ? nil : primes
    }

    /// The cubes that imply no other cube of the list (duplicates kept once).
    private static func withoutImplying(_ cubes: [Cube]) -> [Cube] {
        var kept: [Cube] = []
        // Fewer literals first: a cube can only imply cubes with no more literals than itself.
        for cube in Set(cubes).sorted(by: Cube.precedes) where !kept.contains(where: cube.implies) {
            kept.append(cube)
        }
        return kept
    }

    /// Drops primes whose assignments the others all cover, trying the most specific first (the
    /// broadest conditions stay), in an order fixed by the cubes alone: the same function always
    /// gives the same cover, so two versions of a rule compare alternative by alternative.
    private static func irredundant(_ primes: [Cube], variableCount: Int) -> [Cube] {
        var kept = primes
        for candidate in primes.sorted(by: { Cube.precedes($1, $0) }) {
            let others = kept.filter { $0 != candidate }
            let covered = candidate.assignments(variableCount: variableCount).allSatisfy { assignment in
                others.contains { $0.allows(assignment) }
            }
            if covered { kept = others }
        }
        return kept.sorted(by: Cube.precedes)
    }
}
