import Foundation
import HTTPTypes
import Logging
import NIOCore
import PolicyCore
import PolicyTokens

/// `POST /v1/authorise/{route|exchange|plugin}/{service}`: 422 for an unusable request, 404 for no such
/// policy, otherwise 200 with the decision, a token that is missing or not valid for the policy
/// included (as a denial with its reason), and the revision of the set that decided it
/// (`X-Policy-Revision`).
///
/// The steps the authorisation pipeline (`AuthorisationPipeline`) takes a call through: `prepare` (read
/// and check the call, find its policy), the token's look-up and, on a miss, its verification (which
/// may wait on the issuer), and `answer` (decide, count, audit, write).
struct AuthorisationEndpoint: Sendable {
    let policies: PolicyStore
    let authenticator: TokenAuthenticator
    let limits: RequestLimits
    let metrics: PolicydMetrics
    let audit: AuditLog?

    /// A call's request as it arrived: what `prepare` reads.
    struct Arrival {
        let target: AuthorisationTarget
        let headers: HTTPFields
        /// Nil when there was none, or when it went over `--max-body-bytes` (`bodyTooLarge`).
        var body: ByteBuffer?
        var bodyTooLarge = false
        let received: ContinuousClock.Instant
    }

    /// Every check that can refuse the call, and nothing that counts or records it, in the order in
    /// which the router used to meet them: the service's name (404), the query string (422), the body's
    /// size (413), the body and parameters (422), the policy (404).
    func prepare(_ arrival: Arrival) throws(HTTPProblem) -> AuthorisationCall {
        let type = arrival.target.type
        guard let service = arrival.target.service else { throw HTTPProblem.noSuchPolicy }
        let queryString = try QueryString(
            arrival.target.query.map(String.init),
            maximumItems: limits.maximumParameters + AuthorisationRequest.controlParameters.count)
        if arrival.bodyTooLarge { throw HTTPProblem.bodyTooLarge(limit: limits.maximumBodyBytes) }
        let request = try AuthorisationRequest(
            type: type, service: service, queryString: queryString, body: arrival.body ?? ByteBuffer(),
            maximumParameters: limits.maximumParameters)
        // One snapshot for the whole call: a reload between two reads must not mix two sets, nor
        // label an answer with a revision that did not decide it.
        let snapshot = policies.snapshot
        guard let policy = snapshot.policies.policy(type: type, service: service, version: request.query.version) else {
            throw HTTPProblem.noSuchPolicy
        }
        return AuthorisationCall(
            type: type, service: service, request: request, snapshot: snapshot, policy: policy,
            presentedToken: PresentedToken(headers: arrival.headers, query: queryString), received: arrival.received)
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
                latency: ContinuousClock.now - call.received, correlation: correlation, policyRevision: call.snapshot.revision)
        }
        // Exchange answers say for which audience the Auth API will mint the new token (opencadc's
        // client reads it); every other answer is the Permissions API's as it was.
        let audience: String?? = type == .exchange ? .some(call.snapshot.policies.exchangedTokenAudience(for: call.policy)) : .none
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
    /// The set `policy` was taken from, and its revision: the one the answer names.
    let snapshot: PolicyStore.Snapshot
    let policy: Policy
    let presentedToken: PresentedToken
    let received: ContinuousClock.Instant

    /// Who the token says the caller is, or why no caller could be taken from it (a denial's reason).
    enum Caller {
        case refused(String)
        case verified(AuthenticatedCaller)

        init(_ authentication: Result<AuthenticatedCaller, TokenRejection>) {
            switch authentication {
            case .success(let caller): self = .verified(caller)
            case .failure(let rejection): self = .refused(rejection.reason)
            }
        }
    }
}
