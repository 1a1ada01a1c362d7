/// Who gains and who loses access to one rule between two versions, found on the decision
/// diagrams of both expressions over the groups (and, separately, the roles) they name.
///
/// Each entry of a list is a smallest set whose holders gain (or lose) access: `[a]` means a
/// caller with group `a` alone, `[a, b]` one needing both. Groups are template texts as a caller
/// must hold them (`GrantAlternative`), with parameters kept as `{name}`: two texts are taken as
/// different groups, although a parameter could make them one.
public struct AccessChange: Sendable, Equatable {
    /// Why the sets that gain and lose are not listed.
    public enum Unlisted: Sendable, Equatable {
        /// More sets than the limit: how many gain, and how many lose (`Int.max`: at least that many).
        case tooMany(gaining: Int, losing: Int, limit: Int)
        /// The analysis stopped after `steps` steps: nothing is known.
        case tooLarge(steps: Int)
    }

    public var groupsGaining: [[String]] = []
    public var groupsLosing: [[String]] = []
    public var rolesGaining: [[String]] = []
    public var rolesLosing: [[String]] = []
    /// Set when the groups are not listed: then the lists are empty.
    public var groupsUnlisted: Unlisted?
    /// Set when the roles are not listed.
    public var rolesUnlisted: Unlisted?

    /// True when someone may gain access: a set gains, or the groups could not be analysed
    /// (unknown is counted as a gain, so that a review gate fails closed).
    public var mayWiden: Bool { !groupsGaining.isEmpty || groupsUnlisted.map(\.mayGain) == true }
    public var mayNarrow: Bool { !groupsLosing.isEmpty || groupsUnlisted.map(\.mayLose) == true }
    public var isNone: Bool {
        !mayWiden && !mayNarrow && rolesGaining.isEmpty && rolesLosing.isEmpty && rolesUnlisted == nil
    }

    /// A side that is nil does not exist in that version: it allows nobody. At most `limit` sets
    /// are listed each way.
    init(old: RuleSide?, new: RuleSide?, limit: Int) {
        if let old, let new, old.isEquivalent(to: new) { return }
        let groups = AnalysisVariables(named: (old?.groupVariables ?? []) + (new?.groupVariables ?? []))
        (groupsGaining, groupsLosing, groupsUnlisted) = Self.changes(old: old, new: new, variables: groups, limit: limit) {
            try $0.groupFunction(in: $1, variables: groups)
        }
        let roles = AnalysisVariables(named: (old?.roleNames ?? []) + (new?.roleNames ?? []))
        (rolesGaining, rolesLosing, rolesUnlisted) = Self.changes(old: old, new: new, variables: roles, limit: limit) {
            try $0.roleFunction(in: $1, variables: roles)
        }
    }

    /// The minimal sets of `variables` allowed by the new side and not the old, and the other way.
    private static func changes(
        old: RuleSide?, new: RuleSide?, variables: AnalysisVariables, limit: Int,
        function: (RuleSide, DecisionDiagram) throws -> DecisionDiagram.Node
    ) -> (gaining: [[String]], losing: [[String]], unlisted: Unlisted?) {
        let diagram = DecisionDiagram(stepLimit: GrantAlternatives.stepLimit(limit))
        do {
            let before = try old.map { try function($0, diagram) } ?? DecisionDiagram.never
            let after = try new.map { try function($0, diagram) } ?? DecisionDiagram.never
            let gained = try diagram.and(after, diagram.not(before))
            let lost = try diagram.and(before, diagram.not(after))
            var sets = MinimalSets(diagram: diagram, variables: variables)
            let gaining = try sets.count(gained), losing = try sets.count(lost)
            guard gaining <= limit, losing <= limit else { return ([], [], .tooMany(gaining: gaining, losing: losing, limit: limit)) }
            func names(_ function: DecisionDiagram.Node) throws -> [[String]] {
                try sets.list(function, limit: limit).map { variables.names($0) }.sorted { left, right in
                    left.count != right.count ? left.count < right.count : left.map(ByteString.init).lexicographicallyPrecedes(right.map(ByteString.init))
                }
            }
            return (try names(gained), try names(lost), nil)
        } catch {
            // The diagram's `Exhausted`: `list` cannot pass a limit `count` has checked.
            return ([], [], .tooLarge(steps: diagram.stepLimit))
        }
    }
}

extension AccessChange.Unlisted {
    var mayGain: Bool {
        switch self {
        case .tooMany(let gaining, _, _): gaining > 0
        case .tooLarge: true
        }
    }

    var mayLose: Bool {
        switch self {
        case .tooMany(_, let losing, _): losing > 0
        case .tooLarge: true
        }
    }
}
