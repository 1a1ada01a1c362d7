import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
@testable import PolicyServer
@testable import PolicyTokens

/// An `AuthorisationEndpoint` on the test policies and the development key, without a server: for the
/// channel handlers' tests over `NIOAsyncTestingChannel`. Tokens come from `TestKeys`; every issuer's
/// groups are in its tokens, so no issuer is ever asked.
struct InProcessAuthorisation {
    static let issuer = "https://issuer.test"

    let endpoint: AuthorisationEndpoint
    let paths = AuthorisationTarget.Paths(prefixes: ["/v1"])
    let observer: RequestObserver

    struct GroupsInTokens: GroupLookup {
        func source(for issuer: String) -> GroupSource { .jwt }
        func caller(
            for token: String, verified: VerifiedToken?, source: GroupSource, requirements: TokenRequirements,
            leeway: TimeInterval, groupsClaim: String
        ) async -> Result<AuthenticatedCaller, TokenRejection> {
            .failure(.keysUnavailable)
        }
    }

    /// Keys that are never in hand: every token's first call waits for its verification (and, with a
    /// gate, until the gate is open).
    struct WaitedForKeys: KeySetProvider {
        let keys: StaticKeySource
        var gate: Gate?
        func keys(forIssuer issuer: String) async throws -> IssuerKeys {
            await gate?.pass()
            return try await keys.keys(forIssuer: issuer)
        }
        func refreshedKeys(forIssuer issuer: String) async throws -> IssuerKeys { try await keys.refreshedKeys(forIssuer: issuer) }
    }

    /// Closed until opened: what a test does while a call's verification waits happens before it ends.
    final class Gate: Sendable {
        private let isOpen = NIOLockedValueBox(false)
        func open() { isOpen.withLockedValue { $0 = true } }
        func pass() async {
            while !isOpen.withLockedValue({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
        }
    }

    /// `keysInHand: false`: the issuer's keys must be waited for, as when they are fetched; `keysGate`:
    /// and not before it opens.
    static func run<Value>(
        keysInHand: Bool = true, keysGate: Gate? = nil, _ body: (InProcessAuthorisation) async throws -> Value
    ) async throws -> Value {
        let directory = try TestPolicies.directory(issuer: issuer)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let metrics = PolicydMetrics(factory: NOOPMetricsHandler.instance)
        let keys = try StaticKeySource(issuer: issuer, jwksJSON: TestKeys.developmentJWKS)
        let authenticator = TokenAuthenticator(
            verifier: TokenVerifier(keys: keysInHand && keysGate == nil ? keys : WaitedForKeys(keys: keys, gate: keysGate)),
            cache: CallerCache(capacity: 64), metrics: metrics, groups: GroupsInTokens())
        let authorisation = InProcessAuthorisation(
            endpoint: AuthorisationEndpoint(
                policies: try PolicyStore(directory: directory), authenticator: authenticator,
                limits: .init(maximumBodyBytes: 1024, maximumParameters: 64), metrics: metrics, audit: nil),
            observer: RequestObserver(metrics: metrics, requestIDs: RequestIDs()))
        return try await body(authorisation)
    }

    func token(groups: [String] = ["data/namespaces/testing/viewer"]) async throws -> String {
        try await TestKeys.mint(
            issuer: Self.issuer, audience: "data-management-api", groups: groups, scope: "data-management-api-service")
    }
}
