/// An answer and why. The reason is kept as data and rendered only when asked for, so that a
/// decision costs no allocation; `explanation` is filled only when one is requested.
public struct Decision: Sendable {
    public let isAuthorised: Bool
    public let reason: DecisionReason
    public var explanation: Explanation?

    public init(isAuthorised: Bool, reason: DecisionReason, explanation: Explanation? = nil) {
        self.isAuthorised = isAuthorised
        self.reason = reason
        self.explanation = explanation
    }

    public static func denied(_ reason: DecisionReason) -> Decision {
        Decision(isAuthorised: false, reason: reason)
    }
}

public enum DecisionReason: Sendable, Equatable, CustomStringConvertible {
    case unusableVersion(String)
    case noSuchPolicy
    /// The token was not valid for the policy (filled in by the daemon).
    case token(String)
    case noMatchingRoute
    /// No template matches, but one does once a leading prefix (`/v1`, `/api/v1`) is dropped: the
    /// caller probably sent its route with the API prefix its framework added.
    case noMatchingRouteWithPrefix(prefix: String, probableTemplate: String)
    case parameterConflict(name: String)
    /// At a gateway: the expression's outcome rests on a parameter the request line does not carry.
    case parameterNotAtGateway(name: String, queryConsidered: Bool)
    /// At a gateway that reads the query: a parameter given twice with different values.
    case repeatedParameter(name: String)
    case methodNotAllowed(method: String, template: String)
    case routeExpression(method: String, template: String, holds: Bool)
    case exchangeExpression(holds: Bool)
    case missingOrUnknownAction
    case actionExpression(action: String, holds: Bool)

    public var description: String {
        switch self {
        case .unusableVersion(let text): "unusable version \(text): give a positive integer or \"latest\""
        case .noSuchPolicy: "no such policy"
        case .token(let reason): reason
        case .noMatchingRoute: "no matching route"
        case .noMatchingRouteWithPrefix(let prefix, let template):
            "no matching route (did you mean '\(template)'? the route carries the prefix '\(prefix)', which the service should strip)"
        case .parameterConflict(let name): "parameter '\(name)' conflicts with the path"
        case .parameterNotAtGateway(let name, false):
            "parameter '\(name)' is not in the path: decide this route in the service with /v1/authorise"
        case .parameterNotAtGateway(let name, true):
            "parameter '\(name)' is in neither the path nor the query: decide this route in the service with /v1/authorise"
        case .repeatedParameter(let name): "parameter '\(name)' is given more than once with different values"
        case .methodNotAllowed(let method, let template): "method \(method) not allowed on \(template)"
        case .routeExpression(let method, let template, let holds): "\(method) \(template): expression \(holds)"
        case .exchangeExpression(let holds): "exchange expression \(holds)"
        case .missingOrUnknownAction: "missing or unknown action"
        case .actionExpression(let action, let holds): "action '\(action)' expression \(holds)"
        }
    }
}

/// The full reasoning behind a decision, for `?explain=true` and `policyc eval --explain`.
public struct Explanation: Sendable {
    public var policy: PolicyIdentity
    public var routeTemplate: String?
    public var method: String?
    public var action: String?
    /// The role expression that decided, as written in the policy.
    public var expression: String?
    /// The parameters the decision substituted, captured path segments first.
    public var parameters: Parameters
    /// Each role the expression names, in order of first appearance.
    public var roles: [RoleOutcome]
    /// For a denial by the expression: the smallest sets of roles that, added to the caller's,
    /// would allow it, each role with the groups that would give it. Empty when allowed, or
    /// when no group can help (the denial is not the expression's, or it needs a role missing).
    public var wouldGrant: [[RoleGrant]] = []
}

public struct RoleGrant: Sendable, Equatable {
    public var role: String
    /// Any one of these groups gives the role.
    public var groups: [String]
}

public struct RoleOutcome: Sendable, Equatable {
    public var name: String
    public var held: Bool
    /// The caller's group that made it hold (leading `/` removed).
    public var matchedGroup: String?
    /// The groups it would need, substituted; templates whose parameters are unusable are
    /// listed with why.
    public var candidates: [String]
}

extension DecisionReason {
    /// The route template that decided, when the route was found.
    public var routeTemplate: String? {
        switch self {
        case .routeExpression(_, let template, _), .methodNotAllowed(_, let template): template
        default: nil
        }
    }
}
