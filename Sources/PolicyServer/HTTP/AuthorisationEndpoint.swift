import Foundation
import HTTPTypes
import Logging
import NIOCore
import PolicyCore
import PolicyDigest
import PolicyTokens

/// `POST /v1/authorise/{route|exchange|plugin}/{service}`: 422 for an unusable request, 404 for no such
/// policy, otherwise 200 with the decision, a token that is missing or not valid for the policy
/// included (as a denial with its reason), and the revision of the set that decided it
/// (`X-Policy-Revision`).
///
/// The steps the authorisation pipeline (`AuthorisationPipeline`) takes a call through: `prepare` (read
/// and check the call, find its policy), the token's look-up and, on a miss, its verification (which
/// may wait on the issuer), `answer` (decide, count, write), and once the answer is handed on,
/// `record` (the shadow decision, when a candidate set is given, and the audit record).
struct AuthorisationEndpoint: Sendable {
    let policies: PolicyStore
    let authenticator: TokenAuthenticator
    let limits: RequestLimits
    let metrics: PolicydMetrics
    let audit: AuditLog?
    /// `--shadow-policies`: every call decided again against the candidate set.
    var shadow: ShadowDecisions? = nil

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
        let read = try read(arrival)
        // One snapshot for the whole call: a reload between two reads must not mix two sets, nor
        // label an answer with a revision that did not decide it.
        let snapshot = policies.snapshot
        guard let policy = snapshot.policies.policy(type: read.type, service: read.service, version: read.request.query.version)
        else { throw HTTPProblem.noSuchPolicy }
        return AuthorisationCall(
            type: read.type, service: read.service, request: read.request, snapshot: snapshot, policy: policy,
            presentedToken: read.presentedToken, received: arrival.received)
    }

    /// `prepare`'s checks up to the policy.
    private func read(_ arrival: Arrival) throws(HTTPProblem)
        -> (type: PolicyType, service: String, request: AuthorisationRequest, presentedToken: PresentedToken)
    {
        let type = arrival.target.type
        guard let service = arrival.target.service else { throw HTTPProblem.noSuchPolicy }
        let queryString = try QueryString(
            arrival.target.query.map(String.init),
            maximumItems: limits.maximumParameters + AuthorisationRequest.controlParameters.count)
        if arrival.bodyTooLarge { throw HTTPProblem.bodyTooLarge(limit: limits.maximumBodyBytes) }
        let request = try AuthorisationRequest(
            type: type, service: service, queryString: queryString, body: arrival.body ?? ByteBuffer(),
            maximumParameters: limits.maximumParameters)
        return (type, service, request, PresentedToken(headers: arrival.headers, query: queryString))
    }

    /// A call answered, and what is left to do once its answer is handed on (`record`).
    struct Answered {
        let body: [UInt8]
        fileprivate let shadowed: ShadowedCall<Query>
        fileprivate let recorder: AuditRecorder
    }

    /// The 200 answer's body (JSON), the decision counted and logged.
    func answer(
        _ call: AuthorisationCall, caller: AuthorisationCall.Caller, correlation: Correlation?, logger: Logger
    ) -> Answered {
        let type = call.type, service = call.service
        let decision: Decision
        switch caller {
        case .refused(let reason):
            decision = .denied(.token(reason))
            metrics.recordDecision(service: service, type: type, outcome: .refused, engineNanoseconds: nil)
        case .verified(let authenticated):
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
        let verified: AuthenticatedCaller? = if case .verified(let authenticated) = caller { authenticated } else { nil }
        // Made now, written once the shadow decision is: its time and latency are the decision's.
        let record = audit?.sampled {
            Self.auditRecord(
                of: call.request.query, presentedToken: call.presentedToken, version: call.policy.identity.version,
                decision: decision, caller: verified, since: call.received, correlation: correlation,
                revision: call.snapshot.revision)
        }
        return Answered(
            body: body(of: decision, for: call),
            shadowed: ShadowedCall(
                type: type, service: service, version: call.request.query.version, question: call.request.query,
                presentedToken: call.presentedToken, live: .init(policy: call.policy, caller: caller, decision: decision)),
            recorder: AuditRecorder(audit: audit, record: record, liveVerifiedCaller: verified != nil))
    }

    private func body(of decision: Decision, for call: AuthorisationCall) -> [UInt8] {
        // Exchange answers say for which audience the Auth API will mint the new token (opencadc's
        // client reads it); every other answer is the Permissions API's as it was.
        let audience: String?? =
            call.type == .exchange ? .some(call.snapshot.policies.exchangedTokenAudience(for: call.policy)) : .none
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

    /// Once the answer is handed on: the shadow decision, when a candidate set is given, and the
    /// audit record (which waits for the shadow decision, to carry its answer when it differs).
    func record(_ answered: Answered) {
        if let shadow {
            shadow.decide(answered.shadowed, then: answered.recorder)
        } else {
            answered.recorder.record(nil)
        }
    }

    /// After a 404 for want of a live policy: the call decided against the candidate set, counted,
    /// and recorded when the candidate has the policy. The call is read again (a 404 is rare, and
    /// `prepare` keeps one result).
    func recordWithoutPolicy(_ arrival: Arrival, correlation: Correlation?) {
        guard let shadow, let read = try? read(arrival) else { return }
        let snapshot = policies.snapshot
        guard snapshot.policies.policy(type: read.type, service: read.service, version: read.request.query.version) == nil
        else { return }
        let query = read.request.query
        shadow.decide(
            ShadowedCall(
                type: read.type, service: read.service, version: query.version, question: query,
                presentedToken: read.presentedToken, live: nil),
            then: AuditRecorder(
                audit: audit,
                record: audit?.sampled {
                    Self.auditRecord(
                        of: query, presentedToken: read.presentedToken, version: nil, decision: .denied(.noSuchPolicy),
                        caller: nil, since: arrival.received, correlation: correlation, revision: snapshot.revision)
                },
                liveVerifiedCaller: false, liveDecided: false))
    }

    private static func auditRecord(
        of query: Query, presentedToken: PresentedToken, version: Int?, decision: Decision, caller: AuthenticatedCaller?,
        since received: ContinuousClock.Instant, correlation: Correlation?, revision: PolicyRevision
    ) -> AuditRecord {
        let route: RouteQuery? = if case .route(let query) = query { query } else { nil }
        let tokenSource: PresentedToken.Source? = if case .token(_, let source) = presentedToken { source } else { nil }
        return AuditRecord(
            time: Date(), endpoint: "authorise", service: query.service, type: query.type, version: version,
            route: route?.route, routeTemplate: decision.reason.routeTemplate, method: route.map { $0.method ?? "GET" },
            decision: decision, subject: caller?.subject, issuer: caller?.issuer, tokenSource: tokenSource?.rawValue,
            latency: ContinuousClock.now - received, correlation: correlation, policyRevision: revision)
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
