import Foundation
import Hummingbird
import NIOCore
import PolicyCore
import PolicyTokens

/// `GET /v1/gms/search` and `GET /v1/gms/capabilities`: the IVOA Group Membership Service 1.0 that
/// CANFAR's skaha and cavern ask through opencadc's `IvoaGroupClient` (spec 4.2), answered from the
/// groups policyd already verifies for decisions. A search reads its `group=` values (at most
/// `--max-parameters` query items: 422 beyond, 400 for a query that does not decode), then the
/// `Authorization: Bearer` token (401 with `WWW-Authenticate: Bearer` when there is none or it is
/// refused), and answers `text/plain` (`GroupSearchAnswer`). Each search is counted by outcome and
/// audited with counts only.
struct GroupSearchEndpoint: Sendable {
    let policies: PolicyStore
    let authenticator: TokenAuthenticator
    let tokens: GroupSearchTokens
    /// nil without `--gms-public-url`.
    let capabilityDocument: GroupSearchCapabilities?
    let maximumParameters: Int
    let metrics: PolicydMetrics
    let audit: AuditLog?

    func search(_ request: Request, context: PolicydRequestContext) async throws -> Response {
        let received = ContinuousClock.now
        let asked: ByteStringSet
        do {
            let values = try QueryString(request.uri.query, maximumItems: maximumParameters).values(named: "group")
            asked = ByteStringSet(values.lazy.filter { !$0.isEmpty }.map(\.utf8))
        } catch {
            metrics.recordGroupSearch(.invalid)
            throw error
        }
        // The set whose issuers and audiences the token is held to, and whose revision the record names.
        let snapshot = policies.snapshot
        // Only the header: GMS has no query token, and a `token=` here is no group either.
        let token: String
        switch PresentedToken(headers: request.headers, query: try QueryString(nil)) {
        case .denied(let reason):
            return refuse(reason, challenge: "Bearer", asked: asked, snapshot: snapshot, context: context, since: received)
        case .token(let presented, _):
            token = presented
        }
        let verified: Result<AuthenticatedCaller, TokenRejection>
        switch tokens.requirements(for: token, policies: snapshot.policies) {
        case .failure(let rejection): verified = .failure(rejection)
        case .success(let requirements): verified = await authenticator.authenticate(token, requirements: requirements)
        }
        let caller: AuthenticatedCaller
        switch verified {
        case .failure(let rejection):
            return refuse(
                rejection.reason, challenge: #"Bearer error="invalid_token""#, asked: asked, snapshot: snapshot, context: context,
                since: received)
        case .success(let authenticated):
            caller = authenticated
        }
        let answer = GroupSearchAnswer(asking: asked, holder: caller.groups)
        metrics.recordGroupSearch(.answered)
        record(
            .init(asked: answer.asked, answered: answer.answered, leftOut: answer.leftOut, refusal: nil), caller: caller,
            snapshot: snapshot, context: context, since: received)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    func capabilities() throws(HTTPProblem) -> Response {
        guard let capabilityDocument else {
            throw HTTPProblem(.notFound, "no GMS capabilities: policyd runs without --gms-public-url")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/xml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: capabilityDocument.document)))
    }

    private func refuse(
        _ reason: String, challenge: String, asked: ByteStringSet, snapshot: PolicyStore.Snapshot,
        context: PolicydRequestContext, since received: ContinuousClock.Instant
    ) -> Response {
        metrics.recordGroupSearch(.refused)
        record(
            .init(asked: asked.count, answered: 0, leftOut: 0, refusal: reason), caller: nil, snapshot: snapshot,
            context: context, since: received)
        return HTTPProblem(.unauthorized, reason, headers: [.wwwAuthenticate: challenge]).response
    }

    private func record(
        _ search: AuditRecord.GroupSearchEvent, caller: AuthenticatedCaller?, snapshot: PolicyStore.Snapshot,
        context: PolicydRequestContext, since received: ContinuousClock.Instant
    ) {
        audit?.record {
            AuditRecord(
                time: Date(), endpoint: "gms", event: .groupSearch(search), subject: caller?.subject, issuer: caller?.issuer,
                tokenSource: caller == nil ? nil : "header", latency: ContinuousClock.now - received,
                correlation: context.correlation, policyRevision: snapshot.revision)
        }
    }
}
