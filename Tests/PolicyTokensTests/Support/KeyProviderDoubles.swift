import Foundation
import Testing

@testable import PolicyTokens

/// Wraps a provider and counts how often keys were asked for.
actor CountingKeyProvider: KeySetProvider {
    private let inner: any KeySetProvider
    private(set) var lookups = 0
    private(set) var refreshes = 0

    init(_ inner: any KeySetProvider) {
        self.inner = inner
    }

    func keys(forIssuer issuer: String) async throws -> IssuerKeys {
        lookups += 1
        return try await inner.keys(forIssuer: issuer)
    }

    func refreshedKeys(forIssuer issuer: String) async throws -> IssuerKeys {
        refreshes += 1
        return try await inner.refreshedKeys(forIssuer: issuer)
    }
}

/// Serves whatever JWKS the test sets, counting fetches.
actor FakeJWKSFetcher: JWKSFetcher {
    struct Unreachable: Error {}

    private var document: Data?
    private let delay: Duration
    private(set) var fetches = 0

    init(document: Data?, delay: Duration = .zero) {
        self.document = document
        self.delay = delay
    }

    func serve(_ document: Data?) {
        self.document = document
    }

    func fetchJWKS(forIssuer issuer: String) async throws -> Data {
        fetches += 1
        if delay > .zero { try await Task.sleep(for: delay) }
        guard let document else { throw Unreachable() }
        return document
    }
}

/// A verifier over the standard test issuer key set, with a counting provider and a fixed clock.
struct VerifierHarness {
    let provider: CountingKeyProvider
    let verifier: TokenVerifier
    /// The same keys in hand (`StaticKeySource` has them), for `verifyNow`.
    let verifierWithKeysInHand: TokenVerifier

    init(jwks: Data = TestKeys.issuerJWKS, clock: TestClock = TestClock(), maximumTokenBytes: Int = 16 * 1024) throws {
        let keys = try StaticKeySource(issuer: Tokens.issuer, jwksJSON: jwks)
        provider = CountingKeyProvider(keys)
        verifier = TokenVerifier(keys: provider, maximumTokenBytes: maximumTokenBytes, now: clock.reading)
        verifierWithKeysInHand = TokenVerifier(keys: keys, maximumTokenBytes: maximumTokenBytes, now: clock.reading)
    }

    /// `verify`'s result; every case is also verified at once with the keys in hand, which must give
    /// the same result, or nil for a key id the keys lack (left to `verify`, which refreshes them).
    func verify(_ token: String, _ requirements: TokenRequirements = Tokens.requirements, sourceLocation: SourceLocation = #_sourceLocation) async
        -> Result<VerifiedToken, TokenRejection>
    {
        let result = await verifier.verify(token, requirements: requirements)
        let now = verifierWithKeysInHand.verifyNow(token, requirements: requirements)
        if case .failure(let rejection) = result, rejection.code == .unknownKeyID {
            #expect(now == nil, "an unknown key id waits for a refresh", sourceLocation: sourceLocation)
        } else {
            #expect(now.map { "\($0)" } == "\(result)", "verifyNow agrees with verify", sourceLocation: sourceLocation)
        }
        return result
    }

    func rejection(_ token: String, _ requirements: TokenRequirements = Tokens.requirements) async -> TokenRejection? {
        if case .failure(let rejection) = await verify(token, requirements) { rejection } else { nil }
    }
}
