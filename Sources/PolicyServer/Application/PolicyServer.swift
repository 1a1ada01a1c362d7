import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import PolicyCore
import PolicyTokens
import Prometheus
import ServiceLifecycle

/// policyd assembled from its configuration: the policies, the issuers' keys, the token cache and the
/// HTTP routes, ready to run as a Hummingbird application.
public struct PolicyServer: Sendable {
    public let configuration: ServerConfiguration
    public let policies: PolicyStore
    /// The candidate set of `--shadow-policies`, when given.
    let shadowPolicies: ShadowPolicyStore?
    private let fileKeys: IssuerKeyFiles
    private let logger: Logger
    private let drainState = DrainState()
    private let metricsRegistry = PrometheusCollectorRegistry()
    private let metrics: PolicydMetrics
    private let auditLog: AuditLog?

    /// Loads the policies and any configured JWKS files; fails rather than start without them.
    public init(configuration: ServerConfiguration, logger: Logger) throws(StartupError) {
        self.configuration = configuration
        self.logger = logger
        do {
            policies = try PolicyStore(
                directory: configuration.policyDirectory, allowsEmpty: configuration.allowsEmptyPolicies)
        } catch {
            throw .policies(error)
        }
        do {
            fileKeys = try IssuerKeyFiles(paths: configuration.issuerKeySources.compactMapValues { source in
                if case .file(let path) = source { path } else { nil }
            })
        } catch {
            throw .configuration(error)
        }
        var factory = PrometheusMetricsFactory(registry: metricsRegistry)
        // Decisions take microseconds and requests a fraction of a millisecond: the default buckets
        // (milliseconds to seconds) would put every one in the first.
        factory.durationHistogramBuckets = [
            "policyd_decision_duration_seconds": [1, 2, 5, 10, 20, 50, 100, 1000].map { Duration.microseconds($0) },
            "policyd_request_duration_seconds": [50, 100, 250, 500, 1000, 2500, 5000, 10_000, 50_000, 250_000, 1_000_000]
                .map { Duration.microseconds($0) },
        ]
        metrics = PolicydMetrics(factory: factory, shadow: configuration.shadowPolicyDirectory != nil)
        metrics.policies.loaded.record(policies.policies.policies.count)
        metrics.policies.revision.show(servedBy: policies)
        shadowPolicies = configuration.shadowPolicyDirectory.map { directory in
            ShadowPolicyStore(directory: directory, allowsEmpty: configuration.allowsEmptyPolicies)
        }
        if let shadowPolicies, let shadowMetrics = metrics.shadowPolicies {
            Self.reportStart(of: shadowPolicies, metrics: shadowMetrics, logger: logger)
        }
        do {
            auditLog = try AuditLog(
                sampleRate: configuration.auditSampleRate, destination: configuration.auditDestination,
                written: metrics.auditRecords, lost: metrics.auditRecordsLost)
        } catch let error as ConfigurationError {
            throw .configuration(error)
        } catch {
            throw .configuration(ConfigurationError("audit log: \(error)"))
        }
    }

    /// The first step of a graceful shutdown (see `ShutdownDrain`): put it after the application in
    /// the service group that runs both.
    public func makeShutdownDrain(delay: Duration) -> ShutdownDrain {
        ShutdownDrain(state: drainState, delay: delay, logger: logger)
    }

    /// The application; run it (`runService()`, or inside a `ServiceGroup`) to serve.
    /// - Parameter onServerRunning: called once the server listens, with its channel (whose
    ///   `localAddress` tells the port when the configuration asked for port 0).
    public func makeApplication(
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        makeApplication(onServerRunning: onServerRunning, inspecting: { _ in })
    }

    /// What tests may look at once the application is made: the router with every route on it (tests
    /// list its routes, or ask it in process), and what the authorisation pipeline answers with (tests
    /// put a pipeline of their own over it, in process).
    struct Parts {
        let router: Router<PolicydRequestContext>
        let authorisation: PolicydHTTPChannel.Authorisation
    }

    /// As above, with `inspecting` shown the application's `Parts`.
    func makeApplication(
        onServerRunning: @escaping @Sendable (any Channel) async -> Void, inspecting: (Parts) -> Void
    ) -> some ApplicationProtocol {
        let now: @Sendable () -> Date = Date.init
        let board = IssuerKeyStatusBoard()
        let httpClient = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClient.Configuration(
                // A redirect could lead from https to plain http; key endpoints have no reason to redirect.
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(5), read: TimeAmount(configuration.keyFetchTimeout))))
        let configuredURLs = configuration.issuerKeySources.compactMapValues { source -> String? in
            if case .url(let url) = source { url } else { nil }
        }
        // One discovery per issuer for its keys and its groups' endpoints, kept as long as keys may be.
        let discovery = IssuerDiscovery(
            client: httpClient, keepFor: configuration.keyRefresh.maximumInterval, timeout: configuration.keyFetchTimeout,
            now: now)
        let fetcher = HTTPJWKSFetcher(
            client: httpClient, configuredURLs: configuredURLs, discovery: discovery, board: board, metrics: metrics,
            timeout: configuration.keyFetchTimeout, now: now)
        let cache = CallerCache(capacity: configuration.tokenCacheCapacity, now: now)
        let keys = IssuerKeyDirectory(
            fileKeys: fileKeys, configuredURLs: configuredURLs, developmentKeys: configuration.developmentKeys?.keys,
            fetchedKeys: KeyStore(
                fetcher: fetcher, minimumRefreshInterval: configuration.keyRefresh.minimumInterval,
                maximumKeyAge: configuration.keyRefresh.maximumKeyAge, now: now,
                // A key withdrawn at the issuer must stop vouching for callers verified with it.
                onChange: { [logger] issuer in
                    let dropped = cache.removeCallers(ofIssuer: issuer)
                    logger.info("issuer keys changed", metadata: ["issuer": "\(issuer)", "cached_callers_dropped": "\(dropped)"])
                }))
        let groupBoard = GroupLookupStatusBoard()
        let lookupClient = makeLookupClient()
        let groupResolver = makeGroupResolver(client: lookupClient, discovery: discovery, board: groupBoard, now: now)
        let authenticator = TokenAuthenticator(
            verifier: TokenVerifier(keys: keys, leeway: configuration.tokenLeeway, groupsClaim: configuration.groupsClaim),
            cache: cache, metrics: metrics, groups: groupResolver)

        let bodyTimeout = configuration.bodyTimeout
        let observer = RequestObserver(metrics: metrics, requestIDs: RequestIDs())
        let router = Router(context: PolicydRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestLogMiddleware(observer: observer))
        router.add(middleware: JSONErrorMiddleware())
        let shadow = shadowPolicies.map { ShadowDecisions(candidates: $0, authenticator: authenticator, metrics: metrics) }
        let authorisation = AuthorisationEndpoint(
            policies: policies, authenticator: authenticator,
            limits: .init(maximumBodyBytes: configuration.maximumBodyBytes, maximumParameters: configuration.maximumParameters),
            metrics: metrics, audit: auditLog, shadow: shadow)
        PolicydRoutes(
            catalog: PolicyCatalogEndpoints(policies: policies),
            health: HealthEndpoint(
                policies: policies, shadowPolicies: shadowPolicies, keys: keys, board: board, schedule: configuration.keyRefresh, cache: cache,
                drain: drainState, groups: .init(
                    sources: configuration.issuerGroupSources, introspectionURLs: configuration.introspectionURLs,
                    userinfoURLs: configuration.userinfoURLs, board: groupBoard),
                now: now),
            gateway: GatewayEndpoint(
                policies: policies, authenticator: authenticator, metrics: metrics, audit: auditLog,
                trustsQueryParameters: configuration.gatewayQueryParameters,
                maximumParameters: configuration.maximumParameters, shadow: shadow),
            groupSearch: GroupSearchEndpoint(
                policies: policies, authenticator: authenticator,
                tokens: GroupSearchTokens(
                    issuers: configuration.gmsIssuers, audiences: configuration.gmsAudiences, groups: groupResolver,
                    maximumTokenBytes: authenticator.verifier.maximumTokenBytes),
                capabilityDocument: configuration.gmsPublicURL.map(GroupSearchCapabilities.init(publicURL:)),
                maximumParameters: configuration.maximumParameters, metrics: metrics, audit: auditLog),
            metrics: MetricsEndpoint(registry: metricsRegistry)
        ).register(on: router, prefixes: configuration.rootPath.versionPrefixes)

        let pipelineParts = PolicydHTTPChannel.Authorisation(
            endpoint: authorisation, paths: .init(prefixes: configuration.rootPath.versionPrefixes), observer: observer)
        inspecting(Parts(router: router, authorisation: pipelineParts))

        var services: [any Service] = [
            HTTPClientShutdownService(client: httpClient),
            HTTPClientShutdownService(client: lookupClient),
            PolicyReloadService(
                sets: reloadedSets, watchInterval: configuration.policyWatchInterval,
                reloadsOnHangup: configuration.reloadsOnHangup, logger: logger,
                alsoOnHangup: { [fileKeys, logger] in Self.reloadKeyFiles(fileKeys, dropping: cache, logger: logger) }),
            KeyRefreshService(
                policies: policies, candidates: shadowPolicies, keys: keys, board: board, schedule: configuration.keyRefresh, logger: logger, now: now),
        ]
        if let auditLog {
            // A shadow decision's token check waits at most for a key fetch and a group lookup.
            services.append(AuditFlushService(
                log: auditLog, shadow: shadow,
                shadowWaitLimit: configuration.keyFetchTimeout + configuration.groupsLookupTimeout))
        }
        let connections = ConnectionLimits(
            maximum: DescriptorBudget.connections(wanted: configuration.maximumConnections, logger: logger),
            maximumPerPeer: configuration.maximumConnectionsPerPeer, refused: metrics.connectionsRefused)
        return Application(
            router: router,
            server: PolicydHTTPChannel.builder(
                configuration: HTTP1Channel.Configuration(
                    httpDecoderConfiguration: .init(
                        maxHeaderFieldSize: configuration.maximumHeaderBytes,
                        maxHeaderListSize: configuration.maximumHeaderBytes, maxHeaderFieldCount: 100)),
                limits: .init(
                    firstByteTimeout: TimeAmount(configuration.firstByteTimeout),
                    headTimeout: TimeAmount(configuration.headTimeout), bodyTimeout: TimeAmount(bodyTimeout),
                    idleTimeout: TimeAmount(configuration.idleTimeout),
                    maximumBodyBytes: configuration.maximumBodyBytes, connections: connections),
                authorisation: pipelineParts),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                availableConnectionsDelegate: connections),
            services: services,
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// The live set, and the candidate when there is one, for the reload service.
    private var reloadedSets: [PolicyReloadService.Watched] {
        var sets = [PolicyReloadService.Watched(policies: policies, metrics: metrics.policies)]
        if let shadowPolicies, let shadowMetrics = metrics.shadowPolicies {
            sets.append(.init(policies: shadowPolicies, metrics: shadowMetrics, logPrefix: "shadow "))
        }
        return sets
    }

    /// The candidate's first load: counted and shown as a reload is, or logged as an error that
    /// stops nothing (live answers are served, without shadow decisions, until it loads).
    private static func reportStart(of shadow: ShadowPolicyStore, metrics: PolicySetMetrics, logger: Logger) {
        if let serving = shadow.serving {
            metrics.loaded.record(serving.policies.policies.count)
            metrics.revision.show(servedBy: shadow)
            logger.info(
                "shadow policies loaded",
                metadata: [
                    "directory": "\(shadow.directory)", "policies": "\(serving.policies.policies.count)",
                    "revision": "\(serving.revision)",
                ])
        } else if let failure = shadow.failureBeforeLoading {
            metrics.reloadFailures.increment()
            logger.error(
                "shadow policies not loaded; live answers are served without shadow decisions until they load",
                metadata: ["directory": "\(shadow.directory)", "problems": "\(failure.diagnostics.count)"])
            for diagnostic in failure.diagnostics {
                logger.error("\(diagnostic)")
            }
        }
    }

    /// SIGHUP's second half: the `--issuer-jwks` files, read again; callers verified with a key set
    /// that changed are verified again on their next call.
    static func reloadKeyFiles(_ files: IssuerKeyFiles, dropping cache: CallerCache, logger: Logger) {
        let reload = files.reload()
        for issuer in reload.changed {
            let dropped = cache.removeCallers(ofIssuer: issuer)
            logger.info("issuer key file reloaded", metadata: ["issuer": "\(issuer)", "cached_callers_dropped": "\(dropped)"])
        }
        for failure in reload.failures {
            logger.error(
                "issuer key file not reloaded; its last good keys stay", metadata: ["issuer": "\(failure.issuer)", "problem": "\(failure.problem)"])
        }
    }

    /// The client that asks issuers for groups: its own pool, so that requests waiting on a decision never
    /// queue behind key fetches; no redirects (one could carry the client secret or a token from https to
    /// http); and a refused connection fails the lookup at once, a denial with its reason, where the
    /// pool's default would retry the connection until the lookup's deadline.
    private func makeLookupClient() -> HTTPClient {
        let timeout = TimeAmount(configuration.groupsLookupTimeout)
        var clientConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: timeout, read: timeout))
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
    }

    /// Asks issuers in `introspection` or `userinfo` mode for groups (loopback-or-HTTPS endpoints),
    /// keeping answers as long as the token cache keeps callers.
    private func makeGroupResolver(
        client: HTTPClient, discovery: IssuerDiscovery, board: GroupLookupStatusBoard, now: @escaping @Sendable () -> Date
    ) -> GroupResolver {
        let endpoints = IssuerEndpoints(
            discovery: discovery, introspectionURLs: configuration.introspectionURLs, userinfoURLs: configuration.userinfoURLs)
        let timeout = configuration.groupsLookupTimeout
        return GroupResolver(
            sources: configuration.issuerGroupSources,
            issuers: HTTPIssuerClient(
                endpoints: endpoints,
                introspection: IntrospectionClient(
                    client: client, credentials: configuration.introspectionCredentials, timeout: timeout),
                userinfo: UserinfoClient(client: client, timeout: timeout)),
            answers: GroupLookupCoalescer(capacity: configuration.tokenCacheCapacity, now: now),
            board: board, metrics: metrics, logger: logger, timeout: timeout,
            answerLifetime: configuration.groupsAnswerLifetime, now: now)
    }
}
