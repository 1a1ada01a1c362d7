import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import PolicyTokens

/// Issuers' OpenID configurations (OIDC Discovery 1.0), fetched once for everything policyd asks of an
/// issuer: its keys' `jwks_uri` (`HTTPJWKSFetcher`) and its groups' endpoints (`IssuerEndpoints`).
///
/// A document is kept for `keepFor` (the longest key refresh interval) and concurrent askers share one
/// fetch. A failed fetch is forgotten at once, and so is a document whose use failed (`forget`: a key
/// set gone from its `jwks_uri`), so that the next asker fetches the document again: an issuer that
/// moves its keys is followed at the next try, not after `keepFor`.
final class IssuerDiscovery: Sendable {
    /// Why there is no configuration; the description goes to `/health` and the log.
    struct Failure: Error, Sendable, CustomStringConvertible {
        let description: String
    }

    private struct Discovery {
        let task: Task<Result<OpenIDConfiguration, Failure>, Never>
        let started: Date
        let generation: UInt64
    }

    private struct State {
        var discoveries: [String: Discovery] = [:]
        var generations: UInt64 = 0
    }

    private let client: HTTPClient
    private let keepFor: TimeInterval
    private let timeout: Duration
    private let now: @Sendable () -> Date
    private let state = NIOLockedValueBox(State())

    init(client: HTTPClient, keepFor: TimeInterval, timeout: Duration, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.keepFor = keepFor
        self.timeout = timeout
        self.now = now
    }

    func configuration(of issuer: String) async -> Result<OpenIDConfiguration, Failure> {
        let now = now()
        let (task, generation) = state.withLockedValue { state in
            if let kept = state.discoveries[issuer], now.timeIntervalSince(kept.started) < keepFor {
                return (kept.task, kept.generation)
            }
            state.generations += 1
            let generation = state.generations
            let task = Task { await self.fetch(issuer) }
            state.discoveries[issuer] = Discovery(task: task, started: now, generation: generation)
            return (task, generation)
        }
        let result = await task.value
        if case .failure = result { forget(issuer, generation: generation) }
        return result
    }

    /// The issuer's document is fetched again by the next asker.
    func forget(_ issuer: String) {
        forget(issuer, generation: nil)
    }

    /// Only the fetch that failed is forgotten, not one a later asker has started since.
    private func forget(_ issuer: String, generation: UInt64?) {
        state.withLockedValue { state in
            if generation == nil || state.discoveries[issuer]?.generation == generation { state.discoveries[issuer] = nil }
        }
    }

    private func fetch(_ issuer: String) async -> Result<OpenIDConfiguration, Failure> {
        let text = OpenIDConfiguration.discoveryURL(forIssuer: issuer)
        do {
            let url = try IssuerURL.checked(text)
            let body = try await IssuerDocument.get(url, client: client, timeout: timeout).body
            guard let configuration = OpenIDConfiguration(json: body) else {
                return .failure(Failure(description: "\(text) is not an OpenID configuration with a jwks_uri"))
            }
            guard IssuerIdentifier.same(configuration.issuer, issuer) else {
                return .failure(Failure(description: "the discovery document names another issuer: \(configuration.issuer)"))
            }
            return .success(configuration)
        } catch {
            // `IssuerURL.Unusable` or `IssuerDocument.Failure`, each worded for the health report.
            return .failure(Failure(description: String(describing: error)))
        }
    }
}
