/// The semantic difference between two policy sets: policies are matched by type and name, and
/// the latest version of each is compared (a set loaded from one file holds just that version).
public struct PolicySetDiff: Sendable, Equatable {
    /// Ordered by type, then name (bytes); policies of both sets, changed or not.
    public let policies: [PolicyDiff]

    public init(old: PolicySet, new: PolicySet, limit: Int = GrantAlternatives.defaultLimit) {
        func latest(_ set: PolicySet) -> [PolicyKey: Policy] {
            Dictionary(uniqueKeysWithValues: set.entries.compactMap { entry in
                set.policy(type: entry.type, service: entry.name, version: .latest).map {
                    (PolicyKey(type: entry.type, name: ByteString(entry.name)), $0)
                }
            })
        }
        let before = latest(old), after = latest(new)
        policies = Set(before.keys).union(after.keys).sorted().map { key in
            PolicyDiff(old: before[key], new: after[key], limit: limit)
        }
    }

    /// Whether anyone may gain access anywhere: the question a review gate asks.
    public var widensAccess: Bool { policies.contains(where: \.widensAccess) }
    public var narrowsAccess: Bool { policies.contains(where: \.narrowsAccess) }

    private struct PolicyKey: Hashable, Comparable {
        let type: PolicyType
        let name: ByteString

        static func < (lhs: PolicyKey, rhs: PolicyKey) -> Bool { (lhs.type, lhs.name) < (rhs.type, rhs.name) }
    }
}
