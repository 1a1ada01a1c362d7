/// One rule that differs between two versions of a policy: a route's method, the exchange
/// expression, or a plugin action; added, removed, rewritten, or granting to other callers.
public struct RuleDiff: Sendable, Equatable {
    public enum Rule: Sendable, Equatable, CustomStringConvertible {
        /// `method` upper-cased, as the engine compares it.
        case route(template: String, method: String)
        case exchange
        case action(String)
        /// The paths two templates share, which the rule of `before` decided (for `method`) and the
        /// rule of `after` decides now: a template added or removed beside one that shares paths
        /// with it (`PolicyDiff.movedPaths`).
        case movedPaths(method: String, before: String, after: String)

        /// `GET /data/list`, `exchange`, `action 'read'`, `GET paths of /a/b, now of /a/{x}`.
        public var description: String {
            switch self {
            case .route(let template, let method): "\(method) \(template)"
            case .exchange: "exchange"
            case .action(let name): "action '\(name)'"
            case .movedPaths(let method, let before, let after): "\(method) paths of \(before), now of \(after)"
            }
        }
    }

    public enum Change: String, Sendable {
        case added, removed, changed
    }

    public let rule: Rule
    /// The role expression as written; nil where the rule does not exist.
    public let oldExpression: String?
    public let newExpression: String?
    public let access: AccessChange
    /// How the answer of `policyc access who` changes: the alternatives only the new version has,
    /// and those only the old one has. Nil when either side was not listed.
    public let alternativesAdded: [GrantAlternative]?
    public let alternativesRemoved: [GrantAlternative]?
    /// Why the alternatives are not compared, when they are not: the old side's reason, else the
    /// new side's.
    public let alternativesUnanalysed: GrantAlternatives.Unanalysed?

    public var change: Change {
        switch (oldExpression, newExpression) {
        case (nil, _): .added
        case (_, nil): .removed
        default: .changed
        }
    }

    /// The difference of one rule, or nil when the two sides are the same text granting the same.
    static func compare(_ rule: Rule, old: RuleSide?, new: RuleSide?, limit: Int) -> RuleDiff? {
        let access = AccessChange(old: old, new: new, limit: limit)
        if let old, let new, old.source.hasSameBytes(as: new.source), access.isNone { return nil }
        let before = old.map { GrantAlternatives(side: $0, limit: limit) }
        let after = new.map { GrantAlternatives(side: $0, limit: limit) }
        var added: [GrantAlternative]?, removed: [GrantAlternative]?
        if let previous = before?.alternatives ?? (old == nil ? [] : nil), let next = after?.alternatives ?? (new == nil ? [] : nil) {
            let previousSet = Set(previous), nextSet = Set(next)
            added = next.filter { !previousSet.contains($0) }
            removed = previous.filter { !nextSet.contains($0) }
        }
        return RuleDiff(
            rule: rule, oldExpression: old?.source, newExpression: new?.source, access: access,
            alternativesAdded: added, alternativesRemoved: removed,
            alternativesUnanalysed: before?.unanalysed ?? after?.unanalysed)
    }
}
