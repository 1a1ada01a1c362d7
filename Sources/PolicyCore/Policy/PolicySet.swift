/// A checked set of policies, indexed by type, service name (bytes) and version. Immutable:
/// a reload builds a new set and swaps it in whole.
public struct PolicySet: Sendable {
    public struct Entry: Sendable {
        public let type: PolicyType
        public let name: String
        /// Ascending.
        public let versions: [Int]
        public var latest: Int { versions.last! }
    }

    /// In identity order.
    public let policies: [Policy]
    private let index: [PolicyType: [ByteString: Versions]]

    private struct Versions: Sendable {
        var byNumber: [Int: Policy] = [:]
        var latest: Policy?
    }

    public init(_ policies: [Policy]) {
        // Identity order puts versions in ascending order, so the last one seen is the latest.
        self.policies = policies.sorted { $0.identity < $1.identity }
        var index: [PolicyType: [ByteString: Versions]] = [:]
        for policy in self.policies {
            index[policy.type, default: [:]][ByteString(policy.name), default: Versions()].byNumber[policy.version] = policy
            index[policy.type]![ByteString(policy.name)]!.latest = policy
        }
        self.index = index
    }

    public func policy(type: PolicyType, service: String, version: VersionSelector) -> Policy? {
        guard let versions = index[type]?[ByteString(service)] else { return nil }
        switch version {
        case .latest: return versions.latest
        case .number(let number): return versions.byNumber[number]
        }
    }

    /// Every (type, service) with its versions, ordered by type then name.
    public var entries: [Entry] {
        var entries: [Entry] = []
        for type in PolicyType.allCases {
            guard let services = index[type] else { continue }
            for (name, versions) in services.sorted(by: { $0.key < $1.key }) {
                entries.append(Entry(type: type, name: name.string, versions: versions.byNumber.keys.sorted()))
            }
        }
        return entries
    }

    public var types: [PolicyType] {
        PolicyType.allCases.filter { index[$0] != nil }
    }
}
