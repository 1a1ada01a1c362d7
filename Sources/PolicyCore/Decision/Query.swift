/// A question to the engine, token-free: the caller's groups travel beside it.
public enum Query: Sendable {
    case route(RouteQuery)
    case exchange(ExchangeQuery)
    case plugin(PluginQuery)

    public var type: PolicyType {
        switch self {
        case .route: .route
        case .exchange: .exchange
        case .plugin: .plugin
        }
    }

    public var service: String {
        switch self {
        case .route(let query): query.service
        case .exchange(let query): query.service
        case .plugin(let query): query.service
        }
    }

    public var version: VersionSelector {
        switch self {
        case .route(let query): query.version
        case .exchange(let query): query.version
        case .plugin(let query): query.version
        }
    }
}

extension Query {
    /// The one way to build a query from its type and fields, whoever read them (a batch line, an
    /// HTTP call, flags). `route` is asked only of a route query: each reader words its own error
    /// for a missing route, and reads nothing (no `?route=`) that another type does not need.
    public init<Failure: Error>(
        type: PolicyType, service: String, version: VersionSelector, parameters: Parameters,
        route: () throws(Failure) -> (route: String, method: String?)
    ) throws(Failure) {
        switch type {
        case .route:
            let target = try route()
            self = .route(RouteQuery(
                service: service, version: version, route: target.route, method: target.method, parameters: parameters))
        case .exchange:
            self = .exchange(ExchangeQuery(service: service, version: version, parameters: parameters))
        case .plugin:
            self = .plugin(PluginQuery(service: service, version: version, parameters: parameters))
        }
    }
}

/// May the caller use `method` on `route` of `service` (spec 2.3)?
public struct RouteQuery: Sendable {
    public var service: String
    public var version: VersionSelector
    /// A template of the policy, or a concrete path.
    public var route: String
    /// Absent or empty means GET.
    public var method: String?
    public var parameters: Parameters

    public init(service: String, version: VersionSelector = .latest, route: String, method: String? = nil, parameters: Parameters = Parameters()) {
        self.service = service
        self.version = version
        self.route = route
        self.method = method
        self.parameters = parameters
    }
}

/// May the caller's token be exchanged for one of `service` (spec 2.4)?
public struct ExchangeQuery: Sendable {
    public var service: String
    public var version: VersionSelector
    public var parameters: Parameters

    public init(service: String, version: VersionSelector = .latest, parameters: Parameters = Parameters()) {
        self.service = service
        self.version = version
        self.parameters = parameters
    }
}

/// May the caller perform the body's `action` on plugin `service` (spec 2.4)? `parameters`
/// holds the whole body; `action` is taken out of it to pick the entry.
public struct PluginQuery: Sendable {
    public var service: String
    public var version: VersionSelector
    public var parameters: Parameters

    public init(service: String, version: VersionSelector = .latest, parameters: Parameters = Parameters()) {
        self.service = service
        self.version = version
        self.parameters = parameters
    }
}
