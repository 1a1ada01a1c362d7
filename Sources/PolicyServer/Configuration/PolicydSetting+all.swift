/// Every setting of policyd, in the order of docs/operations.md's table (which a test holds to this).
extension PolicydSetting {
    public static let all: [PolicydSetting] = [
        host, port, policies, shadowPolicies, rootPath, leeway, groupsClaim, issuerJWKS, issuerGroups, introspectionURL,
        userinfoURL, introspectionClientID, introspectionClientSecret, introspectionClientSecretFile, groupsCacheTTL,
        groupsLookupTimeout, gmsIssuer, gmsAudience, gmsPublicURL, development, developmentKeys, jwksMinimumRefresh,
        jwksMaximumRefresh, jwksMaximumAge, tokenCacheSize, watchInterval, maximumBodyBytes, maximumHeaderBytes,
        maximumParameters, idleTimeout, bodyTimeout, headTimeout, firstByteTimeout, maximumConnections,
        maximumConnectionsPerPeer, gatewayQueryParameters, allowEmptyPolicies, drainSeconds, auditSample, auditLog,
        logLevel, logFormat,
    ]

    public static let host = PolicydSetting("host", .value("ADDRESS"), default: .value("127.0.0.1"), "Address to listen on.")
    public static let port = PolicydSetting("port", .value("PORT"), default: .value("8080"), "Port to listen on; 0 picks a free one.")
    public static let policies = PolicydSetting("policies", .value("DIR"), default: .value("policies"), "Policy directory.")
    public static let shadowPolicies = PolicydSetting(
        "shadow-policies", .value("DIR"), default: .described("none"),
        "A candidate policy directory: every decision is made against it too, counted and audited, and never changes an answer.")
    public static let rootPath = PolicydSetting(
        "root-path", .value("PATH"), default: .described("none"), "Also serve every route under PATH/v1.")
    public static let leeway = PolicydSetting(
        "leeway", .value("SECONDS"), default: .value("60"), "Clock leeway for exp, nbf and iat, in seconds.")
    public static let groupsClaim = PolicydSetting(
        "groups-claim", .value("NAME"), default: .value("groups"),
        "Token claim holding the caller's groups; wlcg.groups is read when it is absent.")
    public static let issuerJWKS = PolicydSetting(
        "issuer-jwks", .list("ISSUER=URL_OR_FILE"), default: .described("none"),
        "Take ISSUER's keys from this JWKS instead of OIDC discovery.")
    public static let issuerGroups = PolicydSetting(
        "issuer-groups", .list("ISSUER=SOURCE"), default: .described("`jwt`"),
        "Where ISSUER's callers' groups come from: jwt (the token's own claim), introspection or userinfo.")
    public static let introspectionURL = PolicydSetting(
        "introspection-url", .list("ISSUER=URL"), default: .described("discovery"),
        "ISSUER's token introspection endpoint, instead of the discovered one.")
    public static let userinfoURL = PolicydSetting(
        "userinfo-url", .list("ISSUER=URL"), default: .described("discovery"),
        "ISSUER's userinfo endpoint, instead of the discovered one.")
    public static let introspectionClientID = PolicydSetting(
        "introspection-client-id", .variableOnly, default: .described("none"), "The permissions client's id, for introspection.")
    public static let introspectionClientSecret = PolicydSetting(
        "introspection-client-secret", .variableOnly, default: .described("none"),
        "The permissions client's secret (or the secret file; not both).")
    public static let introspectionClientSecretFile = PolicydSetting(
        "introspection-client-secret-file", .value("PATH"), default: .described("none"),
        "File holding the introspection client's secret (the id comes from POLICYD_INTROSPECTION_CLIENT_ID).")
    public static let groupsCacheTTL = PolicydSetting(
        "groups-cache-ttl", .value("SECONDS"), default: .value("300"),
        "Longest time an issuer's answer about a token's groups is trusted, in seconds.")
    public static let groupsLookupTimeout = PolicydSetting(
        "groups-lookup-timeout", .value("SECONDS"), default: .value("3"),
        "Seconds one introspection or userinfo lookup may take before the call is denied.")
    public static let gmsIssuer = PolicydSetting(
        "gms-issuer", .list("ISSUER"), default: .described("every issuer the policies name"),
        "An issuer whose tokens GMS searches (/v1/gms/search) take.")
    public static let gmsAudience = PolicydSetting(
        "gms-audience", .list("AUDIENCE"), default: .described("every audience the policies name"),
        "An audience a GMS search's token may name.")
    public static let gmsPublicURL = PolicydSetting(
        "gms-public-url", .value("URL"), default: .described("none: `/v1/gms/capabilities` answers 404"),
        "The URL at which clients reach /v1/gms, for /v1/gms/capabilities.")
    public static let development = PolicydSetting(
        "dev", .toggle, default: .described("off"),
        "Development mode: trust the development key of fixtures/dev for every issuer. Never in production.")
    public static let developmentKeys = PolicydSetting(
        "dev-keys", .value("DIR"), default: .value("fixtures/dev"), "Directory with jwks.json and signing-key.pem for --dev.")
    public static let jwksMinimumRefresh = PolicydSetting(
        "jwks-min-refresh", .value("SECONDS"), default: .value("60"),
        "Shortest time between two key fetches for one issuer, in seconds.")
    public static let jwksMaximumRefresh = PolicydSetting(
        "jwks-max-refresh", .value("SECONDS"), default: .value("3600"), "Longest time between two key fetches, in seconds.")
    public static let jwksMaximumAge = PolicydSetting(
        "jwks-max-age", .value("SECONDS"), default: .value("7200", bound: "at least twice the max refresh"),
        "Keys not fetched successfully for this long make /health fail, in seconds.")
    public static let tokenCacheSize = PolicydSetting(
        "token-cache-size", .value("ENTRIES"), default: .value("10000"), "Verified tokens kept, at most; 0 turns the cache off.")
    public static let watchInterval = PolicydSetting(
        "watch-interval", .value("SECONDS"), default: .value("2"),
        "Seconds between checks of the policy directory for changes; 0 turns the watch off.")
    public static let maximumBodyBytes = PolicydSetting(
        "max-body-bytes", .value("BYTES"), default: .value("1048576"), "Largest request body, in bytes; beyond it, 413.")
    public static let maximumHeaderBytes = PolicydSetting(
        "max-header-bytes", .value("BYTES"), default: .value("65536"),
        "Largest request head (request line and headers), in bytes; beyond it, 400.")
    public static let maximumParameters = PolicydSetting(
        "max-parameters", .value("COUNT"), default: .value("64"),
        "Most parameters (body members and policy query parameters) of one call, and group= values of one GMS search; beyond it, 422.")
    public static let idleTimeout = PolicydSetting(
        "idle-timeout", .value("SECONDS"), default: .value("30"),
        "Seconds a connection may stay idle, take to send a request head, or go without taking its answers.")
    public static let bodyTimeout = PolicydSetting(
        "body-timeout", .value("SECONDS"), default: .value("10"),
        "Seconds a client may take to send a request body; beyond it the connection is closed.")
    public static let headTimeout = PolicydSetting(
        "head-timeout", .value("SECONDS"), default: .value("10", bound: "at most the idle timeout"),
        "Seconds a client may take to send a request head, at most the idle timeout.")
    public static let firstByteTimeout = PolicydSetting(
        "first-byte-timeout", .value("SECONDS"), default: .value("5", bound: "at most the head timeout"),
        "Seconds a new connection may stay silent before its first byte, at most the head timeout.")
    public static let maximumConnections = PolicydSetting(
        "max-connections", .value("COUNT"), default: .value("2048"),
        "Connections open at once; beyond it new ones wait in the listen backlog.")
    public static let maximumConnectionsPerPeer = PolicydSetting(
        "max-connections-per-peer", .value("COUNT"), default: .described("a quarter of `--max-connections` (`512`)"),
        "Connections open at once from one address; beyond it new ones are closed at once.")
    public static let gatewayQueryParameters = PolicydSetting(
        "gateway-query-parameters", .toggle, default: .described("off"),
        "Gateway decisions also read the original query's parameters. Only when every upstream reads its policy parameters from the query, never the body: see docs/gateways.md.")
    public static let allowEmptyPolicies = PolicydSetting(
        "allow-empty-policies", .toggle, default: .described("off"),
        "Start, and reload, with a policy directory that holds no policy (every call is then 'no such policy').")
    public static let drainSeconds = PolicydSetting(
        "drain-seconds", .value("SECONDS"), default: .value("5"),
        "On SIGTERM, seconds /health fails while requests are still served, before in-flight ones are drained and policyd exits.")
    public static let auditSample = PolicydSetting(
        "audit-sample", .value("FRACTION"), default: .value("1"),
        "Share of decisions the audit log records: 1 all, 0.01 one in a hundred, 0 off.")
    public static let auditLog = PolicydSetting(
        "audit-log", .value("PATH"), default: .value("-"),
        "Where the audit log's JSON lines go: - for standard output, or a file to append to.")
    public static let logLevel = PolicydSetting(
        "log-level", .value("LEVEL"), default: .value("info"), "trace, debug, info, notice, warning, error or critical.")
    public static let logFormat = PolicydSetting(
        "log-format", .value("FORMAT"), default: .value("auto"),
        "json, text, or auto: text on a terminal, JSON lines otherwise.")
}
