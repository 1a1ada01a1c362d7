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
            POLICYD_HOST, POLICYD_PORT, POLICYD_POLICIES, POLICYD_ROOT_PATH, POLICYD_LEEWAY, \
            POLICYD_GROUPS_CLAIM, POLICYD_ISSUER_JWKS (a comma- or newline-separated list of ISSUER=URL_OR_FILE), \
            POLICYD_DEV (1 or 0), POLICYD_DEV_KEYS, POLICYD_JWKS_MIN_REFRESH, POLICYD_JWKS_MAX_REFRESH, \
            POLICYD_JWKS_MAX_AGE, POLICYD_TOKEN_CACHE_SIZE, POLICYD_WATCH_INTERVAL, POLICYD_MAX_BODY_BYTES, \
            POLICYD_MAX_HEADER_BYTES, POLICYD_MAX_PARAMETERS, POLICYD_IDLE_TIMEOUT, POLICYD_BODY_TIMEOUT, POLICYD_HEAD_TIMEOUT, \
            POLICYD_MAX_CONNECTIONS, POLICYD_GATEWAY_QUERY_PARAMETERS, POLICYD_ALLOW_EMPTY_POLICIES, POLICYD_DRAIN_SECONDS, \
            POLICYD_AUDIT_SAMPLE, POLICYD_AUDIT_LOG, POLICYD_LOG_LEVEL, POLICYD_LOG_FORMAT, \
            POLICYD_ISSUER_GROUPS, POLICYD_INTROSPECTION_URL, POLICYD_USERINFO_URL (lists like POLICYD_ISSUER_JWKS), \
            POLICYD_GROUPS_CACHE_TTL, POLICYD_GROUPS_LOOKUP_TIMEOUT, POLICYD_INTROSPECTION_CLIENT_SECRET_FILE, \
            POLICYD_GMS_ISSUER, POLICYD_GMS_AUDIENCE (lists like POLICYD_ISSUER_JWKS), POLICYD_GMS_PUBLIC_URL. \
            The introspection client's id and secret come only from POLICYD_INTROSPECTION_CLIENT_ID and \
            POLICYD_INTROSPECTION_CLIENT_SECRET (or the secret file), never from an option. \
            See docs/policyd.md.
            """,
        version: PolicydVersion.current
    )

    @Option(help: ArgumentHelp("Address to listen on (default 127.0.0.1).", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on; 0 picks a free one (default 8080).", valueName: "port"))
    var port: String?

    @Option(help: ArgumentHelp("Policy directory (default policies).", valueName: "directory"))
    var policies: String?

    @Option(name: .customLong("root-path"), help: ArgumentHelp("Also serve every route under PATH/v1.", valueName: "path"))
    var rootPath: String?

    @Option(help: ArgumentHelp("Clock leeway for exp, nbf and iat, in seconds (default 60).", valueName: "seconds"))
    var leeway: String?

    @Option(name: .customLong("groups-claim"), help: ArgumentHelp("Token claim holding the caller's groups (default groups; wlcg.groups is read when it is absent).", valueName: "claim"))
    var groupsClaim: String?

    @Option(name: .customLong("issuer-jwks"), help: ArgumentHelp("ISSUER=URL_OR_FILE: take ISSUER's keys from this JWKS instead of OIDC discovery (repeatable).", valueName: "issuer=url-or-file"))
    var issuerJWKS: [String] = []

    @Flag(help: "Development mode: trust the development key of fixtures/dev for every issuer. Never in production.")
    var dev = false

    @Option(name: .customLong("dev-keys"), help: ArgumentHelp("Directory with jwks.json and signing-key.pem for --dev (default fixtures/dev).", valueName: "directory"))
    var devKeys: String?

    @Option(name: .customLong("jwks-min-refresh"), help: ArgumentHelp("Shortest time between two key fetches for one issuer, in seconds (default 60).", valueName: "seconds"))
    var jwksMinimumRefresh: String?

    @Option(name: .customLong("jwks-max-refresh"), help: ArgumentHelp("Longest time between two key fetches, in seconds (default 3600).", valueName: "seconds"))
    var jwksMaximumRefresh: String?

    @Option(name: .customLong("jwks-max-age"), help: ArgumentHelp("Keys not fetched successfully for this long make /health fail, in seconds (default 7200).", valueName: "seconds"))
    var jwksMaximumAge: String?

    @Option(name: .customLong("token-cache-size"), help: ArgumentHelp("Verified tokens kept, at most (default 10000; 0 turns the cache off).", valueName: "entries"))
    var tokenCacheSize: String?

    @Option(name: .customLong("watch-interval"), help: ArgumentHelp("Seconds between checks of the policy directory for changes (default 2; 0 turns the watch off).", valueName: "seconds"))
    var watchInterval: String?

    @Option(name: .customLong("max-body-bytes"), help: ArgumentHelp("Largest request body, in bytes (default 1048576); beyond it, 413.", valueName: "bytes"))
    var maximumBodyBytes: String?

    @Option(name: .customLong("max-header-bytes"), help: ArgumentHelp("Largest request head (request line and headers), in bytes (default 65536); beyond it, 400.", valueName: "bytes"))
    var maximumHeaderBytes: String?

    @Option(name: .customLong("max-parameters"), help: ArgumentHelp("Most parameters (body members and policy query parameters) of one call, and group= values of one GMS search (default 64); beyond it, 422.", valueName: "count"))
    var maximumParameters: String?

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Seconds a connection may stay idle, or take to send a request head (default 30).", valueName: "seconds"))
    var idleTimeout: String?

    @Option(name: .customLong("body-timeout"), help: ArgumentHelp("Seconds a client may take to send a request body (default 10); beyond it the connection is closed.", valueName: "seconds"))
    var bodyTimeout: String?

    @Option(name: .customLong("head-timeout"), help: ArgumentHelp("Seconds a client may take to send a request head, at most the idle timeout (default 10).", valueName: "seconds"))
    var headTimeout: String?

    @Option(name: .customLong("first-byte-timeout"), help: ArgumentHelp("Seconds a new connection may stay silent before its first byte, at most the head timeout (default 5).", valueName: "seconds"))
    var firstByteTimeout: String?

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Connections open at once (default 2048); beyond it new ones wait in the listen backlog.", valueName: "count"))
    var maximumConnections: String?

    @Option(name: .customLong("max-connections-per-peer"), help: ArgumentHelp("Connections open at once from one address (default: a quarter of --max-connections, 512); beyond it new ones are closed at once.", valueName: "count"))
    var maximumConnectionsPerPeer: String?

    @Flag(name: .customLong("gateway-query-parameters"), help: "Gateway decisions also read the original query's parameters. Only when every upstream reads its policy parameters from the query, never the body: see docs/gateways.md.")
    var gatewayQueryParameters = false

    @Flag(name: .customLong("allow-empty-policies"), help: "Start, and reload, with a policy directory that holds no policy (every call is then 'no such policy').")
    var allowEmptyPolicies = false

    @Option(name: .customLong("drain-seconds"), help: ArgumentHelp("On SIGTERM, seconds /health fails while requests are still served, before in-flight ones are drained and policyd exits (default 5).", valueName: "seconds"))
    var drainSeconds: String?

    @Option(name: .customLong("audit-sample"), help: ArgumentHelp("Share of decisions the audit log records: 1 all (default), 0.01 one in a hundred, 0 off.", valueName: "fraction"))
    var auditSample: String?

    @Option(name: .customLong("audit-log"), help: ArgumentHelp("Where the audit log's JSON lines go: - for standard output (default), or a file to append to.", valueName: "path"))
    var auditLog: String?

    @Option(name: .customLong("issuer-groups"), help: ArgumentHelp("ISSUER=jwt|introspection|userinfo: where ISSUER's callers' groups come from (repeatable; default jwt, the token's own claim).", valueName: "issuer=source"))
    var issuerGroups: [String] = []

    @Option(name: .customLong("introspection-url"), help: ArgumentHelp("ISSUER=URL: ISSUER's token introspection endpoint, instead of the discovered one (repeatable).", valueName: "issuer=url"))
    var introspectionURLs: [String] = []

    @Option(name: .customLong("userinfo-url"), help: ArgumentHelp("ISSUER=URL: ISSUER's userinfo endpoint, instead of the discovered one (repeatable).", valueName: "issuer=url"))
    var userinfoURLs: [String] = []

    @Option(name: .customLong("groups-cache-ttl"), help: ArgumentHelp("Longest time an issuer's answer about a token's groups is trusted, in seconds (default 300).", valueName: "seconds"))
    var groupsCacheTTL: String?

    @Option(name: .customLong("groups-lookup-timeout"), help: ArgumentHelp("Seconds one introspection or userinfo lookup may take before the call is denied (default 3).", valueName: "seconds"))
    var groupsLookupTimeout: String?

    @Option(name: .customLong("introspection-client-secret-file"), help: ArgumentHelp("File holding the introspection client's secret (the id comes from POLICYD_INTROSPECTION_CLIENT_ID).", valueName: "path"))
    var introspectionClientSecretFile: String?

    @Option(name: .customLong("gms-issuer"), help: ArgumentHelp("An issuer whose tokens GMS searches (/v1/gms/search) take (repeatable; default: every issuer the policies name).", valueName: "issuer"))
    var gmsIssuers: [String] = []

    @Option(name: .customLong("gms-audience"), help: ArgumentHelp("An audience a GMS search's token may name (repeatable; default: every audience the policies name).", valueName: "audience"))
    var gmsAudiences: [String] = []

    @Option(name: .customLong("gms-public-url"), help: ArgumentHelp("The URL at which clients reach /v1/gms, for /v1/gms/capabilities (without it, that answers 404).", valueName: "url"))
    var gmsPublicURL: String?

    @Option(name: .customLong("log-format"), help: ArgumentHelp("json, text, or auto (default): text on a terminal, JSON lines otherwise.", valueName: "format"))
    var logFormat: String?

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default info).", valueName: "level"))
    var logLevel: String?

    func run() async throws {
        // The service group hears SIGTERM and SIGINT through Dispatch, which on Linux only sees a
        // signal whose default action (ending the process at once) is set aside first.
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        let logger = try makeLogger(environment: environment)
        let configuration = try resolvedConfiguration(environment: environment)
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
        CommandLineSettings(
            host: host, port: port, policies: policies, rootPath: rootPath, leeway: leeway, groupsClaim: groupsClaim,
            issuerJWKS: issuerJWKS, development: dev, developmentKeys: devKeys, jwksMinimumRefresh: jwksMinimumRefresh,
            jwksMaximumRefresh: jwksMaximumRefresh, jwksMaximumAge: jwksMaximumAge, tokenCacheSize: tokenCacheSize,
            watchInterval: watchInterval, maximumBodyBytes: maximumBodyBytes, maximumHeaderBytes: maximumHeaderBytes,
            maximumParameters: maximumParameters, idleTimeout: idleTimeout, bodyTimeout: bodyTimeout,
            headTimeout: headTimeout, firstByteTimeout: firstByteTimeout, maximumConnections: maximumConnections,
            maximumConnectionsPerPeer: maximumConnectionsPerPeer,
            gatewayQueryParameters: gatewayQueryParameters, allowsEmptyPolicies: allowEmptyPolicies,
            drainSeconds: drainSeconds, auditSample: auditSample, auditLog: auditLog, issuerGroups: issuerGroups,
            introspectionURLs: introspectionURLs, userinfoURLs: userinfoURLs, groupsCacheTTL: groupsCacheTTL,
            groupsLookupTimeout: groupsLookupTimeout, introspectionClientSecretFile: introspectionClientSecretFile,
            gmsIssuers: gmsIssuers, gmsAudiences: gmsAudiences, gmsPublicURL: gmsPublicURL)
    }

    private func resolvedConfiguration(environment: [String: String]) throws -> ServerConfiguration {
        do {
            return try ConfigurationResolver(flags: commandLineSettings, environment: environment).resolve()
        } catch {
            Console.error("policyd: \(error)")
            throw ExitCode(1)
        }
    }

    private func makeLogger(environment: [String: String]) throws -> Logger {
        let levelName = logLevel ?? environment["POLICYD_LOG_LEVEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "info"
        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            Console.error("policyd: log level '\(levelName)': give trace, debug, info, notice, warning, error or critical")
            throw ExitCode(1)
        }
        let formatName = logFormat ?? environment["POLICYD_LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0 } ?? "auto"
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
