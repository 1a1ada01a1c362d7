import Foundation
import PolicyCore

/// The members of an OpenID Provider's configuration (OIDC Discovery 1.0 §3) that policyd needs: the
/// issuer and its keys, and, for issuers whose groups are asked for, the introspection endpoint (RFC 8414
/// §2, which INDIGO IAM's discovery document carries too) and the userinfo endpoint.
///
/// Read through PolicyCore's reader, with its duplicate-member rule: a document with two `jwks_uri`
/// (Foundation's decoder took the first) could send policyd and another reader to different keys.
struct OpenIDConfiguration: Sendable {
    let issuer: String
    let jwksURI: String
    let introspectionEndpoint: String?
    let userinfoEndpoint: String?

    /// Nil for anything but a JSON object with a string `issuer` and `jwks_uri`.
    init?(json: Data) {
        guard let document = try? JSONReader.parseDictionary(Array(json)),
            let issuer = document["issuer"]?.stringValue, let jwksURI = document["jwks_uri"]?.stringValue
        else {
            return nil
        }
        self.issuer = issuer
        self.jwksURI = jwksURI
        // Optional, and of no use to key fetching: an odd value here must not cost an issuer its keys.
        introspectionEndpoint = document["introspection_endpoint"]?.stringValue
        userinfoEndpoint = document["userinfo_endpoint"]?.stringValue
    }

    /// OIDC Discovery §4: the issuer, without a trailing `/`, followed by the well-known path.
    static func discoveryURL(forIssuer issuer: String) -> String {
        var base = Substring(issuer)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/.well-known/openid-configuration"
    }
}
