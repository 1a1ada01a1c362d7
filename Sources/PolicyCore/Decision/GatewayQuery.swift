/// What a gateway in front of a service asks before it forwards a request (nginx `auth_request`,
/// Envoy `ext_authz`): the request line, never the body. The decision may rest only on what the
/// upstream will act on, so the parameters are the segments the path gives, and the query's only
/// when the operator says the upstream reads them from there.
public struct GatewayQuery: Sendable {
    public var path: String
    /// Exactly as the gateway saw it: HTTP methods are case-sensitive, and the upstream serves this one.
    public var method: String
    /// The query string's parameters, or nil when they are not to be trusted (the default).
    public var queryParameters: Parameters?

    /// - Parameter path: a concrete path, still percent-encoded as the client sent it (the gateway
    ///   decodes it as the upstream will); never taken as template text.
    public init(path: String, method: String, queryParameters: Parameters? = nil) {
        self.path = path
        self.method = method
        self.queryParameters = queryParameters
    }
}

/// A gateway's answer: the decision, and for an allowed request the roles the caller holds among
/// those the expression names (for the upstream's `X-Auth-Roles`).
public struct GatewayDecision: Sendable {
    public let decision: Decision
    public let heldRoles: [String]

    static func denied(_ reason: DecisionReason) -> GatewayDecision {
        GatewayDecision(decision: .denied(reason), heldRoles: [])
    }
}
