import Foundation
import HTTPTypes
import Hummingbird
import PolicyCore

/// `/v1/gateway/{service}/…`, any method: the question a gateway (nginx `auth_request`, Envoy
/// `ext_authz`) asks before it forwards a request to the service. The original concrete path is
/// matched against the service's route policy (spec 2.3, step 3) and decided on what the request
/// line carries (see `Policy.decide(_: GatewayQuery, …)`): the captured segments, and the query's
/// parameters only when the operator trusts them (`--gateway-query-parameters`). The answer is in
/// the status, as gateways read it: 200 allow, 401 no usable token, 403 deny. The reason travels in
/// `X-Auth-Reason`; an allow also carries `X-Auth-Subject` and `X-Auth-Roles` for the upstream. Each
/// of the three carries the revision of the set that decided (`X-Policy-Revision`).
struct GatewayEndpoint: Sendable {
    let policies: PolicyStore
    let authenticator: TokenAuthenticator
    let metrics: PolicydMetrics
    let audit: AuditLog?
    /// `--gateway-query-parameters`: the upstream reads the parameters its policy needs from the query.
    let trustsQueryParameters: Bool
    let maximumParameters: Int

    static let reason = HTTPField.Name("X-Auth-Reason")!
    static let subject = HTTPField.Name("X-Auth-Subject")!
    static let roles = HTTPField.Name("X-Auth-Roles")!

    /// The router's handler, and the one for methods the router was not told about: the service and
    /// the rest of the path are read from the raw path, the same way for both.
    func respond(to request: Request, context: PolicydRequestContext, prefix: String) async throws -> Response {
        let received = ContinuousClock.now
        guard let (service, rest) = Self.serviceAndRest(of: request.uri.path, after: prefix + "/gateway/") else {
            throw HTTPProblem(.badRequest, "no service")
        }
        let original = try GatewayRequest(rest: rest, query: request.uri.query, headers: request.headers, method: request.method)
        // One snapshot for the whole call, as for the Permissions API's.
        let snapshot = policies.snapshot
        let revision = snapshot.revisionField
        guard let policy = snapshot.policies.policy(type: .route, service: service, version: .latest) else {
            return Self.answer(.forbidden, DecisionReason.noSuchPolicy.description, isAuthorised: false, revision: revision)
        }
        // Only the header: a query string here is the original request's, not ours.
        let token: String
        switch PresentedToken(headers: request.headers, query: try QueryString(nil)) {
        case .denied(let reason):
            metrics.recordDecision(service: service, type: .route, outcome: .refused, engineNanoseconds: nil)
            audit(
                .denied(.token(reason)), policy: policy, snapshot: snapshot, original: original, caller: nil, context: context,
                since: received)
            return Self.answer(.unauthorized, reason, isAuthorised: false, revision: revision, headers: [.wwwAuthenticate: "Bearer"])
        case .token(let presented, _):
            token = presented
        }
        let caller: AuthenticatedCaller
        switch await authenticator.authenticate(token, for: policy) {
        case .failure(let rejection):
            metrics.recordDecision(service: service, type: .route, outcome: .refused, engineNanoseconds: nil)
            audit(
                .denied(.token(rejection.reason)), policy: policy, snapshot: snapshot, original: original, caller: nil,
                context: context, since: received)
            return Self.answer(
                .unauthorized, rejection.reason, isAuthorised: false, revision: revision,
                headers: [.wwwAuthenticate: #"Bearer error="invalid_token""#])
        case .success(let authenticated):
            caller = authenticated
        }
        let query = GatewayQuery(
            path: original.path, method: original.method,
            queryParameters: trustsQueryParameters ? try original.queryParameters(maximum: maximumParameters) : nil)
        let started = ContinuousClock.now
        let answer = policy.decide(query, groups: caller.groups)
        let decision = answer.decision
        metrics.recordDecision(
            service: service, type: .route, outcome: decision.isAuthorised ? .allow : .deny,
            engineNanoseconds: (ContinuousClock.now - started).nanoseconds)
        audit(decision, policy: policy, snapshot: snapshot, original: original, caller: caller, context: context, since: received)
        let reason = decision.reason.description
        guard decision.isAuthorised else {
            return Self.answer(.forbidden, reason, isAuthorised: false, revision: revision)
        }
        var headers: HTTPFields = [:]
        // Always set, even empty, so a gateway that copies them overwrites whatever a client sent.
        headers[Self.subject] = caller.subject ?? ""
        headers[Self.roles] = answer.heldRoles.joined(separator: ",")
        return Self.answer(.ok, reason, isAuthorised: true, revision: revision, headers: headers)
    }

    private func audit(
        _ decision: Decision, policy: Policy, snapshot: PolicyStore.Snapshot, original: GatewayRequest,
        caller: AuthenticatedCaller?, context: PolicydRequestContext, since received: ContinuousClock.Instant
    ) {
        audit?.record {
            AuditRecord(
                time: Date(), endpoint: "gateway", service: policy.identity.name, type: .route,
                version: policy.identity.version, route: original.path,
                routeTemplate: decision.reason.routeTemplate, method: original.method, decision: decision,
                subject: caller?.subject, issuer: caller?.issuer, tokenSource: caller == nil ? nil : "header",
                latency: ContinuousClock.now - received, correlation: context.correlation,
                policyRevision: snapshot.revision)
        }
    }

    /// The service (percent-decoded) and what follows it in the raw path: empty, or starting with `/`.
    static func serviceAndRest(of path: String, after gatewayPrefix: String) -> (service: String, rest: Substring)? {
        guard path.hasPrefix(gatewayPrefix) else { return nil }
        let afterPrefix = path.dropFirst(gatewayPrefix.count)
        let end = afterPrefix.firstIndex(of: "/") ?? afterPrefix.endIndex
        guard end > afterPrefix.startIndex,
              let service = PercentDecoding.decode(afterPrefix[..<end], plusIsSpace: false)
        else { return nil }
        return (service, afterPrefix[end...])
    }

    private static func answer(
        _ status: HTTPResponse.Status, _ reason: String, isAuthorised: Bool, revision: HTTPField, headers: HTTPFields = [:]
    ) -> Response {
        var response = Response.json(
            .object([JSONMember("is_authorised", .bool(isAuthorised)), JSONMember("reason", .string(reason))]),
            status: status)
        // A header value cannot hold a line break, and a control character (C1 included, which HTTP
        // passes on as obs-text) would reach a terminal through the gateway's logs: each becomes a
        // space. Reasons quote policy text, and a client's query parameter names.
        response.headers[Self.reason] = String(String.UnicodeScalarView(reason.unicodeScalars.map { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: " "
            default: scalar
            }
        }))
        response.headers.append(revision)
        response.headers.append(contentsOf: headers)
        return response
    }
}
