import Foundation
import Hummingbird
import Logging
import NIOCore
import PolicyCore

/// `POST /v1/authorise/{route|exchange|plugin}/{service}`: 422 for an unusable request, 404 for no such
/// policy, otherwise 200 with the decision, a token that is missing or not valid for the policy
/// included (as a denial with its reason).
///
/// Three steps, so that `AuthorisationFastPath` can answer a call whose token is cached on the event
/// loop with the very same code: `prepare` (read and check the call, find its policy), the token's
/// verification (which may wait on the issuer), and `answer` (decide, count, audit, write).
struct AuthorisationEndpoint: Sendable {
    let policies: PolicyStore
    let authenticator: TokenAuthenticator
    let limits: RequestLimits
    let metrics: PolicydMetrics
    let audit: AuditLog?

    func respond(_ type: PolicyType, to request: Request, context: PolicydRequestContext) async throws -> Response {
        let received = ContinuousClock.now
        let service = try PathParameter.decoded("service", in: context, orElse: .noSuchPolicy)
        let queryString = try readQueryString(request.uri.query)
        let body = try await RequestBodyReader.collect(request, upTo: limits.maximumBodyBytes)
        let call = try prepare(
            type, service: service, queryString: queryString, body: body, headers: request.headers, received: received)
        let caller: AuthorisationCall.Caller
        switch call.presentedToken {
        case .denied(let reason): caller = .refused(reason)
        case .token(let token, _):
            switch await authenticator.authenticate(token, for: call.policy) {
            case .failure(let rejection): caller = .refused(rejection.reason)
            case .success(let authenticated): caller = .verified(authenticated)
            }
        }
        return .json(bytes: answer(call, caller: caller, correlation: context.correlation, logger: context.logger))
    }

    func readQueryString(_ raw: String?) throws(HTTPProblem) -> QueryString {
        try QueryString(raw, maximumItems: limits.maximumParameters + AuthorisationRequest.controlParameters.count)
    }

    /// Every check that can refuse the call (422, 404), and nothing that counts or records it.
    func prepare(
        _ type: PolicyType, service: String, queryString: QueryString, body: ByteBuffer, headers: HTTPFields,
        received: ContinuousClock.Instant
    ) throws(HTTPProblem) -> AuthorisationCall {
        let request = try AuthorisationRequest(
            type: type, service: service, queryString: queryString, body: body, maximumParameters: limits.maximumParameters)
        // One snapshot for the whole call: a reload between two reads must not mix two sets.
        let policySet = policies.policies
        guard let policy = policySet.policy(type: type, service: service, version: request.query.version) else {
            throw HTTPProblem.noSuchPolicy
        }
        return AuthorisationCall(
            type: type, service: service, request: request, policySet: policySet, policy: policy,
            presentedToken: PresentedToken(headers: headers, query: queryString), received: received)
    }

    /// The 200 answer's body (JSON), the decision counted, logged and audited.
    func answer(
        _ call: AuthorisationCall, caller: AuthorisationCall.Caller, correlation: Correlation?, logger: Logger
    ) -> [UInt8] {
        let type = call.type, service = call.service
        let decision: Decision
        var verified: AuthenticatedCaller?
        switch caller {
        case .refused(let reason):
            decision = .denied(.token(reason))
            metrics.recordDecision(service: service, type: type, outcome: .refused, engineNanoseconds: nil)
        case .verified(let authenticated):
            verified = authenticated
            let started = ContinuousClock.now
            decision = call.policy.decide(call.request.query, groups: authenticated.groups, explain: call.request.explain)
            metrics.recordDecision(
                service: service, type: type, outcome: decision.isAuthorised ? .allow : .deny,
                engineNanoseconds: (ContinuousClock.now - started).nanoseconds)
        }
        logger.debug(
            "decision",
            metadata: (correlation?.logMetadata ?? [:]).merging([
                "policy": "\(call.policy.identity)", "is_authorised": "\(decision.isAuthorised)",
                // Quoted and escaped: a reason can carry the caller's method, which must not forge log lines.
                "reason": "\(String(reflecting: decision.reason.description))",
            ]) { $1 })
        let tokenSource: PresentedToken.Source? = if case .token(_, let source) = call.presentedToken { source } else { nil }
        audit?.record {
            let route: RouteQuery? = if case .route(let query) = call.request.query { query } else { nil }
            return AuditRecord(
                time: Date(), endpoint: "authorise", service: service, type: type, version: call.policy.identity.version,
                route: route?.route, routeTemplate: decision.reason.routeTemplate, method: route.map { $0.method ?? "GET" },
                decision: decision, subject: verified?.subject, issuer: verified?.issuer, tokenSource: tokenSource?.rawValue,
                latency: ContinuousClock.now - call.received, correlation: correlation)
        }
        // Exchange answers say for which audience the Auth API will mint the new token (opencadc's
        // client reads it); every other answer is the Permissions API's as it was.
        let audience: String?? = type == .exchange ? .some(call.policySet.exchangedTokenAudience(for: call.policy)) : .none
        if call.request.explain {
            var answer = decision.json(explain: true)
            if case .object(var members) = answer, let audience {
                members.insert(JSONMember("audience", audience.map(JSONValue.string) ?? .null), at: 2)
                answer = .object(members)
            }
            return Array(JSONWriter.string(answer, style: .compact).utf8)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        decision.appendCompactAnswer(to: &bytes, audience: audience)
        return bytes
    }
}

/// An authorisation call read and checked, its policy found: all but the token's verification.
struct AuthorisationCall {
    let type: PolicyType
    let service: String
    let request: AuthorisationRequest
    let policySet: PolicySet
    let policy: Policy
    let presentedToken: PresentedToken
    let received: ContinuousClock.Instant

    /// Who the token says the caller is, or why no caller could be taken from it (a denial's reason).
    enum Caller {
        case refused(String)
        case verified(AuthenticatedCaller)
    }
}
