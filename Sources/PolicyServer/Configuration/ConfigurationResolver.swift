import Foundation

/// Turns flags and `POLICYD_…` environment variables into a checked `ServerConfiguration`, reading
/// each setting through its `PolicydSetting`. A flag wins over its variable, a variable over the
/// default (`ServerConfiguration`'s); an empty variable counts as unset.
public struct ConfigurationResolver: Sendable {
    public var flags: CommandLineSettings
    public var environment: [String: String]
    /// Where `fixtures/dev` is looked for in `--dev` mode when `--dev-keys` is not given.
    public var developmentKeySearch: DevelopmentKeys.SearchLocations

    public init(
        flags: CommandLineSettings, environment: [String: String],
        developmentKeySearch: DevelopmentKeys.SearchLocations = .current()
    ) {
        self.flags = flags
        self.environment = environment
        self.developmentKeySearch = developmentKeySearch
    }

    public func resolve() throws(ConfigurationError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if let host = given(.host) {
            guard !host.value.isEmpty else { throw ConfigurationError("\(host.source): give a host name or address") }
            configuration.host = host.value
        }
        if let port = given(.port) {
            guard let number = Int(port.value), (0...65535).contains(number) else {
                throw ConfigurationError("\(port.source) '\(port.value)': give a port number from 0 to 65535")
            }
            configuration.port = number
        }
        if let policies = given(.policies) {
            guard !policies.value.isEmpty else { throw ConfigurationError("\(policies.source): give a directory") }
            configuration.policyDirectory = policies.value
        }
        if let shadow = given(.shadowPolicies) {
            guard !shadow.value.isEmpty else { throw ConfigurationError("\(shadow.source): give a directory") }
            configuration.shadowPolicyDirectory = shadow.value
        }
        if let rootPath = given(.rootPath) {
            configuration.rootPath = try RootPath(rootPath.value)
        }
        if let leeway = given(.leeway) {
            configuration.tokenLeeway = try seconds(leeway, within: 0...3600)
        }
        if let claim = given(.groupsClaim) {
            guard !claim.value.isEmpty else { throw ConfigurationError("\(claim.source): give a claim name") }
            configuration.groupsClaim = claim.value
        }
        configuration.issuerKeySources = try issuerKeySources()
        configuration.keyRefresh = try keyRefreshSchedule()
        if let size = given(.tokenCacheSize) {
            guard let entries = Int(size.value), entries >= 0 else {
                throw ConfigurationError("\(size.source) '\(size.value)': give a number of entries (0 turns the cache off)")
            }
            configuration.tokenCacheCapacity = entries
        }
        if let watch = given(.watchInterval) {
            let interval = try seconds(watch, within: 0...86400)
            configuration.policyWatchInterval = interval == 0 ? nil : .milliseconds(Int64(interval * 1000))
        }
        try resolveLimits(into: &configuration)
        try resolveGroupSources(into: &configuration)
        try resolveGroupSearch(into: &configuration)
        if try isOn(.development) {
            let override = given(.developmentKeys)?.value
            configuration.developmentKeys = try DevelopmentKeys.locate(override: override, in: developmentKeySearch)
        }
        return configuration
    }

    /// A setting's value as given, and the flag or variable it came from, for messages.
    public struct GivenValue: Sendable {
        public let value: String
        public let source: String
    }

    /// The setting's flag when given, else its variable unless unset or empty; nil when neither is
    /// (its default holds).
    public func given(_ setting: PolicydSetting) -> GivenValue? {
        if let flag = flags.values(setting).first { return GivenValue(value: flag, source: setting.flag) }
        if let value = environment[setting.variable], !value.isEmpty {
            return GivenValue(value: value, source: setting.variable)
        }
        return nil
    }

    private func resolveLimits(into configuration: inout ServerConfiguration) throws(ConfigurationError) {
        if let value = given(.maximumBodyBytes) {
            configuration.maximumBodyBytes = try count(value, within: 1024...(64 << 20), of: "bytes")
        }
        if let value = given(.maximumHeaderBytes) {
            configuration.maximumHeaderBytes = try count(value, within: 4096...(1 << 20), of: "bytes")
        }
        if let value = given(.maximumParameters) {
            configuration.maximumParameters = try count(value, within: 1...10_000, of: "parameters")
        }
        if let value = given(.idleTimeout) {
            configuration.idleTimeout = .milliseconds(Int64(try seconds(value, within: 1...3600) * 1000))
        }
        if let value = given(.bodyTimeout) {
            configuration.bodyTimeout = .milliseconds(Int64(try seconds(value, within: 1...3600) * 1000))
        }
        if let value = given(.headTimeout) {
            configuration.headTimeout = .milliseconds(Int64(try seconds(value, within: 1...3600) * 1000))
        }
        if configuration.headTimeout > configuration.idleTimeout {
            // Unless told otherwise: a head may take no longer than an idle connection may last.
            guard given(.headTimeout) == nil else {
                throw ConfigurationError("the head timeout must not exceed the idle timeout")
            }
            configuration.headTimeout = configuration.idleTimeout
        }
        let firstByte = given(.firstByteTimeout)
        if let firstByte {
            configuration.firstByteTimeout = .milliseconds(Int64(try seconds(firstByte, within: 0.1...3600) * 1000))
        }
        if configuration.firstByteTimeout > configuration.headTimeout {
            // Unless told otherwise: a connection may stay silent no longer than a head may take.
            guard firstByte == nil else { throw ConfigurationError("the first-byte timeout must not exceed the head timeout") }
            configuration.firstByteTimeout = configuration.headTimeout
        }
        if let value = given(.maximumConnections) {
            configuration.maximumConnections = try count(value, within: 1...1_000_000, of: "connections")
        }
        if let value = given(.maximumConnectionsPerPeer) {
            configuration.maximumConnectionsPerPeer = try count(value, within: 1...configuration.maximumConnections, of: "connections")
        } else {
            // A quarter: one client (a proxy's pool included) gets plenty, and three more are needed to fill the server.
            configuration.maximumConnectionsPerPeer = max(1, configuration.maximumConnections / 4)
        }
        configuration.gatewayQueryParameters = try isOn(.gatewayQueryParameters)
        configuration.allowsEmptyPolicies = try isOn(.allowEmptyPolicies)
        if let value = given(.auditSample) {
            guard let rate = Double(value.value), (0...1).contains(rate) else {
                throw ConfigurationError("\(value.source) '\(value.value)': give a share of decisions from 0 (off) to 1 (all)")
            }
            configuration.auditSampleRate = rate
        }
        if let value = given(.auditLog) {
            configuration.auditDestination = value.value == "-" ? .standardOutput : .file(value.value)
        }
        if let value = given(.drainSeconds) {
            configuration.drainDelay = .milliseconds(Int64(try seconds(value, within: 0...300) * 1000))
        }
    }

    private func count(_ setting: GivenValue, within range: ClosedRange<Int>, of unit: String) throws(ConfigurationError) -> Int {
        guard let value = Int(setting.value), range.contains(value) else {
            throw ConfigurationError(
                "\(setting.source) '\(setting.value)': give a number of \(unit) from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func seconds(_ setting: GivenValue, within range: ClosedRange<Double>) throws(ConfigurationError) -> TimeInterval {
        guard let value = Double(setting.value), value.isFinite, range.contains(value) else {
            throw ConfigurationError(
                "\(setting.source) '\(setting.value)': give a number of seconds from \(Self.number(range.lowerBound)) to \(Self.number(range.upperBound))")
        }
        return value
    }

    /// `60`, or `0.05`: bounds as a person would write them.
    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// A toggle's flag, or else its variable as 1 or 0 (also true/false, yes/no, on/off).
    private func isOn(_ setting: PolicydSetting) throws(ConfigurationError) -> Bool {
        if flags.isOn(setting) { return true }
        guard let value = environment[setting.variable], !value.isEmpty else { return false }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError("\(setting.variable) '\(value)': give 1 or 0")
        }
    }

    /// Repeated flags, or the variable as a comma- or newline-separated list. Flags replace the variable
    /// rather than adding to it, like every other setting.
    func list(_ setting: PolicydSetting) -> [String] {
        let given = flags.values(setting)
        if !given.isEmpty { return given }
        guard let list = environment[setting.variable] else { return [] }
        return list.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    private func issuerKeySources() throws(ConfigurationError) -> [String: IssuerKeySource] {
        let entries = list(.issuerJWKS)
        var sources: [String: IssuerKeySource] = [:]
        for entry in entries {
            let (issuer, source) = try IssuerKeySource.assignment(entry)
            guard sources[issuer] == nil else {
                throw ConfigurationError("issuer JWKS: '\(issuer)' is given more than once")
            }
            sources[issuer] = source
        }
        return sources
    }

    private func keyRefreshSchedule() throws(ConfigurationError) -> KeyRefreshSchedule {
        var schedule = KeyRefreshSchedule()
        if let value = given(.jwksMinimumRefresh) {
            schedule.minimumInterval = try seconds(value, within: 1...86400)
        }
        if let value = given(.jwksMaximumRefresh) {
            schedule.maximumInterval = try seconds(value, within: 1...604800)
        }
        if let value = given(.jwksMaximumAge) {
            schedule.maximumKeyAge = try seconds(value, within: 1...2_592_000)
        } else {
            // A longer refresh interval alone must not make keys count as stale between two refreshes.
            schedule.maximumKeyAge = max(schedule.maximumKeyAge, 2 * schedule.maximumInterval)
        }
        guard schedule.minimumInterval <= schedule.maximumInterval else {
            throw ConfigurationError("the JWKS minimum refresh interval must not exceed the maximum")
        }
        guard schedule.maximumInterval < schedule.maximumKeyAge else {
            throw ConfigurationError("the JWKS maximum key age must exceed the maximum refresh interval")
        }
        return schedule
    }
}
