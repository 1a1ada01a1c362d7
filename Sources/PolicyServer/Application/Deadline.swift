import NIOConcurrencyHelpers

/// Runs work that talks to another server with a hard deadline. A task group would not do: it waits for
/// every child, so a request that ignored cancellation (or a response body still trickling in, which
/// AsyncHTTPClient's own deadline does not cover) would hold the caller past the deadline. Here the
/// caller resumes at the deadline whatever the work does; the work is cancelled and finishes on its own.
enum Deadline {
    static func run<Value: Sendable>(
        within timeout: Duration, otherwise fallback: @escaping @Sendable () -> Value,
        _ work: @escaping @Sendable () async -> Value
    ) async -> Value {
        let waiter = NIOLockedValueBox<CheckedContinuation<Value, Never>?>(nil)
        let workTask = NIOLockedValueBox<Task<Void, Never>?>(nil)
        return await withCheckedContinuation { continuation in
            waiter.withLockedValue { $0 = continuation }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled, let waiting = waiter.withLockedValue({ $0.take() }) else { return }
                workTask.withLockedValue { $0 }?.cancel()
                waiting.resume(returning: fallback())
            }
            let task = Task {
                let value = await work()
                guard let waiting = waiter.withLockedValue({ $0.take() }) else { return }
                timer.cancel()
                waiting.resume(returning: value)
            }
            workTask.withLockedValue { $0 = task }
        }
    }
}
