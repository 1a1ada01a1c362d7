import AsyncHTTPClient
import Foundation
import Logging
import Metrics
@testable import PolicyServer
import PolicyTokens

/// An `AuthorisationEndpoint` on the test policies and the development key, without a server: for the
/// channel handlers' tests over `NIOAsyncTestingChannel`. Tokens come from `TestKeys`; every issuer's
/// groups are in its tokens, so the issuer client is never called (it is shut down by `run`).
struct InProcessAuthorisation {
    static let issuer = "https://issuer.test"

    let endpoint: AuthorisationEndpoint
    let paths = AuthorisationTarget.Paths(prefixes: ["/v1"])
    let observer: RequestObserver

    /// Keys that are never in hand: every token's first call waits for its verification.
    struct WaitedForKeys: KeySetProvider {
        let keys: StaticKeySource
        func keys(forIssuer issuer: String) async throws -> IssuerKeys { try await keys.keys(forIssuer: issuer) }
        func refreshedKeys(forIssuer issuer: String) async throws -> IssuerKeys { try await keys.refreshedKeys(forIssuer: issuer) }
    }

    /// `keysInHand: false`: the issuer's keys must be waited for, as when they are fetched.
    static func run<Value>(keysInHand: Bool = true, _ body: (InProcessAuthorisation) async throws -> Value) async throws -> Value {
        let directory = try TestPolicies.directory(issuer: issuer)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let metrics = PolicydMetrics(factory: NOOPMetricsHandler.instance)
        let endpoints = IssuerEndpoints(
            client: client, introspectionURLs: [:], userinfoURLs: [:], keepFor: 60, fetchTimeout: .seconds(1), now: Date.init)
        let groups = GroupResolver(
            sources: [:],
            introspection: IntrospectionClient(client: client, endpoints: endpoints, credentials: nil, timeout: .seconds(1)),
            userinfo: UserinfoClient(client: client, endpoints: endpoints, timeout: .seconds(1)),
            answers: GroupLookupCoalescer(capacity: 16), board: GroupLookupStatusBoard(), metrics: metrics,
            logger: Logger(label: "test"), timeout: .seconds(1), answerLifetime: 60, now: Date.init)
        let keys = try StaticKeySource(issuer: issuer, jwksJSON: TestKeys.developmentJWKS)
        let authenticator = TokenAuthenticator(
            verifier: TokenVerifier(keys: keysInHand ? keys : WaitedForKeys(keys: keys)),
            cache: CallerCache(capacity: 64), metrics: metrics, groups: groups)
        let authorisation = InProcessAuthorisation(
            endpoint: AuthorisationEndpoint(
                policies: try PolicyStore(directory: directory), authenticator: authenticator,
                limits: .init(maximumBodyBytes: 1024, maximumParameters: 64), metrics: metrics, audit: nil),
            observer: RequestObserver(metrics: metrics, requestIDs: RequestIDs()))
        do {
            let value = try await body(authorisation)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func token(groups: [String] = ["data/namespaces/testing/viewer"]) async throws -> String {
        try await TestKeys.mint(
            issuer: Self.issuer, audience: "data-management-api", groups: groups, scope: "data-management-api-service")
    }
}
