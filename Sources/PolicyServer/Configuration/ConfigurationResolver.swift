import Foundation

/// Turns flags and `POLICYD_…` environment variables into a checked `ServerConfiguration`.
/// A flag wins over its variable, a variable over the default; an empty variable counts as unset.
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
        if let host = setting(flags.host, "--host", "POLICYD_HOST") {
            guard !host.value.isEmpty else { throw ConfigurationError("\(host.source): give a host name or address") }
            configuration.host = host.value
        }
        if let port = setting(flags.port, "--port", "POLICYD_PORT") {
            guard let number = Int(port.value), (0...65535).contains(number) else {
                throw ConfigurationError("\(port.source) '\(port.value)': give a port number from 0 to 65535")
            }
            configuration.port = number
        }
        if let policies = setting(flags.policies, "--policies", "POLICYD_POLICIES") {
            guard !policies.value.isEmpty else { throw ConfigurationError("\(policies.source): give a directory") }
            configuration.policyDirectory = policies.value
        }
        if let rootPath = setting(flags.rootPath, "--root-path", "POLICYD_ROOT_PATH") {
            configuration.rootPath = try RootPath(rootPath.value)
        }
        if let leeway = setting(flags.leeway, "--leeway", "POLICYD_LEEWAY") {
            configuration.tokenLeeway = try seconds(leeway, within: 0...3600)
        }
        if let claim = setting(flags.groupsClaim, "--groups-claim", "POLICYD_GROUPS_CLAIM") {
            guard !claim.value.isEmpty else { throw ConfigurationError("\(claim.source): give a claim name") }
            configuration.groupsClaim = claim.value
        }
        configuration.issuerKeySources = try issuerKeySources()
        configuration.keyRefresh = try keyRefreshSchedule()
        if let size = setting(flags.tokenCacheSize, "--token-cache-size", "POLICYD_TOKEN_CACHE_SIZE") {
            guard let entries = Int(size.value), entries >= 0 else {
                throw ConfigurationError("\(size.source) '\(size.value)': give a number of entries (0 turns the cache off)")
            }
            configuration.tokenCacheCapacity = entries
        }
        if let watch = setting(flags.watchInterval, "--watch-interval", "POLICYD_WATCH_INTERVAL") {
            let interval = try seconds(watch, within: 0...86400)
            configuration.policyWatchInterval = interval == 0 ? nil : .milliseconds(Int64(interval * 1000))
        }
        try resolveLimits(into: &configuration)
        try resolveGroupSources(into: &configuration)
        try resolveGroupSearch(into: &configuration)
        if try isDevelopment() {
            let override = setting(flags.developmentKeys, "--dev-keys", "POLICYD_DEV_KEYS")?.value
            configuration.developmentKeys = try DevelopmentKeys.locate(override: override, in: developmentKeySearch)
        }
        return configuration
    }

    struct Setting {
        let value: String
        /// The flag or variable it came from, for messages.
        let source: String
    }

    func setting(_ flag: String?, _ flagName: String, _ variable: String) -> Setting? {
        if let flag { return Setting(value: flag, source: flagName) }
        if let value = environment[variable], !value.isEmpty { return Setting(value: value, source: variable) }
        return nil
    }

    private func resolveLimits(into configuration: inout ServerConfiguration) throws(ConfigurationError) {
        if let value = setting(flags.maximumBodyBytes, "--max-body-bytes", "POLICYD_MAX_BODY_BYTES") {
            configuration.maximumBodyBytes = try count(value, within: 1024...(64 << 20), of: "bytes")
        }
        if let value = setting(flags.maximumHeaderBytes, "--max-header-bytes", "POLICYD_MAX_HEADER_BYTES") {
            configuration.maximumHeaderBytes = try count(value, within: 4096...(1 << 20), of: "bytes")
        }
        if let value = setting(flags.maximumParameters, "--max-parameters", "POLICYD_MAX_PARAMETERS") {
            configuration.maximumParameters = try count(value, within: 1...10_000, of: "parameters")
        }
        if let value = setting(flags.idleTimeout, "--idle-timeout", "POLICYD_IDLE_TIMEOUT") {
            configuration.idleTimeout = .milliseconds(Int64(try seconds(value, within: 1...3600) * 1000))
        }
        if let value = setting(flags.bodyTimeout, "--body-timeout", "POLICYD_BODY_TIMEOUT") {
            configuration.bodyTimeout = .milliseconds(Int64(try seconds(value, within: 1...3600) * 1000))
        }
        if let value = setting(flags.headTimeout, "--head-timeout", "POLICYD_HEAD_TIMEOUT") {
            configuration.headTimeout = .milliseconds(Int64(try seconds(value, within: 1...3600) * 1000))
        }
        if configuration.headTimeout > configuration.idleTimeout {
            // Unless told otherwise: a head may take no longer than an idle connection may last.
            guard setting(flags.headTimeout, "--head-timeout", "POLICYD_HEAD_TIMEOUT") == nil else {
                throw ConfigurationError("the head timeout must not exceed the idle timeout")
            }
            configuration.headTimeout = configuration.idleTimeout
        }
        let firstByte = setting(flags.firstByteTimeout, "--first-byte-timeout", "POLICYD_FIRST_BYTE_TIMEOUT")
        if let firstByte {
            configuration.firstByteTimeout = .milliseconds(Int64(try seconds(firstByte, within: 0.1...3600) * 1000))
        }
        if configuration.firstByteTimeout > configuration.headTimeout {
            // Unless told otherwise: a connection may stay silent no longer than a head may take.
            guard firstByte == nil else { throw ConfigurationError("the first-byte timeout must not exceed the head timeout") }
            configuration.firstByteTimeout = configuration.headTimeout
        }
        if let value = setting(flags.maximumConnections, "--max-connections", "POLICYD_MAX_CONNECTIONS") {
            configuration.maximumConnections = try count(value, within: 1...1_000_000, of: "connections")
        }
        if let value = setting(flags.maximumConnectionsPerPeer, "--max-connections-per-peer", "POLICYD_MAX_CONNECTIONS_PER_PEER") {
            configuration.maximumConnectionsPerPeer = try count(value, within: 1...configuration.maximumConnections, of: "connections")
        } else {
            // A quarter: one client (a proxy's pool included) gets plenty, and three more are needed to fill the server.
            configuration.maximumConnectionsPerPeer = max(1, configuration.maximumConnections / 4)
        }
        configuration.gatewayQueryParameters = try flag(
            flags.gatewayQueryParameters, "POLICYD_GATEWAY_QUERY_PARAMETERS")
        configuration.allowsEmptyPolicies = try flag(flags.allowsEmptyPolicies, "POLICYD_ALLOW_EMPTY_POLICIES")
        if let value = setting(flags.auditSample, "--audit-sample", "POLICYD_AUDIT_SAMPLE") {
            guard let rate = Double(value.value), (0...1).contains(rate) else {
                throw ConfigurationError("\(value.source) '\(value.value)': give a share of decisions from 0 (off) to 1 (all)")
            }
            configuration.auditSampleRate = rate
        }
        if let value = setting(flags.auditLog, "--audit-log", "POLICYD_AUDIT_LOG") {
            configuration.auditDestination = value.value == "-" ? .standardOutput : .file(value.value)
        }
        if let value = setting(flags.drainSeconds, "--drain-seconds", "POLICYD_DRAIN_SECONDS") {
            configuration.drainDelay = .milliseconds(Int64(try seconds(value, within: 0...300) * 1000))
        }
    }

    private func count(_ setting: Setting, within range: ClosedRange<Int>, of unit: String) throws(ConfigurationError) -> Int {
        guard let value = Int(setting.value), range.contains(value) else {
            throw ConfigurationError(
                "\(setting.source) '\(setting.value)': give a number of \(unit) from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func seconds(_ setting: Setting, within range: ClosedRange<Double>) throws(ConfigurationError) -> TimeInterval {
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

    private func isDevelopment() throws(ConfigurationError) -> Bool {
        try flag(flags.development, "POLICYD_DEV")
    }

    /// A flag, or else its variable as 1 or 0 (also true/false, yes/no, on/off).
    private func flag(_ given: Bool, _ variable: String) throws(ConfigurationError) -> Bool {
        if given { return true }
        guard let value = environment[variable], !value.isEmpty else { return false }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError("\(variable) '\(value)': give 1 or 0")
        }
    }

    /// Repeated flags, or the variable as a comma- or newline-separated list. Flags replace the variable
    /// rather than adding to it, like every other setting.
    func list(_ flags: [String], _ variable: String) -> [String] {
        if !flags.isEmpty { return flags }
        guard let list = environment[variable] else { return [] }
        return list.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    private func issuerKeySources() throws(ConfigurationError) -> [String: IssuerKeySource] {
        let entries = list(flags.issuerJWKS, "POLICYD_ISSUER_JWKS")
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
        if let value = setting(flags.jwksMinimumRefresh, "--jwks-min-refresh", "POLICYD_JWKS_MIN_REFRESH") {
            schedule.minimumInterval = try seconds(value, within: 1...86400)
        }
        if let value = setting(flags.jwksMaximumRefresh, "--jwks-max-refresh", "POLICYD_JWKS_MAX_REFRESH") {
            schedule.maximumInterval = try seconds(value, within: 1...604800)
        }
        if let value = setting(flags.jwksMaximumAge, "--jwks-max-age", "POLICYD_JWKS_MAX_AGE") {
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
