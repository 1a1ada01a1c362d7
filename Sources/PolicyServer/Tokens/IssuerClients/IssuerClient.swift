import Foundation
import PolicyTokens

/// Asks an issuer about a token, for its groups: the seam between group lookups (`GroupResolver`:
/// coalescing, deadline, metrics, the answer's check) and the network. policyd's is
/// `HTTPIssuerClient`; tests give `GroupResolver` one that answers from memory.
protocol IssuerClient: Sendable {
    func answer(about token: String, issuer: String, source: GroupSource) async -> Result<GroupAnswer, GroupLookupFailure>
}

/// Over HTTP, to the issuer's introspection or userinfo endpoint, as the issuer's groups source says:
/// configured, or found by discovery (`IssuerEndpoints`).
struct HTTPIssuerClient: IssuerClient {
    let endpoints: IssuerEndpoints
    let introspection: IntrospectionClient
    let userinfo: UserinfoClient

    func answer(about token: String, issuer: String, source: GroupSource) async -> Result<GroupAnswer, GroupLookupFailure> {
        guard source != .jwt else { return .failure(.discovery("groups come from the token for \(issuer)")) }
        let url: URL
        switch await endpoints.endpoint(source, of: issuer) {
        case .failure(let failure): return .failure(failure)
        case .success(let endpoint): url = endpoint
        }
        return source == .introspection
            ? await introspection.introspect(token, at: url) : await userinfo.userinfo(token, at: url)
    }
}
