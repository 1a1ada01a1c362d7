/// The semantic difference between two policy sets: policies are matched by type and name, and
/// the latest version of each is compared (a set loaded from one file holds just that version).
/// Every other version number either side has is compared with the same number on the other side,
/// and listed when it differs: a caller may pin a version (`version=1`), and what it gets is access
/// too. A version the new set drops is removed (its callers lose access); one it adds beside its
/// latest is added.
public struct PolicySetDiff: Sendable, Equatable {
    /// Ordered by type, then name (bytes); for each, the latest versions (changed or not), then the
    /// other version numbers that differ, ascending.
    public let policies: [PolicyDiff]

    public init(old: PolicySet, new: PolicySet, limit: Int = GrantAlternatives.defaultLimit) {
        func byKey(_ set: PolicySet) -> [PolicyKey: PolicySet.Entry] {
            Dictionary(uniqueKeysWithValues: set.entries.map { (PolicyKey(type: $0.type, name: ByteString($0.name)), $0) })
        }
        let before = byKey(old), after = byKey(new)
        policies = Set(before.keys).union(after.keys).sorted().flatMap { key in
            let oldEntry = before[key], newEntry = after[key]
            func policy(_ set: PolicySet, _ entry: PolicySet.Entry?, _ version: Int) -> Policy? {
                entry.flatMap { set.policy(type: $0.type, service: $0.name, version: .number(version)) }
            }
            let oldLatest = oldEntry.flatMap { policy(old, $0, $0.latest) }
            let newLatest = newEntry.flatMap { policy(new, $0, $0.latest) }
            var diffs = [PolicyDiff(old: oldLatest, new: newLatest, limit: limit)]
            let versions = Set((oldEntry?.versions ?? []) + (newEntry?.versions ?? [])).sorted()
            for version in versions {
                let oldVersion = policy(old, oldEntry, version), newVersion = policy(new, newEntry, version)
                // The pair of latest versions, or one of them against nothing, is compared above.
                let isOldLatest = version == oldEntry?.latest, isNewLatest = version == newEntry?.latest
                if (isOldLatest && (isNewLatest || newVersion == nil)) || (isNewLatest && oldVersion == nil) { continue }
                let diff = PolicyDiff(old: oldVersion, new: newVersion, limit: limit)
                if diff.change != .unchanged { diffs.append(diff) }
            }
            return diffs
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
