/// The semantic difference between two versions of one policy (same type and name): settings,
/// roles, routes, and for every rule whose grant differs, who gains and who loses access. A
/// policy present in one version only is compared against nothing: all of its rules are added
/// (or removed).
public struct PolicyDiff: Sendable, Equatable {
    public enum Change: String, Sendable {
        case added, removed, changed, unchanged
    }

    public let type: PolicyType
    public let name: String
    /// The versions compared; nil on the side where the policy does not exist.
    public let oldVersion: Int?
    public let newVersion: Int?
    public let settings: [SettingChange]
    public let roles: [RoleChange]
    /// Route templates, compared as written (a renamed parameter is a removal and an addition).
    public let addedRoutes: [String]
    public let removedRoutes: [String]
    /// The rules that differ: new rules in the new version's order, then removed ones, then the
    /// paths that moved from one template's rule to another's.
    public let rules: [RuleDiff]

    public var change: Change {
        switch (oldVersion, newVersion) {
        case (nil, _): .added
        case (_, nil): .removed
        default:
            settings.isEmpty && roles.isEmpty && addedRoutes.isEmpty && removedRoutes.isEmpty && rules.isEmpty
                ? .unchanged : .changed
        }
    }

    /// Whether anyone may gain access anywhere in this policy (unknown counts as yes).
    public var widensAccess: Bool {
        settings.contains(where: \.widensAccess) || rules.contains(where: \.access.mayWiden)
    }

    public var narrowsAccess: Bool {
        settings.contains(where: \.narrowsAccess) || rules.contains(where: \.access.mayNarrow)
    }

    /// Compares two versions of one (type, name); at least one must be given.
    /// At most `limit` sets (and alternatives) are listed a rule each way (`--max-alternatives`).
    public init(old: Policy?, new: Policy?, limit: Int = GrantAlternatives.defaultLimit) {
        guard let either = new ?? old else { preconditionFailure("PolicyDiff needs at least one policy") }
        type = either.type
        name = either.name
        oldVersion = old?.version
        newVersion = new?.version
        if let old, let new {
            settings = SettingChange.changes(old: old, new: new)
            roles = RoleChange.changes(old: old, new: new)
        } else {
            settings = []
            roles = []
        }
        let oldRules = old?.ruleSides ?? []
        let newRules = new?.ruleSides ?? []
        let oldTemplates = old?.routeTemplates ?? []
        let newTemplates = new?.routeTemplates ?? []
        addedRoutes = newTemplates.filter { template in !oldTemplates.contains { $0.hasSameBytes(as: template) } }
        removedRoutes = oldTemplates.filter { template in !newTemplates.contains { $0.hasSameBytes(as: template) } }

        var rules: [RuleDiff] = []
        for (rule, side) in newRules {
            let before = oldRules.first { $0.rule.isSame(as: rule) }?.side
            if let diff = RuleDiff.compare(rule, old: before, new: side, limit: limit) { rules.append(diff) }
        }
        for (rule, side) in oldRules where !newRules.contains(where: { $0.rule.isSame(as: rule) }) {
            if let diff = RuleDiff.compare(rule, old: side, new: nil, limit: limit) { rules.append(diff) }
        }
        rules += Self.movedPaths(old: old, new: new, limit: limit)
        self.rules = rules
    }
}

extension RuleDiff.Rule {
    /// Byte-wise, as the engine matches templates, methods and actions.
    func isSame(as other: RuleDiff.Rule) -> Bool {
        switch (self, other) {
        case (.route(let template, let method), .route(let otherTemplate, let otherMethod)):
            template.hasSameBytes(as: otherTemplate) && method.hasSameBytes(as: otherMethod)
        case (.exchange, .exchange): true
        case (.action(let name), .action(let otherName)): name.hasSameBytes(as: otherName)
        case (.movedPaths(let method, let before, let after), .movedPaths(let otherMethod, let otherBefore, let otherAfter)):
            method.hasSameBytes(as: otherMethod) && before.hasSameBytes(as: otherBefore) && after.hasSameBytes(as: otherAfter)
        default: false
        }
    }
}
