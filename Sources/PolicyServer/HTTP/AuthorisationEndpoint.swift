import Foundation
import Hummingbird
import Logging
import NIOCore
import PolicyCore

/// `POST /v1/authorise/{route|exchange|plugin}/{service}`: 422 for an unusable request, 404 for no such
/// policy, otherwise 200 with the decision, a token that is missing or not valid for the policy
/// included (as a denial with its reason).
struct AuthorisationEndpoint: Sendable {
    let policies: PolicyStore
    let authenticator: TokenAuthenticator
    let limits: RequestLimits
    let metrics: PolicydMetrics
    let audit: AuditLog?

    func respond(_ type: PolicyType, to request: Request, context: some RequestContext) async throws -> Response {
        let received = ContinuousClock.now
        let service = try PathParameter.decoded("service", in: context, orElse: .noSuchPolicy)
        let queryString = try QueryString(
            request.uri.query, maximumItems: limits.maximumParameters + AuthorisationRequest.controlParameters.count)
        let body = try await RequestBodyReader.collect(request, upTo: limits.maximumBodyBytes)
        let authorisation = try AuthorisationRequest(
            type: type, service: service, queryString: queryString, body: body, maximumParameters: limits.maximumParameters)

        // One snapshot for the whole call: a reload between two reads must not mix two sets.
        let policySet = policies.policies
        guard let policy = policySet.policy(type: type, service: service, version: authorisation.query.version)
        else {
            throw HTTPProblem.noSuchPolicy
        }
        let decision: Decision
        var caller: AuthenticatedCaller?
        var tokenSource: PresentedToken.Source?
        switch PresentedToken(headers: request.headers, query: queryString) {
        case .denied(let reason):
            decision = .denied(.token(reason))
            metrics.recordDecision(service: service, type: type, outcome: .refused, engineNanoseconds: nil)
        case .token(let token, let source):
            tokenSource = source
            switch await authenticator.authenticate(token, for: policy) {
            case .failure(let rejection):
                decision = .denied(.token(rejection.reason))
                metrics.recordDecision(service: service, type: type, outcome: .refused, engineNanoseconds: nil)
            case .success(let authenticated):
                caller = authenticated
                let started = ContinuousClock.now
                decision = policy.decide(authorisation.query, groups: authenticated.groups, explain: authorisation.explain)
                metrics.recordDecision(
                    service: service, type: type, outcome: decision.isAuthorised ? .allow : .deny,
                    engineNanoseconds: (ContinuousClock.now - started).nanoseconds)
            }
        }
        context.logger.debug(
            "decision",
            metadata: [
                "policy": "\(policy.identity)", "is_authorised": "\(decision.isAuthorised)",
                // Quoted and escaped: a reason can carry the caller's method, which must not forge log lines.
                "reason": "\(String(reflecting: decision.reason.description))",
            ])
        audit?.record {
            let route: RouteQuery? = if case .route(let query) = authorisation.query { query } else { nil }
            return AuditRecord(
                time: Date(), endpoint: "authorise", service: service, type: type, version: policy.identity.version,
                route: route?.route, routeTemplate: decision.reason.routeTemplate, method: route.map { $0.method ?? "GET" },
                decision: decision, subject: caller?.subject, issuer: caller?.issuer, tokenSource: tokenSource?.rawValue,
                latency: ContinuousClock.now - received)
        }
        // Exchange answers say for which audience the Auth API will mint the new token (opencadc's
        // client reads it); every other answer is the Permissions API's as it was.
        let audience: String?? = type == .exchange ? .some(policySet.exchangedTokenAudience(for: policy)) : .none
        if authorisation.explain {
            var answer = decision.json(explain: true)
            if case .object(var members) = answer, let audience {
                members.insert(JSONMember("audience", audience.map(JSONValue.string) ?? .null), at: 2)
                answer = .object(members)
            }
            return .json(answer)
        }
        guard let audience else { return .json(text: decision.compactAnswer) }
        return .json(text: String(decision.compactAnswer.dropLast())
            + #","audience":"# + (audience.map(JSONWriter.quoted) ?? "null") + "}")
    }
}
