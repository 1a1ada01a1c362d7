import Synchronization

/// The shadow decisions still waiting for a token check of their own (keys to fetch, an issuer to
/// ask), each with the recorder of its call, which writes the call's audit record once the
/// comparison is known. At shutdown (`AuditFlushService`) they are given until a deadline to end;
/// the calls of those that have not are recorded without a comparison (the live record, no
/// `shadow` member), so that no call's audit record is lost to a shadow decision.
final class WaitingShadowDecisions: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        var waiting: [UInt64: any ShadowRecorder] = [:]
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.waiting.count } }

    /// Holds `recorder` until its decision ends (`take`) or shutdown records it (`finish`).
    func hold(_ recorder: any ShadowRecorder) -> UInt64 {
        state.withLock { state in
            state.nextID += 1
            state.waiting[state.nextID] = recorder
            return state.nextID
        }
    }

    /// The recorder held under `id`; nil when shutdown has recorded its call already.
    func take(_ id: UInt64) -> (any ShadowRecorder)? {
        state.withLock { $0.waiting.removeValue(forKey: id) }
    }

    /// Waits until none is waiting or `timeout` has passed, then records each call still waiting
    /// without its comparison.
    func finish(within timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while count > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let abandoned = state.withLock { state in
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for recorder in abandoned { recorder.record(nil) }
    }
}
