import Foundation

/// The members of an OpenID Provider's configuration (OIDC Discovery 1.0 §3) that policyd needs: the
/// issuer and its keys, and, for issuers whose groups are asked for, the introspection endpoint (RFC 8414
/// §2, which INDIGO IAM's discovery document carries too) and the userinfo endpoint.
struct OpenIDConfiguration: Decodable {
    let issuer: String
    let jwksURI: String
    var introspectionEndpoint: String? = nil
    var userinfoEndpoint: String? = nil

    private enum CodingKeys: String, CodingKey {
        case issuer
        case jwksURI = "jwks_uri"
        case introspectionEndpoint = "introspection_endpoint"
        case userinfoEndpoint = "userinfo_endpoint"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decode(String.self, forKey: .issuer)
        jwksURI = try container.decode(String.self, forKey: .jwksURI)
        // Optional, and of no use to key fetching: an odd value here must not cost an issuer its keys.
        introspectionEndpoint = try? container.decodeIfPresent(String.self, forKey: .introspectionEndpoint)
        userinfoEndpoint = try? container.decodeIfPresent(String.self, forKey: .userinfoEndpoint)
    }

    init(json: Data, from url: String) throws(KeyFetchError) {
        guard let decoded = try? JSONDecoder().decode(OpenIDConfiguration.self, from: json) else {
            throw .invalidDiscoveryDocument(url: url)
        }
        self = decoded
    }

    /// OIDC Discovery §4: the issuer, without a trailing `/`, followed by the well-known path.
    static func discoveryURL(forIssuer issuer: String) -> String {
        var base = Substring(issuer)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/.well-known/openid-configuration"
    }
}
