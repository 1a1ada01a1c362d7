import NIOConcurrencyHelpers

/// Metric handles made once per label set and kept: making one through the factory on every
/// request would look up (and lock) the registry each time. Label values must come from a bounded
/// set (services, types, route patterns, issuers), never from what a caller sends.
final class MetricHandles<Key: Hashable & Sendable, Metric: Sendable>: Sendable {
    private let handles = NIOLockedValueBox<[Key: Metric]>([:])
    private let make: @Sendable (Key) -> Metric

    init(_ make: @escaping @Sendable (Key) -> Metric) {
        self.make = make
    }

    subscript(key: Key) -> Metric {
        handles.withLockedValue { handles in
            if let handle = handles[key] { return handle }
            let handle = make(key)
            handles[key] = handle
            return handle
        }
    }
}
