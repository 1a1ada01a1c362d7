import Foundation
import NIOConcurrencyHelpers
import PolicyCore
import PolicyTokens
import Testing

@testable import PolicyServer

/// The answer store behind introspection and userinfo: one request per token, however many ask at once.
@Suite struct GroupLookupCoalescerTests {
    final class Clock: Sendable {
        let time = NIOLockedValueBox(Date(timeIntervalSince1970: 1_000_000))
        var now: @Sendable () -> Date { { self.time.withLockedValue { $0 } } }
        func advance(_ seconds: TimeInterval) { time.withLockedValue { $0 += seconds } }
    }

    static func key(_ token: String) -> GroupLookupCoalescer.Key {
        GroupLookupCoalescer.Key(token: token, issuer: "https://iam.example", source: .introspection)
    }

    static let answer = GroupAnswer.claims(TokenClaims(["groups": .array([.string("g")])]))

    @Test func concurrentLookupsOfOneTokenAskOnce() async throws {
        let store = GroupLookupCoalescer(capacity: 10)
        let asked = NIOLockedValueBox(0)
        let joined = NIOLockedValueBox(0)
        let released = NIOLockedValueBox(false)
        let keepUntil: @Sendable (GroupAnswer) -> Date = { _ in Date().addingTimeInterval(60) }
        try await withThrowingTaskGroup(of: GroupLookupCoalescer.Lookup.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    await store.lookup(
                        Self.key("t"), keepUntil: keepUntil,
                        noting: { if $0 == .joined { joined.withLockedValue { $0 += 1 } } },
                        ask: {
                            asked.withLockedValue { $0 += 1 }
                            while !released.withLockedValue({ $0 }) { try? await Task.sleep(for: .milliseconds(1)) }
                            return .success(Self.answer)
                        })
                }
            }
            let deadline = Date().addingTimeInterval(30)
            while joined.withLockedValue({ $0 }) < 99, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(joined.withLockedValue { $0 } == 99, "all 100 wait before the first answer")
            released.withLockedValue { $0 = true }
            var provenances: [GroupLookupCoalescer.Provenance: Int] = [:]
            for try await lookup in group {
                if case .success = lookup.outcome {} else { Issue.record("a lookup failed") }
                provenances[lookup.provenance, default: 0] += 1
            }
            #expect(provenances == [.asked: 1, .joined: 99])
        }
        #expect(asked.withLockedValue { $0 } == 1)
        let later = await store.lookup(Self.key("t"), keepUntil: keepUntil) {
            asked.withLockedValue { $0 += 1 }
            return .success(Self.answer)
        }
        #expect(later.provenance == .cached)
        #expect(asked.withLockedValue { $0 } == 1)
    }

    @Test func failuresAreNotKept() async {
        let store = GroupLookupCoalescer(capacity: 10)
        let asked = NIOLockedValueBox(0)
        for _ in 0..<3 {
            let lookup = await store.lookup(Self.key("t"), keepUntil: { _ in Date().addingTimeInterval(60) }) {
                asked.withLockedValue { $0 += 1 }
                return .failure(.timedOut(.seconds(1)))
            }
            #expect(lookup.trustedUntil == nil)
            #expect(lookup.provenance == .asked)
        }
        #expect(asked.withLockedValue { $0 } == 3)
        #expect(store.count == 0)
    }

    @Test func answersAreKeptUntilTheirTimeAndNoMoreThanTheCapacity() async {
        let clock = Clock()
        let store = GroupLookupCoalescer(capacity: 2, now: clock.now)
        let asked = NIOLockedValueBox(0)
        @Sendable func lookup(_ token: String) async -> GroupLookupCoalescer.Lookup {
            await store.lookup(Self.key(token), keepUntil: { _ in clock.now().addingTimeInterval(60) }) {
                asked.withLockedValue { $0 += 1 }
                return .success(Self.answer)
            }
        }
        _ = await lookup("a")
        #expect(await lookup("a").provenance == .cached)
        clock.advance(61)
        #expect(await lookup("a").provenance == .asked)
        _ = await lookup("b")
        _ = await lookup("c")
        #expect(store.count == 2)
        #expect(await lookup("a").provenance == .asked, "the oldest went first")
        #expect(asked.withLockedValue { $0 } == 5)

        let off = GroupLookupCoalescer(capacity: 0, now: clock.now)
        for _ in 0..<2 {
            _ = await off.lookup(Self.key("a"), keepUntil: { _ in clock.now().addingTimeInterval(60) }) {
                asked.withLockedValue { $0 += 1 }
                return .success(Self.answer)
            }
        }
        #expect(asked.withLockedValue { $0 } == 7)
    }

    @Test func aLookupPastItsDeadlineReturnsAtTheDeadline() async {
        let finished = NIOLockedValueBox(false)
        let value = await Deadline.run(within: .milliseconds(100), otherwise: { "late" }) {
            // Ignores cancellation on purpose: the caller must not wait for it.
            let end = ContinuousClock.now + .seconds(300)
            while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(500)) }
            finished.withLockedValue { $0 = true }
            return "done"
        }
        #expect(value == "late")
        // The caller came back while the work still ran. Not timed: the deadline is a timer on the
        // concurrency pool, which the other suites keep busy on a 2-core machine (24 s late was seen).
        #expect(!finished.withLockedValue { $0 })
        #expect(await Deadline.run(within: .seconds(5), otherwise: { "late" }) { "done" } == "done")
    }
}
