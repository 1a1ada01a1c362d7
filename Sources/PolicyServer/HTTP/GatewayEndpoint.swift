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
    /// `--shadow-policies`: every decision made again against the candidate set.
    var shadow: ShadowDecisions? = nil

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
        // Only the header: a query string here is the original request's, not ours.
        let presented = PresentedToken(headers: request.headers, query: try QueryString(nil))
        let audited = Audited(
            service: service, snapshot: snapshot, original: original, presented: presented, context: context, received: received)
        guard let policy = snapshot.policies.policy(type: .route, service: service, version: .latest) else {
            record(audited, live: nil)
            return Self.answer(.forbidden, DecisionReason.noSuchPolicy.description, isAuthorised: false, revision: revision)
        }
        let token: String
        switch presented {
        case .denied(let reason):
            metrics.recordDecision(service: service, type: .route, outcome: .refused, engineNanoseconds: nil)
            record(audited, live: .init(policy: policy, caller: .refused(reason), decision: .denied(.token(reason))))
            return Self.answer(.unauthorized, reason, isAuthorised: false, revision: revision, headers: [.wwwAuthenticate: "Bearer"])
        case .token(let presented, _):
            token = presented
        }
        let caller: AuthenticatedCaller
        switch await authenticator.authenticate(token, for: policy) {
        case .failure(let rejection):
            metrics.recordDecision(service: service, type: .route, outcome: .refused, engineNanoseconds: nil)
            let reason = rejection.reason
            record(audited, live: .init(policy: policy, caller: .refused(reason), decision: .denied(.token(reason))))
            return Self.answer(
                .unauthorized, reason, isAuthorised: false, revision: revision,
                headers: [.wwwAuthenticate: #"Bearer error="invalid_token""#])
        case .success(let authenticated):
            caller = authenticated
        }
        let query = try query(of: original)
        let started = ContinuousClock.now
        let answer = policy.decide(query, groups: caller.groups)
        let decision = answer.decision
        metrics.recordDecision(
            service: service, type: .route, outcome: decision.isAuthorised ? .allow : .deny,
            engineNanoseconds: (ContinuousClock.now - started).nanoseconds)
        record(audited, live: .init(policy: policy, caller: .verified(caller), decision: decision), query: query)
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

    /// What the decision is made on: the path, the method, and the query's parameters when trusted.
    private func query(of original: GatewayRequest) throws -> GatewayQuery {
        GatewayQuery(
            path: original.path, method: original.method,
            queryParameters: trustsQueryParameters ? try original.queryParameters(maximum: maximumParameters) : nil)
    }

    /// A call as its audit record and shadow decision need it.
    private struct Audited {
        let service: String
        let snapshot: PolicyStore.Snapshot
        let original: GatewayRequest
        let presented: PresentedToken
        let context: PolicydRequestContext
        let received: ContinuousClock.Instant
    }

    /// The shadow decision (when a candidate set is given) and the audit record. `live` is nil when
    /// the live set has no policy for the service; `query` is nil when the decision did not get as far
    /// as reading it (a refused token), and is then read for the candidate, which may take the token.
    private func record(_ call: Audited, live: ShadowedCall<GatewayQuery>.Live?, query: GatewayQuery? = nil) {
        // No policy and no candidate: no decision to record.
        guard live != nil || shadow != nil else { return }
        let verified: AuthenticatedCaller? = if case .verified(let caller) = live?.caller { caller } else { nil }
        let decision = live?.decision ?? .denied(.noSuchPolicy)
        let recorder = AuditRecorder(
            audit: audit,
            record: audit?.sampled {
                AuditRecord(
                    time: Date(), endpoint: "gateway", service: call.service, type: .route,
                    version: live?.policy.identity.version, route: call.original.path,
                    routeTemplate: decision.reason.routeTemplate, method: call.original.method, decision: decision,
                    subject: verified?.subject, issuer: verified?.issuer, tokenSource: verified == nil ? nil : "header",
                    latency: ContinuousClock.now - call.received, correlation: call.context.correlation,
                    policyRevision: call.snapshot.revision)
            },
            liveVerifiedCaller: verified != nil, liveDecided: live != nil)
        // A query the live decision would have refused (422) is no call to decide again.
        guard let shadow, let question = query ?? (try? self.query(of: call.original)) else { return recorder.record(nil) }
        shadow.decide(
            ShadowedCall(
                type: .route, service: call.service, version: .latest, question: question, presentedToken: call.presented,
                live: live),
            then: recorder)
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
        response.headers[Self.reason] = reason.controlsAsSpaces
        response.headers.append(revision)
        response.headers.append(contentsOf: headers)
        return response
    }
}
