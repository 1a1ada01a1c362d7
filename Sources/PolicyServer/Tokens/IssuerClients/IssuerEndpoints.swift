import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import PolicyTokens

/// The introspection and userinfo endpoints of the issuers whose groups are asked for: configured
/// (`--introspection-url`, `--userinfo-url`), or found by OIDC discovery. A discovered document is kept
/// for the longest key refresh interval, and concurrent lookups share one discovery; a failed one is
/// forgotten at once, so the next lookup tries again.
///
/// Endpoints obey the rule keys obey (`KeyFetchURL`): HTTPS, or plain HTTP to loopback only. The client
/// secret travels to the introspection endpoint and the caller's token to both.
final class IssuerEndpoints: Sendable {
    private struct Discovery {
        let task: Task<Result<OpenIDConfiguration, GroupLookupFailure>, Never>
        let started: Date
        let generation: UInt64
    }

    private struct State {
        var discoveries: [String: Discovery] = [:]
        var generations: UInt64 = 0
    }

    private let client: HTTPClient
    private let configured: [GroupSource: [String: String]]
    private let keepFor: TimeInterval
    /// For the discovery request alone; each lookup has its own, shorter deadline on top.
    private let fetchTimeout: Duration
    private let now: @Sendable () -> Date
    private let state = NIOLockedValueBox(State())

    init(
        client: HTTPClient, introspectionURLs: [String: String], userinfoURLs: [String: String],
        keepFor: TimeInterval, fetchTimeout: Duration, now: @escaping @Sendable () -> Date
    ) {
        self.fetchTimeout = fetchTimeout
        self.client = client
        configured = [.introspection: introspectionURLs, .userinfo: userinfoURLs]
        self.keepFor = keepFor
        self.now = now
    }

    /// Where `source` is asked for `issuer`'s tokens: the configured URL when there is one.
    func configuredURL(_ source: GroupSource, of issuer: String) -> String? {
        configured[source]?[issuer]
    }

    func endpoint(_ source: GroupSource, of issuer: String) async -> Result<URL, GroupLookupFailure> {
        if let url = configuredURL(source, of: issuer) { return Self.checked(url) }
        let configuration: OpenIDConfiguration
        switch await discovery(of: issuer) {
        case .failure(let failure): return .failure(failure)
        case .success(let document): configuration = document
        }
        let member = source == .introspection ? configuration.introspectionEndpoint : configuration.userinfoEndpoint
        guard let url = member else {
            let name = source == .introspection ? "introspection_endpoint" : "userinfo_endpoint"
            return .failure(.discovery("the discovery document of \(issuer) has no \(name)"))
        }
        return Self.checked(url)
    }

    private static func checked(_ url: String) -> Result<URL, GroupLookupFailure> {
        do {
            return .success(try KeyFetchURL.checked(url))
        } catch {
            if case .unusableURL(let text, let why) = error { return .failure(.unusableURL(text, why)) }
            return .failure(.unusableURL(url, error.description))
        }
    }

    private func discovery(of issuer: String) async -> Result<OpenIDConfiguration, GroupLookupFailure> {
        let now = now()
        let (task, generation) = state.withLockedValue { state in
            if let kept = state.discoveries[issuer], now.timeIntervalSince(kept.started) < keepFor {
                return (kept.task, kept.generation)
            }
            state.generations += 1
            let generation = state.generations
            let task = Task { await self.fetchConfiguration(of: issuer) }
            state.discoveries[issuer] = Discovery(task: task, started: now, generation: generation)
            return (task, generation)
        }
        let result = await task.value
        if case .failure = result {
            state.withLockedValue { state in
                if state.discoveries[issuer]?.generation == generation { state.discoveries[issuer] = nil }
            }
        }
        return result
    }

    private func fetchConfiguration(of issuer: String) async -> Result<OpenIDConfiguration, GroupLookupFailure> {
        let text = OpenIDConfiguration.discoveryURL(forIssuer: issuer)
        let url: URL
        switch Self.checked(text) {
        case .failure(let failure): return .failure(failure)
        case .success(let checked): url = checked
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Accept", value: "application/json")
        let body: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: TimeAmount(fetchTimeout))
            guard response.status == .ok else {
                return .failure(.discovery("HTTP \(response.status.code) from \(text)"))
            }
            body = try await response.body.collect(upTo: HTTPJWKSFetcher.maximumDocumentBytes)
        } catch {
            return .failure(.discovery("fetching \(text) failed: \(error)"))
        }
        guard let configuration = try? OpenIDConfiguration(json: Data(body.readableBytesView), from: text) else {
            return .failure(.discovery("\(text) is not an OpenID configuration"))
        }
        guard IssuerIdentifier.same(configuration.issuer, issuer) else {
            return .failure(.discovery("the discovery document of \(issuer) names another issuer"))
        }
        return .success(configuration)
    }
}
