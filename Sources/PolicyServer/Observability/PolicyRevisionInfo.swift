import CoreMetrics
import NIOConcurrencyHelpers
import PolicyDigest

/// `policyd_policy_revision_info{revision="sha256:…"} 1`: the revision serving, as one series. A
/// load that changes it replaces the series, the old one removed before the new one is made: a
/// scrape in between sees none for that moment, never two revisions serving.
final class PolicyRevisionInfo: Sendable {
    private let factory: any MetricsFactory
    private let shown = NIOLockedValueBox<(revision: PolicyRevision, gauge: Gauge)?>(nil)

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Shows the revision `store` serves, read under this lock: of two reloads that end at once, the
    /// one shown last read the later set, which is the one serving.
    func show(servedBy store: PolicyStore) {
        shown.withLockedValue { shown in
            let revision = store.snapshot.revision
            guard shown?.revision != revision else { return }
            shown?.gauge.destroy()
            let gauge = Gauge(label: "policyd_policy_revision_info", dimensions: [("revision", revision.text)], factory: factory)
            gauge.record(1)
            shown = (revision, gauge)
        }
    }
}
