import Foundation
import Testing

@testable import PolicyTokens

@Suite("Key store")
struct KeyStoreTests {
    let clock = TestClock()

    private func verifier(_ store: KeyStore) -> TokenVerifier {
        TokenVerifier(keys: store, now: clock.reading)
    }

    @Test func unknownKeyIDsRefreshAtMostOncePerInterval() async throws {
        let fetcher = FakeJWKSFetcher(document: TestKeys.issuerJWKS)
        let store = KeyStore(fetcher: fetcher, minimumRefreshInterval: 60, now: clock.reading)
        let verifier = verifier(store)

        #expect(
            try await verifier.verify(try await Tokens.development(), requirements: Tokens.requirements).get().subject
                == "alice")
        #expect(await fetcher.fetches == 1)

        clock.advance(by: 61)
        for kid in ["unknown-1", "unknown-2"] {
            let token = try await Tokens.development(header: ["alg": "RS256", "kid": kid])
            let result = await verifier.verify(token, requirements: Tokens.requirements)
            #expect(result.failure == .unknownKeyID(kid))
        }
        #expect(await fetcher.fetches == 2)

        clock.advance(by: 61)
        let token = try await Tokens.development(header: ["alg": "RS256", "kid": "unknown-3"])
        _ = await verifier.verify(token, requirements: Tokens.requirements)
        #expect(await fetcher.fetches == 3)
    }

    /// Keys are in hand (for `verifyNow`) once fetched, and until they are as old as a refetch on use
    /// would make them: never a key the waiting path would no longer trust.
    @Test func keysAreInHandWhileFresh() async throws {
        let fetcher = FakeJWKSFetcher(document: TestKeys.issuerJWKS)
        let store = KeyStore(fetcher: fetcher, minimumRefreshInterval: 60, maximumKeyAge: 600, now: clock.reading)
        #expect(store.keysInHand(forIssuer: Tokens.issuer) == nil, "nothing fetched yet")
        let token = try await Tokens.development()
        #expect(verifier(store).verifyNow(token, requirements: Tokens.requirements) == nil, "waits for the keys")
        _ = try await store.keys(forIssuer: Tokens.issuer)
        #expect(try verifier(store).verifyNow(token, requirements: Tokens.requirements)?.get().subject == "alice")
        clock.advance(by: 601)
        #expect(store.keysInHand(forIssuer: Tokens.issuer) == nil, "too old: the waiting path refetches")
        #expect(await fetcher.fetches == 1)
    }

    @Test func rotatedKeyIsPickedUpByRefresh() async throws {
        let fetcher = FakeJWKSFetcher(document: TestKeys.issuerJWKS)
        let store = KeyStore(fetcher: fetcher, minimumRefreshInterval: 60, now: clock.reading)
        _ = try await store.keys(forIssuer: Tokens.issuer)

        await fetcher.serve(TestKeys.jwks([TestKeys.rsaJWK(TestKeys.otherRSA, kid: "rotated")]))
        clock.advance(by: 61)
        let token = try Tokens.make(
            header: ["alg": "RS256", "kid": "rotated"], claims: Tokens.claims(),
            signer: try await Signers.rsa(TestKeys.otherRSA))
        let verified = try await verifier(store).verify(token, requirements: Tokens.requirements).get()
        #expect(verified.subject == "alice")
        #expect(await fetcher.fetches == 2)
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let fetcher = FakeJWKSFetcher(document: TestKeys.issuerJWKS, delay: .milliseconds(100))
        let store = KeyStore(fetcher: fetcher, now: clock.reading)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { try await store.keys(forIssuer: Tokens.issuer).contains(keyID: "dev") }
            }
            for try await found in group { #expect(found) }
        }
        #expect(await fetcher.fetches == 1)
    }

    @Test func cachedKeysServedWithoutFetching() async throws {
        let fetcher = FakeJWKSFetcher(document: TestKeys.issuerJWKS)
        let store = KeyStore(fetcher: fetcher, now: clock.reading)
        for _ in 0..<3 { _ = try await store.keys(forIssuer: Tokens.issuer) }
        #expect(await fetcher.fetches == 1)
    }

    @Test func oldKeysAreRefetched() async throws {
        let fetcher = FakeJWKSFetcher(document: TestKeys.issuerJWKS)
        let store = KeyStore(fetcher: fetcher, minimumRefreshInterval: 60, maximumKeyAge: 600, now: clock.reading)
        _ = try await store.keys(forIssuer: Tokens.issuer)
        await fetcher.serve(TestKeys.jwks([]))
        clock.advance(by: 601)
        #expect(try await store.keys(forIssuer: Tokens.issuer).keyIDs.isEmpty)
        #expect(await fetcher.fetches == 2)
    }

    @Test func staleKeysServedWhileIssuerIsUnreachable() async throws {
        let fetcher = FakeJWKSFetcher(document: TestKeys.issuerJWKS)
        let store = KeyStore(fetcher: fetcher, minimumRefreshInterval: 60, now: clock.reading)
        _ = try await store.keys(forIssuer: Tokens.issuer)
        await fetcher.serve(nil)
        clock.advance(by: 61)
        #expect(try await store.refreshedKeys(forIssuer: Tokens.issuer).contains(keyID: "dev"))
        #expect(await fetcher.fetches == 2)
    }

    @Test func failedFirstFetchIsThrottled() async throws {
        let fetcher = FakeJWKSFetcher(document: nil)
        let store = KeyStore(fetcher: fetcher, minimumRefreshInterval: 60, now: clock.reading)
        await #expect(throws: FakeJWKSFetcher.Unreachable.self) { try await store.keys(forIssuer: Tokens.issuer) }
        await #expect(throws: KeySetError.fetchThrottled(issuer: Tokens.issuer)) {
            try await store.keys(forIssuer: Tokens.issuer)
        }
        #expect(await fetcher.fetches == 1)

        await fetcher.serve(TestKeys.issuerJWKS)
        clock.advance(by: 61)
        #expect(try await store.keys(forIssuer: Tokens.issuer).contains(keyID: "dev"))
        let token = try await Tokens.development()
        #expect(await verifier(store).verify(token, requirements: Tokens.requirements).failure == nil)
    }

    @Test func invalidDocumentIsAFetchFailure() async throws {
        let fetcher = FakeJWKSFetcher(document: Data("<html>".utf8))
        let store = KeyStore(fetcher: fetcher, now: clock.reading)
        await #expect(throws: KeySetError.invalidKeySetDocument) { try await store.keys(forIssuer: Tokens.issuer) }
        let result = await verifier(store).verify(try await Tokens.development(), requirements: Tokens.requirements)
        #expect(result.failure?.code == .keysUnavailable)
    }

    @Test func issuersAreCachedSeparately() async throws {
        let fetcher = FakeJWKSFetcher(document: TestKeys.issuerJWKS)
        let store = KeyStore(fetcher: fetcher, now: clock.reading)
        _ = try await store.keys(forIssuer: "https://a.example")
        _ = try await store.keys(forIssuer: "https://b.example")
        _ = try await store.keys(forIssuer: "https://a.example")
        #expect(await fetcher.fetches == 2)
    }
}
