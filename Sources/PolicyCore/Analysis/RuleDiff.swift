/// One rule that differs between two versions of a policy: a route's method, the exchange
/// expression, or a plugin action; added, removed, rewritten, or granting to other callers.
public struct RuleDiff: Sendable, Equatable {
    public enum Rule: Sendable, Equatable, CustomStringConvertible {
        /// `method` upper-cased, as the engine compares it.
        case route(template: String, method: String)
        case exchange
        case action(String)

        /// `GET /data/list`, `exchange`, `action 'read'`.
        public var description: String {
            switch self {
            case .route(let template, let method): "\(method) \(template)"
            case .exchange: "exchange"
            case .action(let name): "action '\(name)'"
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
    /// and those only the old one has. Nil when either side was not analysed.
    public let alternativesAdded: [GrantAlternative]?
    public let alternativesRemoved: [GrantAlternative]?

    public var change: Change {
        switch (oldExpression, newExpression) {
        case (nil, _): .added
        case (_, nil): .removed
        default: .changed
        }
    }

    /// The difference of one rule, or nil when the two sides are the same text granting the same.
    static func compare(_ rule: Rule, old: RuleSide?, new: RuleSide?, variableLimit: Int) -> RuleDiff? {
        let access = AccessChange(old: old, new: new, variableLimit: variableLimit)
        if let old, let new, old.source.hasSameBytes(as: new.source), access.isNone { return nil }
        let before: [GrantAlternative]? = old.map { GrantAlternatives(side: $0, variableLimit: variableLimit).alternatives } ?? []
        let after: [GrantAlternative]? = new.map { GrantAlternatives(side: $0, variableLimit: variableLimit).alternatives } ?? []
        var added: [GrantAlternative]?, removed: [GrantAlternative]?
        if let before, let after {
            added = after.filter { !before.contains($0) }
            removed = before.filter { !after.contains($0) }
        }
        return RuleDiff(
            rule: rule, oldExpression: old?.source, newExpression: new?.source, access: access,
            alternativesAdded: added, alternativesRemoved: removed)
    }
}
