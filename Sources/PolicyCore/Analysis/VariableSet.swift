/// A set of variable numbers, as bits: any number of variables, the first 64 in one word kept
/// inline (a rule rarely names more groups), so that the pairwise checks of `MinimalCover` do not
/// touch an array.
struct VariableSet: Hashable, Sendable {
    /// Variables 0 to 63.
    private var first: UInt64 = 0
    /// Variables from 64 on, 64 a word; no trailing zero word, so that equal sets are equal here.
    private var rest: [UInt64] = []

    init() {}

    var isEmpty: Bool { first == 0 && rest.isEmpty }

    var count: Int { rest.reduce(first.nonzeroBitCount) { $0 + $1.nonzeroBitCount } }

    /// In increasing order.
    var elements: [Int] {
        var result: [Int] = []
        for (index, word) in ([first] + rest).enumerated() {
            var bits = word
            while bits != 0 {
                result.append(index * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return result
    }

    mutating func insert(_ variable: Int) {
        let bit = UInt64(1) << UInt64(variable % 64)
        guard variable >= 64 else {
            first |= bit
            return
        }
        let index = variable / 64 - 1
        if index >= rest.count { rest += [UInt64](repeating: 0, count: index - rest.count + 1) }
        rest[index] |= bit
    }

    func inserting(_ variable: Int) -> VariableSet {
        var copy = self
        copy.insert(variable)
        return copy
    }

    func isSubset(of other: VariableSet) -> Bool {
        guard first & ~other.first == 0 else { return false }
        if rest.isEmpty { return true }
        guard rest.count <= other.rest.count else { return false }
        return zip(rest, other.rest).allSatisfy { $0 & ~$1 == 0 }
    }

    func isDisjoint(with other: VariableSet) -> Bool {
        guard first & other.first == 0 else { return false }
        if rest.isEmpty || other.rest.isEmpty { return true }
        return zip(rest, other.rest).allSatisfy { $0 & $1 == 0 }
    }

    func subtracting(_ other: VariableSet) -> VariableSet {
        var result = self
        result.first &= ~other.first
        for index in result.rest.indices where index < other.rest.count { result.rest[index] &= ~other.rest[index] }
        while result.rest.last == 0 { result.rest.removeLast() }
        return result
    }
}
