/// The settings as given on the command line, unparsed: nil (or empty for lists) where a flag was not
/// given, so that `ConfigurationResolver` can fall back to the `POLICYD_…` variable and then the default,
/// parsing both sources the same way.
public struct CommandLineSettings: Sendable {
    public var host: String?
    public var port: String?
    public var policies: String?
    public var rootPath: String?
    public var leeway: String?
    public var groupsClaim: String?
    public var issuerJWKS: [String]
    public var development: Bool
    public var developmentKeys: String?
    public var jwksMinimumRefresh: String?
    public var jwksMaximumRefresh: String?
    public var jwksMaximumAge: String?
    public var tokenCacheSize: String?
    public var watchInterval: String?
    public var maximumBodyBytes: String?
    public var maximumHeaderBytes: String?
    public var maximumParameters: String?
    public var idleTimeout: String?
    public var bodyTimeout: String?
    public var headTimeout: String?
    public var firstByteTimeout: String?
    public var maximumConnections: String?
    public var maximumConnectionsPerPeer: String?
    public var gatewayQueryParameters: Bool
    public var allowsEmptyPolicies: Bool
    public var drainSeconds: String?
    public var auditSample: String?
    public var auditLog: String?
    public var issuerGroups: [String]
    public var introspectionURLs: [String]
    public var userinfoURLs: [String]
    public var groupsCacheTTL: String?
    public var groupsLookupTimeout: String?
    /// A path: the secret itself is never a flag (the process list shows flags).
    public var introspectionClientSecretFile: String?
    public var gmsIssuers: [String]
    public var gmsAudiences: [String]
    public var gmsPublicURL: String?

    public init(
        host: String? = nil, port: String? = nil, policies: String? = nil, rootPath: String? = nil,
        leeway: String? = nil, groupsClaim: String? = nil, issuerJWKS: [String] = [], development: Bool = false,
        developmentKeys: String? = nil, jwksMinimumRefresh: String? = nil, jwksMaximumRefresh: String? = nil,
        jwksMaximumAge: String? = nil, tokenCacheSize: String? = nil, watchInterval: String? = nil,
        maximumBodyBytes: String? = nil, maximumHeaderBytes: String? = nil, maximumParameters: String? = nil,
        idleTimeout: String? = nil, bodyTimeout: String? = nil, headTimeout: String? = nil,
        firstByteTimeout: String? = nil, maximumConnections: String? = nil, maximumConnectionsPerPeer: String? = nil,
        gatewayQueryParameters: Bool = false, allowsEmptyPolicies: Bool = false,
        drainSeconds: String? = nil,
        auditSample: String? = nil, auditLog: String? = nil, issuerGroups: [String] = [],
        introspectionURLs: [String] = [], userinfoURLs: [String] = [], groupsCacheTTL: String? = nil,
        groupsLookupTimeout: String? = nil, introspectionClientSecretFile: String? = nil, gmsIssuers: [String] = [],
        gmsAudiences: [String] = [], gmsPublicURL: String? = nil
    ) {
        self.host = host
        self.port = port
        self.policies = policies
        self.rootPath = rootPath
        self.leeway = leeway
        self.groupsClaim = groupsClaim
        self.issuerJWKS = issuerJWKS
        self.development = development
        self.developmentKeys = developmentKeys
        self.jwksMinimumRefresh = jwksMinimumRefresh
        self.jwksMaximumRefresh = jwksMaximumRefresh
        self.jwksMaximumAge = jwksMaximumAge
        self.tokenCacheSize = tokenCacheSize
        self.watchInterval = watchInterval
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
        self.drainSeconds = drainSeconds
        self.auditSample = auditSample
        self.auditLog = auditLog
        self.issuerGroups = issuerGroups
        self.introspectionURLs = introspectionURLs
        self.userinfoURLs = userinfoURLs
        self.groupsCacheTTL = groupsCacheTTL
        self.groupsLookupTimeout = groupsLookupTimeout
        self.introspectionClientSecretFile = introspectionClientSecretFile
        self.gmsIssuers = gmsIssuers
        self.gmsAudiences = gmsAudiences
        self.gmsPublicURL = gmsPublicURL
    }
}
