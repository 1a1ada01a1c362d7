import PolicyTokens

/// Asks an issuer about a token, for its groups: the seam between group lookups (`GroupResolver`:
/// coalescing, deadline, metrics, the answer's check) and the network. policyd's is
/// `HTTPIssuerClient`; tests give `GroupResolver` one that answers from memory.
protocol IssuerClient: Sendable {
    func answer(about token: String, issuer: String, source: GroupSource) async -> Result<GroupAnswer, GroupLookupFailure>
}

/// Over HTTP, to the issuer's introspection or userinfo endpoint, as the issuer's groups source says.
struct HTTPIssuerClient: IssuerClient {
    let introspection: IntrospectionClient
    let userinfo: UserinfoClient

    func answer(about token: String, issuer: String, source: GroupSource) async -> Result<GroupAnswer, GroupLookupFailure> {
        switch source {
        case .introspection: await introspection.introspect(token, issuer: issuer)
        case .userinfo: await userinfo.userinfo(token, issuer: issuer)
        case .jwt: .failure(.discovery("groups come from the token for \(issuer)"))
        }
    }
}
