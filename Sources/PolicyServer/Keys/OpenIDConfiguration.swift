import Foundation

/// The two members of an OpenID Provider's configuration (OIDC Discovery 1.0 §3) that key fetching needs.
struct OpenIDConfiguration: Decodable {
    let issuer: String
    let jwksURI: String

    private enum CodingKeys: String, CodingKey {
        case issuer
        case jwksURI = "jwks_uri"
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

    /// The document must name the issuer it was fetched for (§4.3); a trailing `/` is not a difference,
    /// since it is dropped when the discovery URL is built.
    static func sameIssuer(_ named: String, _ expected: String) -> Bool {
        func trimmed(_ text: String) -> Substring {
            var text = Substring(text)
            while text.hasSuffix("/") { text = text.dropLast() }
            return text
        }
        return trimmed(named).utf8.elementsEqual(trimmed(expected).utf8)
    }
}
