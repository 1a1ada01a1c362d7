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

    @Test func aDecisionEndingInTimeIsRecordedWithItsComparison() async {
        let waiting = WaitingShadowDecisions()
        let recorder = CountingRecorder()
        let id = waiting.hold(recorder)
        let decision = Task {
            try? await Task.sleep(for: .milliseconds(20))
            waiting.take(id)?.record(Self.comparison)
        }
        let started = ContinuousClock.now
        await waiting.finish(within: .seconds(10))
        await decision.value
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(recorder.recorded.withLock { $0 } == [true])
    }
}
