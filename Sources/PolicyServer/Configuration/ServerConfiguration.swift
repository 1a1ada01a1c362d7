import Foundation

/// Everything policyd needs to start, already checked: built from flags and `POLICYD_…` variables
/// by `ConfigurationResolver`, or directly by tests.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 asks the system for a free port; the bound one is reported once the server runs.
    public var port: Int
    public var policyDirectory: String
    /// `--shadow-policies`: a candidate set every decision is also made against (`ShadowDecisions`);
    /// nil: none.
    public var shadowPolicyDirectory: String?
    /// Routes are served under `/v1` and also under `<rootPath>/v1`.
    public var rootPath: RootPath
    public var tokenLeeway: TimeInterval
    public var groupsClaim: String
    /// Issuers whose keys come from a configured JWKS URL or file instead of OIDC discovery.
    public var issuerKeySources: [String: IssuerKeySource]
    /// `--dev`: the development key set, trusted for every issuer without a configured source.
    public var developmentKeys: DevelopmentKeys?
    public var keyRefresh: KeyRefreshSchedule
    public var tokenCacheCapacity: Int
    /// How often the policy directory is checked for changes; nil turns the watch off.
    public var policyWatchInterval: Duration?
    /// Reload the policies on SIGHUP. Tests turn it off: the signal belongs to the process.
    public var reloadsOnHangup: Bool
    public var maximumBodyBytes: Int
    /// The request line and headers together; beyond it the request is answered 400 and the connection closed.
    public var maximumHeaderBytes: Int
    /// Body members and policy query parameters of one authorisation call, and query items of one GMS
    /// search; beyond it, 422.
    public var maximumParameters: Int
    /// A connection with no request in progress for this long is closed; it also bounds how long a
    /// client may take to send a request's head.
    public var idleTimeout: Duration
    /// How long a client may take to send a request's body once its head has arrived; beyond it the
    /// connection is closed.
    public var bodyTimeout: Duration
    /// How long a client may take to send a request's head once it has started one (its first byte);
    /// shorter than the idle timeout, so that a trickled head cannot hold a connection for as long.
    public var headTimeout: Duration
    /// How long a new connection may stay silent before its first byte; shorter than the head timeout,
    /// so that connections opened and left silent do not hold the server's connections for the idle
    /// timeout.
    public var firstByteTimeout: Duration
    /// Connections open at once; beyond it new ones wait in the listen backlog, so that policyd never
    /// runs out of file descriptors (where accepting would fail over and over).
    public var maximumConnections: Int
    /// Connections open at once from one peer address; beyond it a new one is closed as soon as it is
    /// accepted, so that no one client can hold every connection.
    public var maximumConnectionsPerPeer: Int
    /// `--gateway-query-parameters`: gateway decisions read the original query's parameters, trusting
    /// that the upstream reads the parameters its policy needs from the query, not the body.
    public var gatewayQueryParameters: Bool
    /// `--allow-empty-policies`: start (and reload) with a policy directory that holds no policy.
    public var allowsEmptyPolicies: Bool
    /// On SIGTERM, how long `/health` fails while requests are still served, before the server stops
    /// accepting them (see `ShutdownDrain`).
    public var drainDelay: Duration
    /// The share of decisions the audit log records: 1 all, 0 none (the log is off).
    public var auditSampleRate: Double
    public var auditDestination: AuditDestination
    /// Timeout for each discovery or JWKS request.
    public var keyFetchTimeout: Duration
    /// Where each issuer's callers' groups come from; an issuer not named here uses `.jwt`.
    public var issuerGroupSources: [String: GroupSource]
    /// Configured introspection endpoints by issuer, instead of the discovered `introspection_endpoint`.
    public var introspectionURLs: [String: String]
    /// Configured userinfo endpoints by issuer, instead of the discovered `userinfo_endpoint`.
    public var userinfoURLs: [String: String]
    /// The permissions client, as which policyd introspects tokens.
    public var introspectionCredentials: ClientCredentials?
    /// The longest an issuer's answer about a token (its groups) is trusted, even for a token that lives
    /// longer; 0 keeps no answer (concurrent lookups of one token still share one request).
    public var groupsAnswerLifetime: TimeInterval
    /// How long one lookup of groups at an issuer may take, discovery included, before it is a denial.
    public var groupsLookupTimeout: Duration
    /// The issuers a GMS search's token may have (`--gms-issuer`); nil: those the loaded policies name.
    public var gmsIssuers: [String]?
    /// The audiences of which a GMS search's token must name one (`--gms-audience`); nil: those the
    /// loaded policies name.
    public var gmsAudiences: [String]?
    /// Where clients reach `/v1/gms` (`--gms-public-url`, checked, without a trailing `/`), for the
    /// capabilities document; nil: no document (404).
    public var gmsPublicURL: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        policyDirectory: String = "policies",
        shadowPolicyDirectory: String? = nil,
        rootPath: RootPath = .none,
        tokenLeeway: TimeInterval = 60,
        groupsClaim: String = "groups",
        issuerKeySources: [String: IssuerKeySource] = [:],
        developmentKeys: DevelopmentKeys? = nil,
        keyRefresh: KeyRefreshSchedule = KeyRefreshSchedule(),
        tokenCacheCapacity: Int = 10_000,
        policyWatchInterval: Duration? = .seconds(2),
        reloadsOnHangup: Bool = true,
        maximumBodyBytes: Int = 1 << 20,
        maximumHeaderBytes: Int = 64 << 10,
        maximumParameters: Int = 64,
        idleTimeout: Duration = .seconds(30),
        bodyTimeout: Duration = .seconds(10),
        headTimeout: Duration = .seconds(10),
        firstByteTimeout: Duration = .seconds(5),
        maximumConnections: Int = 2048,
        maximumConnectionsPerPeer: Int = 512,
        gatewayQueryParameters: Bool = false,
        allowsEmptyPolicies: Bool = false,
        drainDelay: Duration = .seconds(5),
        auditSampleRate: Double = 1,
        auditDestination: AuditDestination = .standardOutput,
        keyFetchTimeout: Duration = .seconds(10),
        issuerGroupSources: [String: GroupSource] = [:],
        introspectionURLs: [String: String] = [:],
        userinfoURLs: [String: String] = [:],
        introspectionCredentials: ClientCredentials? = nil,
        groupsAnswerLifetime: TimeInterval = 300,
        groupsLookupTimeout: Duration = .seconds(3)
    ) {
        self.host = host
        self.port = port
        self.policyDirectory = policyDirectory
        self.shadowPolicyDirectory = shadowPolicyDirectory
        self.rootPath = rootPath
        self.tokenLeeway = tokenLeeway
        self.groupsClaim = groupsClaim
        self.issuerKeySources = issuerKeySources
        self.developmentKeys = developmentKeys
        self.keyRefresh = keyRefresh
        self.tokenCacheCapacity = tokenCacheCapacity
        self.policyWatchInterval = policyWatchInterval
        self.reloadsOnHangup = reloadsOnHangup
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumHeaderBytes = maximumHeaderBytes
        self.maximumParameters = maximumParameters
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.headTimeout = headTimeout
        self.firstByteTimeout = firstByteTimeout
        self.maximumConnections = maximumConnections
        self.maximumConnectionsPerPeer = maximumConnectionsPerPeer
        self.gatewayQueryParameters = gatewayQueryParameters
        self.allowsEmptyPolicies = allowsEmptyPolicies
        self.drainDelay = drainDelay
        self.auditSampleRate = auditSampleRate
        self.auditDestination = auditDestination
        self.keyFetchTimeout = keyFetchTimeout
        self.issuerGroupSources = issuerGroupSources
        self.introspectionURLs = introspectionURLs
        self.userinfoURLs = userinfoURLs
        self.introspectionCredentials = introspectionCredentials
        self.groupsAnswerLifetime = groupsAnswerLifetime
        self.groupsLookupTimeout = groupsLookupTimeout
    }
}
