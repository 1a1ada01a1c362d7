import Dispatch

/// Runs async work from a synchronous command and waits for it. Needed because ArgumentParser runs an
/// async `run()` only under an async root command, and policyc's root is synchronous, while minting is
/// async (jwt-kit hands out signers through an actor). The waiting thread is the main thread, never
/// one of the task pool's, so the work cannot be starved by the wait.
func waitFor<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) throws -> Value {
    let outcome = Outcome<Value>()
    let finished = DispatchSemaphore(value: 0)
    Task {
        do {
            outcome.result = .success(try await operation())
        } catch {
            outcome.result = .failure(error)
        }
        finished.signal()
    }
    finished.wait()
    return try outcome.result!.get()
}

/// Written by the task before it signals and read by the waiter after, so the semaphore orders the accesses.
private final class Outcome<Value: Sendable>: @unchecked Sendable {
    var result: Result<Value, any Error>?
}
