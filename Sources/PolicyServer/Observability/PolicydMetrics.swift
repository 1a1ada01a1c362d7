import CoreMetrics
import PolicyCore

/// Every metric policyd keeps, made through one swift-metrics factory (Prometheus's, in the
/// daemon), so a server's metrics are its own and tests can read them. Names follow Prometheus's
/// conventions; `docs/operations.md` lists them.
final class PolicydMetrics: Sendable {
    enum Outcome: String, Sendable {
        case allow
        case deny
        /// No usable token: denied before the policy was asked.
        case refused
    }

    /// What one request to an issuer for a caller's groups came to.
    enum GroupsLookupOutcome: String, Sendable {
        /// An answer about an active token (or a userinfo answer).
        case answered
        /// `active: false`, or the userinfo endpoint refused the token.
        case inactive
        /// No usable answer: an HTTP error, refused client credentials, a malformed answer, no connection.
        case error
        /// No answer within the lookup timeout.
        case timeout
    }

    /// What became of one GMS search (spec 4.2).
    enum GroupSearchOutcome: String, Sendable {
        /// 200: the groups asked and held.
        case answered
        /// 401: no usable token.
        case refused
        /// 400 or 422: a query string that does not decode, or too many items.
        case invalid
    }

    private let decisionCounters: MetricHandles<DecisionKey, Counter>
    private let groupSearches: MetricHandles<GroupSearchOutcome, Counter>
    private let decisionTimers: [PolicyType: Timer]
    private let requestTimers: MetricHandles<String, Timer>
    private let groupsLookups: MetricHandles<[String], Counter>
    private let groupsAnswersReused: MetricHandles<[String], Counter>
    private let keyFetches: MetricHandles<[String], Counter>
    let tokenCacheHits: Counter
    let tokenCacheMisses: Counter
    /// Connections closed as soon as accepted: their peer held `--max-connections-per-peer` already.
    let connectionsRefused: Counter
    /// The live set's reloads, size and revision.
    let policies: PolicySetMetrics
    /// The candidate set's (`--shadow-policies`); nil without one, so that its series exist only then.
    let shadowPolicies: PolicySetMetrics?
    private let shadowDecisions: MetricHandles<ShadowDecisionKey, Counter>?
    /// Audit records that reached the log's destination whole.
    let auditRecords: Counter
    /// Audit records their destination refused (`ENOSPC`, `EPIPE`, `EIO`): never a slow reader's.
    let auditRecordsLost: Counter

    private struct DecisionKey: Hashable {
        let service: String
        let type: PolicyType
        let outcome: Outcome
    }

    private struct ShadowDecisionKey: Hashable {
        let service: String
        let type: PolicyType
        let outcome: ShadowOutcome
    }

    /// `shadow`: whether a candidate set is given (`--shadow-policies`).
    init(factory: any MetricsFactory, shadow: Bool = false) {
        decisionCounters = MetricHandles { key in
            Counter(
                label: "policyd_decisions_total",
                dimensions: [("service", key.service), ("type", key.type.rawValue), ("outcome", key.outcome.rawValue)],
                factory: factory)
        }
        groupSearches = MetricHandles { outcome in
            Counter(label: "policyd_gms_requests_total", dimensions: [("outcome", outcome.rawValue)], factory: factory)
        }
        requestTimers = MetricHandles { route in
            Timer(label: "policyd_request_duration_seconds", dimensions: [("route", route)], factory: factory)
        }
        groupsLookups = MetricHandles { labels in
            Counter(
                label: "policyd_groups_lookups_total",
                dimensions: [("issuer", labels[0]), ("source", labels[1]), ("outcome", labels[2])], factory: factory)
        }
        groupsAnswersReused = MetricHandles { labels in
            Counter(
                label: "policyd_groups_answers_reused_total",
                dimensions: [("issuer", labels[0]), ("source", labels[1]), ("how", labels[2])], factory: factory)
        }
        keyFetches = MetricHandles { labels in
            Counter(label: labels[0], dimensions: [("issuer", labels[1])], factory: factory)
        }
        decisionTimers = Dictionary(uniqueKeysWithValues: PolicyType.allCases.map { type in
            (type, Timer(label: "policyd_decision_duration_seconds", dimensions: [("type", type.rawValue)], factory: factory))
        })
        tokenCacheHits = Counter(label: "policyd_token_cache_hits_total", factory: factory)
        tokenCacheMisses = Counter(label: "policyd_token_cache_misses_total", factory: factory)
        connectionsRefused = Counter(label: "policyd_connections_refused_total", factory: factory)
        policies = PolicySetMetrics(factory: factory, prefix: "policyd_")
        shadowPolicies = shadow ? PolicySetMetrics(factory: factory, prefix: "policyd_shadow_") : nil
        shadowDecisions = shadow
            ? MetricHandles { key in
                Counter(
                    label: "policyd_shadow_decisions_total",
                    dimensions: [("service", key.service), ("type", key.type.rawValue), ("outcome", key.outcome.rawValue)],
                    factory: factory)
            } : nil
        auditRecords = Counter(label: "policyd_audit_records_total", factory: factory)
        auditRecordsLost = Counter(label: "policyd_audit_records_lost_total", factory: factory)
    }

    /// One decision; `engineNanoseconds` is the policy engine's share, token checks excluded.
    func recordDecision(service: String, type: PolicyType, outcome: Outcome, engineNanoseconds: Int64?) {
        decisionCounters[DecisionKey(service: service, type: type, outcome: outcome)].increment()
        if let engineNanoseconds { decisionTimers[type]?.recordNanoseconds(engineNanoseconds) }
    }

    /// One decision made again against the candidate set; `service` is a policy's name (the
    /// placeholder `ShadowOutcome.noPolicyService` when neither set has one for the call).
    func recordShadowDecision(service: String, type: PolicyType, outcome: ShadowOutcome) {
        shadowDecisions?[ShadowDecisionKey(service: service, type: type, outcome: outcome)].increment()
    }

    func recordGroupSearch(_ outcome: GroupSearchOutcome) {
        groupSearches[outcome].increment()
    }

    /// One HTTP request, by the route pattern that answered it (never the raw path: its values are
    /// the callers' and would make one series each).
    func recordRequest(route: String, nanoseconds: Int64) {
        requestTimers[route].recordNanoseconds(nanoseconds)
    }

    /// One request to an issuer's introspection or userinfo endpoint.
    func recordGroupsLookup(issuer: String, source: GroupSource, outcome: GroupsLookupOutcome) {
        groupsLookups[[issuer, source.rawValue, outcome.rawValue]].increment()
    }

    /// A lookup that did not ask the issuer: an answer kept, or one already being asked for (`joined`).
    func recordGroupsAnswerReused(issuer: String, source: GroupSource, provenance: GroupLookupCoalescer.Provenance) {
        groupsAnswersReused[[issuer, source.rawValue, provenance.rawValue]].increment()
    }

    func recordKeyFetch(issuer: String, succeeded: Bool) {
        keyFetches[[succeeded ? "policyd_jwks_refreshes_total" : "policyd_jwks_refresh_failures_total", issuer]].increment()
    }
}
