/// Who gains and who loses access to one rule between two versions, found by evaluating both
/// expressions over every combination of the groups (and, separately, the roles) they name.
///
/// Each entry of a list is a smallest set whose holders gain (or lose) access: `[a]` means a
/// caller with group `a` alone, `[a, b]` one needing both. Groups are template texts as a caller
/// must hold them (`GrantAlternative`), with parameters kept as `{name}`: two texts are taken as
/// different groups, although a parameter could make them one.
public struct AccessChange: Sendable, Equatable {
    /// Beyond this many distinct groups (or roles) in a rule, no combination is tried.
    public static let defaultVariableLimit = 16

    public var groupsGaining: [[String]] = []
    public var groupsLosing: [[String]] = []
    public var rolesGaining: [[String]] = []
    public var rolesLosing: [[String]] = []
    /// How many distinct groups the rule names when that is beyond the limit: nothing is known
    /// of its groups then.
    public var unanalysedGroupCount: Int?
    /// How many distinct roles the rule names when that is beyond the limit.
    public var unanalysedRoleCount: Int?

    /// True when someone may gain access: a set gains, or the groups could not be analysed
    /// (unknown is counted as a gain, so that a review gate fails closed).
    public var mayWiden: Bool { !groupsGaining.isEmpty || unanalysedGroupCount != nil }
    public var mayNarrow: Bool { !groupsLosing.isEmpty || unanalysedGroupCount != nil }
    public var isNone: Bool {
        !mayWiden && !mayNarrow && rolesGaining.isEmpty && rolesLosing.isEmpty && unanalysedRoleCount == nil
    }

    /// A side that is nil does not exist in that version: it allows nobody.
    init(old: RuleSide?, new: RuleSide?, variableLimit: Int) {
        // Assignments are 32-bit masks; long before that, 2^n evaluations would not finish.
        let limit = min(variableLimit, 30)
        if let old, let new, old.isEquivalent(to: new) { return }

        let groups = Self.variables((old?.groupVariables ?? []) + (new?.groupVariables ?? []))
        if groups.count > limit {
            unanalysedGroupCount = groups.count
        } else {
            let index = Self.index(groups)
            let before = old?.groupPredicate(variables: index) ?? { _ in false }
            let after = new?.groupPredicate(variables: index) ?? { _ in false }
            groupsGaining = Self.sets(groups) { after($0) && !before($0) }
            groupsLosing = Self.sets(groups) { before($0) && !after($0) }
        }

        let roles = Self.variables((old?.roleNames ?? []) + (new?.roleNames ?? []))
        if roles.count > limit {
            unanalysedRoleCount = roles.count
        } else {
            let index = Self.index(roles)
            let before = old?.rolePredicate(variables: index) ?? { _ in false }
            let after = new?.rolePredicate(variables: index) ?? { _ in false }
            rolesGaining = Self.sets(roles) { after($0) && !before($0) }
            rolesLosing = Self.sets(roles) { before($0) && !after($0) }
        }
    }

    /// Distinct, in byte order: bit numbers, and so the output, do not depend on source order.
    private static func variables(_ names: [ByteString]) -> [ByteString] {
        Array(Set(names)).sorted()
    }

    private static func index(_ variables: [ByteString]) -> [ByteString: Int] {
        Dictionary(uniqueKeysWithValues: variables.enumerated().map { ($1, $0) })
    }

    private static func sets(_ variables: [ByteString], where holds: (UInt32) -> Bool) -> [[String]] {
        MinimalSets.of(variableCount: variables.count, where: holds)
            .map { mask in variables.indices.filter { mask & UInt32(1) << $0 != 0 }.map { variables[$0] } }
            .sorted { left, right in
                left.count != right.count ? left.count < right.count : left.lexicographicallyPrecedes(right)
            }
            .map { $0.map(\.string) }
    }
}
