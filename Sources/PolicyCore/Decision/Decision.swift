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
    /// At a gateway: the path is spelled in a way upstreams read differently, so it is not decided.
    case ambiguousPath(UpstreamPathRefusal)
    case methodNotAllowed(method: String, template: String)
    case routeExpression(method: String, template: String, holds: Bool)
    case exchangeExpression(holds: Bool)
    case missingOrUnknownAction
    case actionExpression(action: String, holds: Bool)

    /// How much of a caller's method a reason quotes (cut at a scalar, `…` marking the cut): no HTTP
    /// method needs more, and a reason goes into every answer and audit record.
    public static let maximumMethodBytes = 32

    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        appendDescription(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The description's UTF-8 bytes, appended: the one place its wording is written, so that a
    /// batch answer is written as bytes without a `String` for each reason.
    func appendDescription(to output: inout [UInt8]) {
        // One piece at a time: a variadic list would allocate an array per reason.
        func put(_ piece: String) { output.append(contentsOf: piece.utf8) }
        switch self {
        case .unusableVersion(let text): put("unusable version "); put(text); put(": give a positive integer or \"latest\"")
        case .noSuchPolicy: put("no such policy")
        case .token(let reason): put(reason)
        case .noMatchingRoute: put("no matching route")
        case .noMatchingRouteWithPrefix(let prefix, let template):
            put("no matching route (did you mean '"); put(template); put("'? the route carries the prefix '")
            put(prefix); put("', which the service should strip)")
        case .parameterConflict(let name): put("parameter '"); put(name); put("' conflicts with the path")
        case .parameterNotAtGateway(let name, false):
            put("parameter '"); put(name); put("' is not in the path: decide this route in the service with /v1/authorise")
        case .parameterNotAtGateway(let name, true):
            put("parameter '"); put(name)
            put("' is in neither the path nor the query: decide this route in the service with /v1/authorise")
        case .repeatedParameter(let name): put("parameter '"); put(name); put("' is given more than once with different values")
        case .ambiguousPath(let refusal):
            put("ambiguous path: "); refusal.appendDetail(to: &output)
            put(" (upstreams read such a spelling in different ways: send the path in canonical form)")
        case .methodNotAllowed(let method, let template):
            put("method "); ClippedText.append(method.utf8, maximumBytes: Self.maximumMethodBytes, to: &output)
            put(" not allowed on "); put(template)
        case .routeExpression(let method, let template, let holds):
            put(method); put(" "); put(template); put(holds ? ": expression true" : ": expression false")
        case .exchangeExpression(let holds): put(holds ? "exchange expression true" : "exchange expression false")
        case .missingOrUnknownAction: put("missing or unknown action")
        case .actionExpression(let action, let holds): put("action '"); put(action); put(holds ? "' expression true" : "' expression false")
        }
    }
}

/// The full reasoning behind a decision, for `?explain=true` and `policyc eval --explain`.
public struct Explanation: Sendable {
    public var policy: PolicyIdentity
    public var routeTemplate: String?
    public var method: String?
    public var action: String?
    /// Plugin decisions: the parameter whose value selected `action` (`action_parameter`).
    public var actionParameter: String?
    /// The role expression that decided, as written in the policy.
    public var expression: String?
    /// The parameters the decision substituted, captured path segments first, each name once; a
    /// name given more than once has the value `.repeated`.
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
    /// The caller's group that made it hold, as `GroupName.held` writes it: without a leading `/`
    /// unless it had two.
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
