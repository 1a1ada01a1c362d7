import Foundation

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

    init(jwks: Data = TestKeys.issuerJWKS, clock: TestClock = TestClock(), maximumTokenBytes: Int = 16 * 1024) throws {
        provider = CountingKeyProvider(try StaticKeySource(issuer: Tokens.issuer, jwksJSON: jwks))
        verifier = TokenVerifier(keys: provider, maximumTokenBytes: maximumTokenBytes, now: clock.reading)
    }

    func verify(_ token: String, _ requirements: TokenRequirements = Tokens.requirements) async
        -> Result<VerifiedToken, TokenRejection>
    {
        await verifier.verify(token, requirements: requirements)
    }

    func rejection(_ token: String, _ requirements: TokenRequirements = Tokens.requirements) async -> TokenRejection? {
        if case .failure(let rejection) = await verify(token, requirements) { rejection } else { nil }
    }
}
