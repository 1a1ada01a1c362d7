import ArgumentParser
import Foundation
import Logging
import PolicyServer
import ServiceLifecycle

@main
struct Policyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policyd",
        abstract: "The SRCNet Permissions API: answers authorisation calls from policy files and OIDC tokens.",
        discussion: """
            Every option can also be set by an environment variable, used when the option is not given: \
            --NAME by POLICYD_NAME, in capitals with each - as _ (\(PolicydSetting.maximumBodyBytes.flag) by \
            \(PolicydSetting.maximumBodyBytes.variable)). A repeatable option's variable takes a comma- or \
            newline-separated list, a switch's 1 or 0; an empty variable counts as unset. Only from the \
            environment, never an option: \(PolicydSetting.all.filter { $0.form == .variableOnly }.map(\.variable).joined(separator: ", ")). \
            See docs/operations.md.
            """,
        version: PolicydVersion.current
    )

    // One option a setting, each declared by its PolicydSetting (name, value name, help); the flags
    // given go to ConfigurationResolver through `commandLineSettings`.
    @Option(name: .setting(.host), help: .setting(.host)) var host: String?
    @Option(name: .setting(.port), help: .setting(.port)) var port: String?
    @Option(name: .setting(.policies), help: .setting(.policies)) var policies: String?
    @Option(name: .setting(.shadowPolicies), help: .setting(.shadowPolicies)) var shadowPolicies: String?
    @Option(name: .setting(.rootPath), help: .setting(.rootPath)) var rootPath: String?
    @Option(name: .setting(.leeway), help: .setting(.leeway)) var leeway: String?
    @Option(name: .setting(.groupsClaim), help: .setting(.groupsClaim)) var groupsClaim: String?
    @Option(name: .setting(.issuerJWKS), help: .setting(.issuerJWKS)) var issuerJWKS: [String] = []
    @Option(name: .setting(.issuerGroups), help: .setting(.issuerGroups)) var issuerGroups: [String] = []
    @Option(name: .setting(.introspectionURL), help: .setting(.introspectionURL)) var introspectionURLs: [String] = []
    @Option(name: .setting(.userinfoURL), help: .setting(.userinfoURL)) var userinfoURLs: [String] = []
    @Option(name: .setting(.introspectionClientSecretFile), help: .setting(.introspectionClientSecretFile))
    var introspectionClientSecretFile: String?
    @Option(name: .setting(.groupsCacheTTL), help: .setting(.groupsCacheTTL)) var groupsCacheTTL: String?
    @Option(name: .setting(.groupsLookupTimeout), help: .setting(.groupsLookupTimeout)) var groupsLookupTimeout: String?
    @Option(name: .setting(.gmsIssuer), help: .setting(.gmsIssuer)) var gmsIssuers: [String] = []
    @Option(name: .setting(.gmsAudience), help: .setting(.gmsAudience)) var gmsAudiences: [String] = []
    @Option(name: .setting(.gmsPublicURL), help: .setting(.gmsPublicURL)) var gmsPublicURL: String?
    @Flag(name: .setting(.development), help: .setting(.development)) var dev = false
    @Option(name: .setting(.developmentKeys), help: .setting(.developmentKeys)) var devKeys: String?
    @Option(name: .setting(.jwksMinimumRefresh), help: .setting(.jwksMinimumRefresh)) var jwksMinimumRefresh: String?
    @Option(name: .setting(.jwksMaximumRefresh), help: .setting(.jwksMaximumRefresh)) var jwksMaximumRefresh: String?
    @Option(name: .setting(.jwksMaximumAge), help: .setting(.jwksMaximumAge)) var jwksMaximumAge: String?
    @Option(name: .setting(.tokenCacheSize), help: .setting(.tokenCacheSize)) var tokenCacheSize: String?
    @Option(name: .setting(.watchInterval), help: .setting(.watchInterval)) var watchInterval: String?
    @Option(name: .setting(.maximumBodyBytes), help: .setting(.maximumBodyBytes)) var maximumBodyBytes: String?
    @Option(name: .setting(.maximumHeaderBytes), help: .setting(.maximumHeaderBytes)) var maximumHeaderBytes: String?
    @Option(name: .setting(.maximumParameters), help: .setting(.maximumParameters)) var maximumParameters: String?
    @Option(name: .setting(.idleTimeout), help: .setting(.idleTimeout)) var idleTimeout: String?
    @Option(name: .setting(.bodyTimeout), help: .setting(.bodyTimeout)) var bodyTimeout: String?
    @Option(name: .setting(.headTimeout), help: .setting(.headTimeout)) var headTimeout: String?
    @Option(name: .setting(.firstByteTimeout), help: .setting(.firstByteTimeout)) var firstByteTimeout: String?
    @Option(name: .setting(.maximumConnections), help: .setting(.maximumConnections)) var maximumConnections: String?
    @Option(name: .setting(.maximumConnectionsPerPeer), help: .setting(.maximumConnectionsPerPeer))
    var maximumConnectionsPerPeer: String?
    @Flag(name: .setting(.gatewayQueryParameters), help: .setting(.gatewayQueryParameters)) var gatewayQueryParameters = false
    @Flag(name: .setting(.allowEmptyPolicies), help: .setting(.allowEmptyPolicies)) var allowEmptyPolicies = false
    @Option(name: .setting(.drainSeconds), help: .setting(.drainSeconds)) var drainSeconds: String?
    @Option(name: .setting(.auditSample), help: .setting(.auditSample)) var auditSample: String?
    @Option(name: .setting(.auditLog), help: .setting(.auditLog)) var auditLog: String?
    @Option(name: .setting(.logLevel), help: .setting(.logLevel)) var logLevel: String?
    @Option(name: .setting(.logFormat), help: .setting(.logFormat)) var logFormat: String?

    func run() async throws {
        // The service group hears SIGTERM and SIGINT through Dispatch, which on Linux only sees a
        // signal whose default action (ending the process at once) is set aside first.
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let settings = ConfigurationResolver(flags: commandLineSettings, environment: ProcessInfo.processInfo.environment)
        let logger = try makeLogger(settings)
        let configuration = try resolvedConfiguration(settings)
        let server: PolicyServer
        do {
            server = try PolicyServer(configuration: configuration, logger: logger)
        } catch {
            report(error)
            throw ExitCode(1)
        }
        if let keys = configuration.developmentKeys {
            let issuers = server.policies.policies.tokenIssuers.sorted()
            Console.error(DevelopmentNotice.warning(keysDirectory: keys.directory, issuers: issuers))
        }
        let application = server.makeApplication { channel in
            guard let keys = configuration.developmentKeys else { return }
            let port = channel.localAddress?.port ?? configuration.port
            // Not awaited: the server accepts connections only once this callback returns.
            Task { await printDevelopmentExample(server: server, keys: keys, port: port, logger: logger) }
        }
        // SIGTERM: /health fails first (ShutdownDrain), then the server drains in-flight requests.
        let services = ServiceGroup(configuration: .init(
            services: [.init(service: application), .init(service: server.makeShutdownDrain(delay: configuration.drainDelay))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
    }

    private var commandLineSettings: CommandLineSettings {
        var given = CommandLineSettings()
        given.record(.host, host)
        given.record(.port, port)
        given.record(.policies, policies)
        given.record(.shadowPolicies, shadowPolicies)
        given.record(.rootPath, rootPath)
        given.record(.leeway, leeway)
        given.record(.groupsClaim, groupsClaim)
        given.record(.issuerJWKS, issuerJWKS)
        given.record(.issuerGroups, issuerGroups)
        given.record(.introspectionURL, introspectionURLs)
        given.record(.userinfoURL, userinfoURLs)
        given.record(.introspectionClientSecretFile, introspectionClientSecretFile)
        given.record(.groupsCacheTTL, groupsCacheTTL)
        given.record(.groupsLookupTimeout, groupsLookupTimeout)
        given.record(.gmsIssuer, gmsIssuers)
        given.record(.gmsAudience, gmsAudiences)
        given.record(.gmsPublicURL, gmsPublicURL)
        given.record(.development, dev)
        given.record(.developmentKeys, devKeys)
        given.record(.jwksMinimumRefresh, jwksMinimumRefresh)
        given.record(.jwksMaximumRefresh, jwksMaximumRefresh)
        given.record(.jwksMaximumAge, jwksMaximumAge)
        given.record(.tokenCacheSize, tokenCacheSize)
        given.record(.watchInterval, watchInterval)
        given.record(.maximumBodyBytes, maximumBodyBytes)
        given.record(.maximumHeaderBytes, maximumHeaderBytes)
        given.record(.maximumParameters, maximumParameters)
        given.record(.idleTimeout, idleTimeout)
        given.record(.bodyTimeout, bodyTimeout)
        given.record(.headTimeout, headTimeout)
        given.record(.firstByteTimeout, firstByteTimeout)
        given.record(.maximumConnections, maximumConnections)
        given.record(.maximumConnectionsPerPeer, maximumConnectionsPerPeer)
        given.record(.gatewayQueryParameters, gatewayQueryParameters)
        given.record(.allowEmptyPolicies, allowEmptyPolicies)
        given.record(.drainSeconds, drainSeconds)
        given.record(.auditSample, auditSample)
        given.record(.auditLog, auditLog)
        given.record(.logLevel, logLevel)
        given.record(.logFormat, logFormat)
        return given
    }

    private func resolvedConfiguration(_ settings: ConfigurationResolver) throws -> ServerConfiguration {
        do {
            return try settings.resolve()
        } catch {
            Console.error("policyd: \(error)")
            throw ExitCode(1)
        }
    }

    private func makeLogger(_ settings: ConfigurationResolver) throws -> Logger {
        let levelName = settings.given(.logLevel)?.value ?? PolicydSetting.logLevel.valueByDefault
        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            Console.error("policyd: log level '\(levelName)': give trace, debug, info, notice, warning, error or critical")
            throw ExitCode(1)
        }
        let formatName = settings.given(.logFormat)?.value ?? PolicydSetting.logFormat.valueByDefault
        switch formatName.lowercased() {
        case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        case "text": LoggingSystem.bootstrap(StreamLogHandler.standardError)
        case "auto":
            // A person at a terminal reads lines; anything else (a container's log collector) gets JSON.
            if isatty(STDERR_FILENO) != 0 {
                LoggingSystem.bootstrap(StreamLogHandler.standardError)
            } else {
                LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
            }
        default:
            Console.error("policyd: log format '\(formatName)': give json, text or auto")
            throw ExitCode(1)
        }
        var logger = Logger(label: "policyd")
        logger.logLevel = level
        return logger
    }

    private func report(_ error: StartupError) {
        switch error {
        case .policies(let failure):
            for diagnostic in failure.diagnostics {
                Console.error(diagnostic.description)
            }
            Console.error("policyd: \(failure.diagnostics.count) problem(s) in the policies; not started")
        case .configuration(let problem):
            Console.error("policyd: \(problem)")
        }
    }

    private func printDevelopmentExample(server: PolicyServer, keys: DevelopmentKeys, port: Int, logger: Logger) async {
        let baseURL = ServerAddress.baseURL(host: server.configuration.host, port: port)
        do {
            guard let example = try await DevelopmentExample.make(
                policies: server.policies.policies, keys: keys, baseURL: baseURL)
            else {
                Console.error("policyd --dev: no route policy (or no signing key) to build an example call from")
                return
            }
            // Standard error, with the warning: standard output is the audit log's.
            Console.error("Try it (the token is valid for one hour):\n\(example.curlCommand)")
        } catch {
            logger.warning("cannot mint the development example token", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}
