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
    /// Every `expected_token_issuer` the policies name, once each (compared by bytes), in identity
    /// order: the issuers whose tokens policyd takes.
    public let tokenIssuers: [String]
    /// Every `expected_token_audience` the policies name, likewise.
    public let tokenAudiences: [String]
    /// Per type, the service names (looked up by hash, without allocating) and their versions.
    private let index: [ServiceIndex?]

    private struct ServiceIndex: Sendable {
        let names: ByteStringSet
        let versions: [Versions]
    }

    private struct Versions: Sendable {
        var byNumber: [Int: Policy] = [:]
        var latest: Policy?
    }

    public init(_ policies: [Policy]) {
        // Identity order puts versions in ascending order, so the last one seen is the latest.
        self.policies = policies.sorted { $0.identity < $1.identity }
        tokenIssuers = Self.distinct(self.policies.map(\.expectedTokenIssuer))
        tokenAudiences = Self.distinct(self.policies.map(\.expectedTokenAudience))
        index = PolicyType.allCases.map { type in
            let ofType = policies.filter { $0.type == type }.sorted { $0.identity < $1.identity }
            guard !ofType.isEmpty else { return nil }
            let names = ByteStringSet(ofType.map { Array($0.name.utf8) })
            var versions = [Versions](repeating: Versions(), count: names.count)
            for policy in ofType {
                let slot = names.index(of: Array(policy.name.utf8))!
                versions[slot].byNumber[policy.version] = policy
                versions[slot].latest = policy
            }
            return ServiceIndex(names: names, versions: versions)
        }
    }

    public func policy(type: PolicyType, service: String, version: VersionSelector) -> Policy? {
        guard let services = index[type.ordinal] else { return nil }
        var service = service
        guard let slot = service.withUTF8({ services.names.index(of: $0) }) else { return nil }
        switch version {
        case .latest: return services.versions[slot].latest
        case .number(let number): return services.versions[slot].byNumber[number]
        }
    }

    /// Every (type, service) with its versions, ordered by type then name.
    public var entries: [Entry] {
        var entries: [Entry] = []
        for type in PolicyType.allCases {
            guard let services = index[type.ordinal] else { continue }
            let slots = (0..<services.names.count).sorted { ByteString(bytes: Array(services.names[$0])) < ByteString(bytes: Array(services.names[$1])) }
            for slot in slots {
                entries.append(Entry(
                    type: type, name: services.names.string(at: slot),
                    versions: services.versions[slot].byNumber.keys.sorted()))
            }
        }
        return entries
    }

    public var types: [PolicyType] {
        PolicyType.allCases.filter { index[$0.ordinal] != nil }
    }

    /// The audience of the token the Auth API will mint when a token is exchanged for `exchange`'s
    /// service: the exchange policy's `exchanged_token_audience`; else the `expected_token_audience`
    /// of the service's latest route policy, the one its tokens must then be for; else that of its
    /// latest plugin policy; else nil (policyd cannot name one).
    public func exchangedTokenAudience(for exchange: Policy) -> String? {
        if let audience = exchange.exchangedTokenAudience { return audience }
        for type in [PolicyType.route, .plugin] {
            if let policy = policy(type: type, service: exchange.name, version: .latest) { return policy.expectedTokenAudience }
        }
        return nil
    }

    private static func distinct(_ strings: [String]) -> [String] {
        let set = ByteStringSet(strings.map(\.utf8))
        return (0..<set.count).map(set.string(at:))
    }
}
