import Foundation
import NIOConcurrencyHelpers
import PolicyCore
import PolicyTokens
import Testing

@testable import PolicyServer

@Suite struct CallerCacheTests {
    final class Clock: Sendable {
        let time = NIOLockedValueBox(Date(timeIntervalSince1970: 1_000_000))
        var now: @Sendable () -> Date { { self.time.withLockedValue { $0 } } }
        func advance(_ seconds: TimeInterval) { time.withLockedValue { $0 += seconds } }
    }

    let requirements = TokenRequirements(issuer: "https://iam.example", audience: "api")

    func caller(expiringIn seconds: TimeInterval, clock: Clock) -> AuthenticatedCaller {
        AuthenticatedCaller(groups: CallerGroups(["g"]), expiresAt: clock.now().addingTimeInterval(seconds))
    }

    @Test func entriesLiveUntilTheTokenExpires() {
        let clock = Clock()
        let cache = CallerCache(capacity: 10, now: clock.now)
        let key = CallerCache.Key(token: "t1", requirements: requirements)
        cache.insert(caller(expiringIn: 60, clock: clock), for: key)
        #expect(cache.caller(for: key) != nil)
        clock.advance(61)
        #expect(cache.caller(for: key) == nil)
        #expect(cache.statistics == .init(entries: 0, hits: 1, misses: 1))
    }

    @Test func keysIncludeTheRequirements() {
        let clock = Clock()
        let cache = CallerCache(capacity: 10, now: clock.now)
        cache.insert(caller(expiringIn: 60, clock: clock), for: .init(token: "t1", requirements: requirements))
        var other = requirements
        other.scope = "admin"
        #expect(cache.caller(for: .init(token: "t1", requirements: other)) == nil)
        #expect(cache.caller(for: .init(token: "t2", requirements: requirements)) == nil)
        // Canonically equivalent, differently encoded: another audience (spec 2.5), another entry.
        let nfd = TokenRequirements(issuer: "https://iam.example", audience: "cafe\u{301}")
        cache.insert(caller(expiringIn: 60, clock: clock), for: .init(token: "t3", requirements: nfd))
        let nfc = TokenRequirements(issuer: "https://iam.example", audience: "caf\u{E9}")
        #expect(nfc != nfd)
        #expect(cache.caller(for: .init(token: "t3", requirements: nfc)) == nil)
    }

    @Test func theOldestEntryGoesWhenFull() {
        let clock = Clock()
        let cache = CallerCache(capacity: 3, now: clock.now)
        let keys = (0..<5).map { CallerCache.Key(token: "t\($0)", requirements: requirements) }
        for key in keys {
            cache.insert(caller(expiringIn: 60, clock: clock), for: key)
            clock.advance(1)
        }
        #expect(cache.statistics.entries == 3)
        #expect(cache.caller(for: keys[0]) == nil)
        #expect(cache.caller(for: keys[1]) == nil)
        #expect(cache.caller(for: keys[4]) != nil)
    }

    /// A full cache made room by scanning every entry for expired ones: each new token cost a pass
    /// over ten thousand. Now each costs about one step, however full the cache is.
    @Test func makingRoomCostsAboutOneStepPerInsertion() {
        let clock = Clock()
        let cache = CallerCache(capacity: 1_000, now: clock.now)
        let caller = caller(expiringIn: 600, clock: clock)
        for index in 0..<3_000 {
            cache.insert(caller, for: .init(token: "t\(index)", requirements: requirements))
        }
        #expect(cache.statistics.entries == 1_000)
        #expect(cache.evictionSteps == 2_000)
    }

    /// The price of constant-time eviction: the oldest goes, even when a newer entry has expired (that one
    /// is dropped when next asked for, or when its own turn comes).
    @Test func theOldestGoesEvenBeforeAnExpiredOne() {
        let clock = Clock()
        let cache = CallerCache(capacity: 2, now: clock.now)
        let longLived = CallerCache.Key(token: "long", requirements: requirements)
        let short = CallerCache.Key(token: "short", requirements: requirements)
        cache.insert(caller(expiringIn: 600, clock: clock), for: longLived)
        cache.insert(caller(expiringIn: 5, clock: clock), for: short)
        clock.advance(10)
        cache.insert(caller(expiringIn: 60, clock: clock), for: .init(token: "new", requirements: requirements))
        #expect(cache.caller(for: longLived) == nil)
        #expect(cache.caller(for: short) == nil, "expired")
    }

    @Test func callersOfAnIssuerWhoseKeysChangedAreDropped() {
        let clock = Clock()
        let cache = CallerCache(capacity: 10, now: clock.now)
        let other = TokenRequirements(issuer: "https://other.example", audience: "api")
        cache.insert(caller(expiringIn: 60, clock: clock), for: .init(token: "a", requirements: requirements))
        cache.insert(caller(expiringIn: 60, clock: clock), for: .init(token: "b", requirements: other))
        #expect(cache.removeCallers(ofIssuer: "https://iam.example") == 1)
        #expect(cache.caller(for: .init(token: "a", requirements: requirements)) == nil)
        #expect(cache.caller(for: .init(token: "b", requirements: other)) != nil)
    }

    @Test func aZeroCapacityCachesNothing() {
        let clock = Clock()
        let cache = CallerCache(capacity: 0, now: clock.now)
        let key = CallerCache.Key(token: "t", requirements: requirements)
        cache.insert(caller(expiringIn: 60, clock: clock), for: key)
        #expect(cache.caller(for: key) == nil)
    }

    /// A few tokens verified again and again, in a cache that never fills: the insertion-order queue
    /// must not grow with every insertion (it did, before the cache shared `ExpiringStore`).
    @Test func reinsertingFewKeysKeepsTheOrderQueueBounded() {
        let clock = Clock()
        let cache = CallerCache(capacity: 10_000, now: clock.now)
        let keys = (0..<3).map { CallerCache.Key(token: "t\($0)", requirements: requirements) }
        for round in 0..<100_000 {
            cache.insert(caller(expiringIn: 60, clock: clock), for: keys[round % keys.count])
        }
        #expect(cache.statistics.entries == 3)
        #expect(cache.queuedCount <= 2 * 10_000 + 1)
        #expect(keys.allSatisfy { cache.caller(for: $0) != nil })
    }
}
