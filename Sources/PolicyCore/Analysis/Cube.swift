/// A conjunction of literals: every variable of `positive` true, every one of `negative` false;
/// no variable is in both.
struct Cube: Hashable, Sendable {
    var positive = VariableSet()
    var negative = VariableSet()

    var literalCount: Int { positive.count + negative.count }

    /// Whether some assignment allows both.
    func meets(_ other: Cube) -> Bool {
        positive.isDisjoint(with: other.negative) && negative.isDisjoint(with: other.positive)
    }

    /// The literals left once those of `other` are known to hold.
    func subtracting(_ other: Cube) -> Cube {
        Cube(positive: positive.subtracting(other.positive), negative: negative.subtracting(other.negative))
    }

    /// A total order on cubes by their literals (fewest first, then by the variables' numbers),
    /// independent of how they were found.
    static func precedes(_ lhs: Cube, _ rhs: Cube) -> Bool {
        if lhs.literalCount != rhs.literalCount { return lhs.literalCount < rhs.literalCount }
        let left = lhs.positive.elements, right = rhs.positive.elements
        if left != right { return left.lexicographicallyPrecedes(right) }
        return lhs.negative.elements.lexicographicallyPrecedes(rhs.negative.elements)
    }
}
