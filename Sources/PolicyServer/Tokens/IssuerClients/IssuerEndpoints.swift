import Foundation

/// The introspection and userinfo endpoints of the issuers whose groups are asked for: configured
/// (`--introspection-url`, `--userinfo-url`), or read from the issuer's OpenID configuration
/// (`IssuerDiscovery`, the one discovery the issuer's keys are found by too).
///
/// Endpoints obey the rule keys obey (`IssuerURL`): HTTPS, or plain HTTP to loopback only. The client
/// secret travels to the introspection endpoint and the caller's token to both.
struct IssuerEndpoints: Sendable {
    private let discovery: IssuerDiscovery
    private let configured: [GroupSource: [String: String]]

    init(discovery: IssuerDiscovery, introspectionURLs: [String: String], userinfoURLs: [String: String]) {
        self.discovery = discovery
        configured = [.introspection: introspectionURLs, .userinfo: userinfoURLs]
    }

    /// Where `source` is asked for `issuer`'s tokens: the configured URL when there is one.
    func configuredURL(_ source: GroupSource, of issuer: String) -> String? {
        configured[source]?[issuer]
    }

    func endpoint(_ source: GroupSource, of issuer: String) async -> Result<URL, GroupLookupFailure> {
        if let url = configuredURL(source, of: issuer) { return Self.checked(url) }
        let configuration: OpenIDConfiguration
        switch await discovery.configuration(of: issuer) {
        case .failure(let failure): return .failure(.discovery(failure.description))
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
            return .success(try IssuerURL.checked(url))
        } catch {
            return .failure(.unusableURL(error.text, error.why))
        }
    }
}
