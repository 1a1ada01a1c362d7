import Foundation
import Hummingbird
import PolicyCore

/// `GET /v1/health`: 200 when policies are loaded and every issuer they name has fresh keys and no
/// shutdown has begun, else 503; the body says which part is unwell, issuer by issuer, and which
/// policy set serves (`policy_revision`).
struct HealthEndpoint: Sendable {
    let policies: PolicyStore
    /// `--shadow-policies`: shown, never a reason to fail.
    let shadowPolicies: ShadowPolicyStore?
    let keys: IssuerKeyDirectory
    let board: IssuerKeyStatusBoard
    let schedule: KeyRefreshSchedule
    let cache: CallerCache
    let drain: DrainState
    let groups: GroupSourceReport
    let now: @Sendable () -> Date

    func respond() -> Response {
        let snapshot = policies.snapshot
        let issuers = snapshot.policies.tokenIssuers.sorted()
        let issuerReports = issuers.map(issuerReport)
        let policiesLoaded = !snapshot.policies.policies.isEmpty
        let draining = drain.isDraining
        let healthy = policiesLoaded && issuerReports.allSatisfy(\.fresh) && !draining

        var policyMembers = [
            JSONMember("loaded", .bool(policiesLoaded)),
            JSONMember("count", .number(JSONNumber(Int64(snapshot.policies.policies.count)))),
            JSONMember("directory", .string(policies.directory)),
            JSONMember("loaded_at", .string(Timestamp.text(snapshot.loadedAt))),
        ]
        if let failure = snapshot.lastFailure {
            policyMembers.append(Self.reloadFailure(failure))
        }
        let statistics = cache.statistics
        var members = [
            JSONMember("status", .string(draining ? "DRAINING" : healthy ? "UP" : "DOWN")),
            JSONMember("version", .string(PolicydVersion.current)),
            JSONMember("policy_revision", .string(snapshot.revision.text)),
            JSONMember("policies", .object(policyMembers)),
            JSONMember("issuers", .array(issuerReports.map(\.json))),
            JSONMember("token_cache", .object([
                JSONMember("entries", .number(JSONNumber(Int64(statistics.entries)))),
                JSONMember("capacity", .number(JSONNumber(Int64(cache.capacity)))),
                JSONMember("hits", .number(JSONNumber(Int64(statistics.hits)))),
                JSONMember("misses", .number(JSONNumber(Int64(statistics.misses)))),
            ])),
        ]
        if let shadowPolicies {
            members.append(JSONMember("shadow", report(of: shadowPolicies, liveIssuers: Set(issuers))))
        }
        return .json(.object(members), status: healthy ? .ok : .serviceUnavailable)
    }

    private static func reloadFailure(_ failure: PolicyStore.ReloadFailure) -> JSONMember {
        JSONMember("last_reload_failure", .object([
            JSONMember("at", .string(Timestamp.text(failure.at))),
            JSONMember("diagnostics", .array(failure.diagnostics.map { .string($0) })),
        ]))
    }

    /// The candidate set: `serving` with its revision and the issuers only it names, or `failed`
    /// while it has never loaded (then no shadow decisions are made). Either way health is the live
    /// set's alone: a candidate's issuer without keys makes no replica unready.
    private func report(of shadow: ShadowPolicyStore, liveIssuers: Set<String>) -> JSONValue {
        guard let snapshot = shadow.serving else {
            var members = [JSONMember("status", .string("failed")), JSONMember("directory", .string(shadow.directory))]
            if let failure = shadow.failureBeforeLoading { members.append(Self.reloadFailure(failure)) }
            return .object(members)
        }
        var members = [
            JSONMember("status", .string("serving")),
            JSONMember("policy_revision", .string(snapshot.revision.text)),
            JSONMember("count", .number(JSONNumber(Int64(snapshot.policies.policies.count)))),
            JSONMember("directory", .string(shadow.directory)),
            JSONMember("loaded_at", .string(Timestamp.text(snapshot.loadedAt))),
        ]
        if let failure = snapshot.lastFailure { members.append(Self.reloadFailure(failure)) }
        let candidateOnly = snapshot.policies.tokenIssuers.filter { !liveIssuers.contains($0) }.sorted()
        members.append(JSONMember("issuers", .array(candidateOnly.map { issuerReport($0).json })))
        return .object(members)
    }

    private struct IssuerReport {
        let fresh: Bool
        let json: JSONValue
    }

    private func issuerReport(_ issuer: String) -> IssuerReport {
        let origin = keys.origin(of: issuer)
        var members = [JSONMember("issuer", .string(issuer)), JSONMember("source", .string(origin.name))]
        switch origin {
        case .file(let path):
            members.append(JSONMember("location", .string(path)))
        case .url(let url):
            members.append(JSONMember("location", .string(url)))
        case .development, .discovery:
            break
        }
        members.append(JSONMember("groups", groups.json(for: issuer)))
        guard origin.isFetched else {
            members.append(JSONMember("fresh", .bool(true)))
            return IssuerReport(fresh: true, json: .object(members))
        }
        let status = board.status(of: issuer)
        let fresh = status?.lastSuccess.map { now().timeIntervalSince($0) < schedule.maximumKeyAge } ?? false
        members.append(JSONMember("fresh", .bool(fresh)))
        if let lastSuccess = status?.lastSuccess {
            members.append(JSONMember("last_success", .string(Timestamp.text(lastSuccess))))
            members.append(JSONMember("key_ids", .array((status?.keyIDs ?? []).map { .string($0) })))
            let interval = schedule.interval(forMaxAge: status?.maxAge)
            members.append(JSONMember("refresh_interval_seconds", .number(JSONNumber(Int64(interval)))))
        }
        if let status, !status.lastAttemptSucceeded, let error = status.lastError {
            members.append(JSONMember("last_error", .string(error)))
        }
        if status == nil {
            members.append(JSONMember("last_error", .string("keys not fetched yet")))
        }
        return IssuerReport(fresh: fresh, json: .object(members))
    }
}
