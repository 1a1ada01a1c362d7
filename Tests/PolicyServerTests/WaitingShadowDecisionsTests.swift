import Synchronization
@testable import PolicyServer
import Testing

/// What shutdown does with the shadow decisions still waiting: each call recorded once, with its
/// comparison when the decision ends in time, without it when it is given up.
@Suite struct WaitingShadowDecisionsTests {
    final class CountingRecorder: ShadowRecorder {
        let recorded = Mutex<[Bool]>([])
        func record(_ comparison: ShadowComparison?) { recorded.withLock { $0.append(comparison != nil) } }
    }

    static let comparison = ShadowComparison(outcome: .same, difference: nil, caller: nil)

    @Test func aDecisionGivenUpIsRecordedWithoutItsComparisonOnce() async {
        let waiting = WaitingShadowDecisions()
        let recorder = CountingRecorder()
        let id = waiting.hold(recorder)
        await waiting.finish(within: .milliseconds(30))
        #expect(recorder.recorded.withLock { $0 } == [false])
        // The decision ends later: its call is recorded already.
        #expect(waiting.take(id) == nil)
        #expect(waiting.count == 0)
    }

    /// The decision ends in the test's own flow, not in a task: under a full test run, CPU-bound
    /// suites held the concurrency pool's threads for seconds, and a decision in a task of its own
    /// was not run before a 10 s deadline (seen in CI).
    @Test func aDecisionEndingInTimeIsRecordedWithItsComparison() async {
        let waiting = WaitingShadowDecisions()
        let recorder = CountingRecorder()
        let id = waiting.hold(recorder)
        let finishing = Task { await waiting.finish(within: .seconds(120)) }
        // The decision ends, whether `finish` has begun to wait or not.
        waiting.take(id)?.record(Self.comparison)
        let started = ContinuousClock.now
        await finishing.value
        #expect(recorder.recorded.withLock { $0 } == [true])
        // Returned because none was waiting, not at its deadline.
        #expect(ContinuousClock.now - started < .seconds(100))
    }
}
