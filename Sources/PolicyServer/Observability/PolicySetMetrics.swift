import CoreMetrics

/// The metrics of one loaded policy set: the live one (`policyd_policy_reloads_total`, …) and the
/// candidate of `--shadow-policies` (`policyd_shadow_policy_reloads_total`, …), each under its own
/// names so that neither set's series change meaning when the other is added.
final class PolicySetMetrics: Sendable {
    let reloads: Counter
    let reloadFailures: Counter
    let loaded: Gauge
    let revision: PolicyRevisionInfo

    /// `prefix`: `policyd_` for the live set, `policyd_shadow_` for the candidate.
    init(factory: any MetricsFactory, prefix: String) {
        reloads = Counter(label: prefix + "policy_reloads_total", factory: factory)
        reloadFailures = Counter(label: prefix + "policy_reload_failures_total", factory: factory)
        loaded = Gauge(label: prefix + "policies_loaded", factory: factory)
        revision = PolicyRevisionInfo(label: prefix + "policy_revision_info", factory: factory)
    }
}
