import CoreMetrics
import NIOConcurrencyHelpers
import PolicyDigest

/// `policyd_policy_revision_info{revision="sha256:…"} 1` (and `policyd_shadow_policy_revision_info`
/// for the candidate set): the revision serving, as one series. A load that changes it replaces the
/// series, the old one removed before the new one is made: a scrape in between sees none for that
/// moment, never two revisions serving.
final class PolicyRevisionInfo: Sendable {
    private let label: String
    private let factory: any MetricsFactory
    private let shown = NIOLockedValueBox<(revision: PolicyRevision, gauge: Gauge)?>(nil)

    init(label: String, factory: any MetricsFactory) {
        self.label = label
        self.factory = factory
    }

    /// Shows the revision `policies` serve, read under this lock: of two reloads that end at once, the
    /// one shown last read the later set, which is the one serving. None while a candidate set has
    /// never loaded.
    func show(servedBy policies: some ReloadablePolicies) {
        shown.withLockedValue { shown in
            guard let revision = policies.serving?.revision, shown?.revision != revision else { return }
            shown?.gauge.destroy()
            let gauge = Gauge(label: label, dimensions: [("revision", revision.text)], factory: factory)
            gauge.record(1)
            shown = (revision, gauge)
        }
    }
}
