import AsyncHTTPClient
import Foundation
import Metrics
@testable import PolicyServer
import Testing

/// An issuer's OpenID configuration is fetched once for its keys and its groups' endpoints
/// (`IssuerDiscovery`), and read again when what it pointed to failed. Over loopback: the discovery
/// fetch is the subject.
@Suite struct IssuerDiscoveryTests {
    static func withClient<Value>(_ body: (HTTPClient) async throws -> Value) async throws -> Value {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            let value = try await body(client)
            try await client.shutdown()
            return value
        } catch {
            try await client.shutdown()
            throw error
        }
    }

    static func parts(_ client: HTTPClient) -> (IssuerDiscovery, HTTPJWKSFetcher, IssuerEndpoints) {
        let discovery = IssuerDiscovery(client: client, keepFor: 3600, timeout: .seconds(30), now: Date.init)
        let fetcher = HTTPJWKSFetcher(
            client: client, configuredURLs: [:], discovery: discovery, board: IssuerKeyStatusBoard(),
            metrics: PolicydMetrics(factory: NOOPMetricsHandler.instance), timeout: .seconds(30), now: Date.init)
        let endpoints = IssuerEndpoints(discovery: discovery, introspectionURLs: [:], userinfoURLs: [:])
        return (discovery, fetcher, endpoints)
    }

    @Test func keysAndGroupsEndpointsShareOneDiscovery() async throws {
        let issuer = TestIssuer()
        try await issuer.serve { url in
            try await Self.withClient { client in
                let (_, fetcher, endpoints) = Self.parts(client)
                _ = try await fetcher.fetchJWKS(forIssuer: url)
                _ = try await fetcher.fetchJWKS(forIssuer: url)
                let introspection = try await endpoints.endpoint(.introspection, of: url).get()
                let userinfo = try await endpoints.endpoint(.userinfo, of: url).get()
                #expect(introspection.absoluteString == url + "/introspect")
                #expect(userinfo.absoluteString == url + "/userinfo")
                #expect(issuer.jwksFetches == 2)
                #expect(issuer.discoveryFetches == 1)
            }
        }
    }

    /// A key set gone from its `jwks_uri` may have moved: the next fetch reads the document again.
    @Test func aFailedKeyFetchReadsTheDocumentAgain() async throws {
        let issuer = TestIssuer(failsJWKS: true)
        try await issuer.serve { url in
            try await Self.withClient { client in
                let (discovery, fetcher, _) = Self.parts(client)
                await #expect(throws: KeyFetchError.self) { try await fetcher.fetchJWKS(forIssuer: url) }
                issuer.failJWKS(false)
                _ = try await fetcher.fetchJWKS(forIssuer: url)
                #expect(issuer.discoveryFetches == 2)
                _ = try await discovery.configuration(of: url).get()
                #expect(issuer.discoveryFetches == 2)
            }
        }
    }

    /// A document that could not be had is not kept: the next asker tries again.
    @Test func aFailedDiscoveryIsNotKept() async throws {
        let issuer = TestIssuer(servesDiscovery: false)
        try await issuer.serve { url in
            try await Self.withClient { client in
                let (discovery, _, endpoints) = Self.parts(client)
                guard case .failure(let failure) = await discovery.configuration(of: url) else {
                    Issue.record("a discovery document was found")
                    return
                }
                #expect(failure.description == "HTTP 404 from \(url)/.well-known/openid-configuration")
                guard case .failure(.discovery(let why)) = await endpoints.endpoint(.introspection, of: url) else {
                    Issue.record("an endpoint was found")
                    return
                }
                #expect(why == failure.description)
                #expect(issuer.discoveryFetches == 2)
            }
        }
    }
}
