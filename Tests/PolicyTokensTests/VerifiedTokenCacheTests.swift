import Foundation
import Testing

@testable import PolicyTokens

@Suite("Verified token cache")
struct VerifiedTokenCacheTests {
    let clock = TestClock()

    private func verified(expiresIn seconds: TimeInterval, subject: String = "alice") -> VerifiedToken {
        VerifiedToken(
            subject: subject, issuer: Tokens.issuer, audiences: [Tokens.audience], groups: ["/atlas"], scopes: [],
            expiresAt: clock.now.addingTimeInterval(seconds))
    }

    @Test func hitReturnsTheSameResult() async throws {
        let harness = try VerifierHarness(clock: clock)
        let cache = VerifiedTokenCache(capacity: 10, now: clock.reading)
        let token = try await Tokens.development()
        let result = try await harness.verify(token).get()

        await cache.insert(result, for: token, requirements: Tokens.requirements)
        #expect(await cache.token(for: token, requirements: Tokens.requirements) == result)
    }

    @Test func keyedByRequirementsToo() async {
        let cache = VerifiedTokenCache(capacity: 10, now: clock.reading)
        await cache.insert(verified(expiresIn: 60), for: "t", requirements: Tokens.requirements)
        let scoped = TokenRequirements(issuer: Tokens.issuer, audience: Tokens.audience, scope: "write")
        #expect(await cache.token(for: "t", requirements: scoped) == nil)
        #expect(await cache.token(for: "u", requirements: Tokens.requirements) == nil)
    }

    @Test func expiredEntryIsNotReturned() async {
        let cache = VerifiedTokenCache(capacity: 10, now: clock.reading)
        await cache.insert(verified(expiresIn: 60), for: "t", requirements: Tokens.requirements)
        clock.advance(by: 59)
        #expect(await cache.token(for: "t", requirements: Tokens.requirements) != nil)
        clock.advance(by: 1)
        #expect(await cache.token(for: "t", requirements: Tokens.requirements) == nil)
        #expect(await cache.count == 0)
    }

    @Test func tokensWithoutExpiryOrAlreadyExpiredAreNotCached() async {
        let cache = VerifiedTokenCache(capacity: 10, now: clock.reading)
        var noExpiry = verified(expiresIn: 60)
        noExpiry.expiresAt = nil
        await cache.insert(noExpiry, for: "a", requirements: Tokens.requirements)
        await cache.insert(verified(expiresIn: -1), for: "b", requirements: Tokens.requirements)
        #expect(await cache.count == 0)
    }

    @Test func capacityEvictsOldestWhenNothingExpired() async {
        let cache = VerifiedTokenCache(capacity: 2, now: clock.reading)
        for (index, token) in ["a", "b", "c"].enumerated() {
            await cache.insert(
                verified(expiresIn: 600, subject: "\(index)"), for: token, requirements: Tokens.requirements)
        }
        #expect(await cache.count == 2)
        #expect(await cache.token(for: "a", requirements: Tokens.requirements) == nil)
        #expect(await cache.token(for: "b", requirements: Tokens.requirements)?.subject == "1")
        #expect(await cache.token(for: "c", requirements: Tokens.requirements)?.subject == "2")
    }

    @Test func capacityEvictsExpiredBeforeOldest() async {
        let cache = VerifiedTokenCache(capacity: 2, now: clock.reading)
        await cache.insert(verified(expiresIn: 600), for: "old-but-valid", requirements: Tokens.requirements)
        await cache.insert(verified(expiresIn: 10), for: "short-lived", requirements: Tokens.requirements)
        clock.advance(by: 11)
        await cache.insert(verified(expiresIn: 600), for: "new", requirements: Tokens.requirements)
        #expect(await cache.count == 2)
        #expect(await cache.token(for: "old-but-valid", requirements: Tokens.requirements) != nil)
        #expect(await cache.token(for: "new", requirements: Tokens.requirements) != nil)
    }

    @Test func reinsertingDoesNotEvict() async {
        let cache = VerifiedTokenCache(capacity: 2, now: clock.reading)
        await cache.insert(verified(expiresIn: 600), for: "a", requirements: Tokens.requirements)
        await cache.insert(verified(expiresIn: 600), for: "b", requirements: Tokens.requirements)
        await cache.insert(verified(expiresIn: 600), for: "b", requirements: Tokens.requirements)
        #expect(await cache.token(for: "a", requirements: Tokens.requirements) != nil)
    }
}
