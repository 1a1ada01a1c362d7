import Foundation
import JWTKit

@testable import PolicyTokens

/// Crafts tokens with arbitrary headers and claims, including ones a well-behaved issuer would never produce.
enum Tokens {
    static let issuer = "https://issuer.example"
    static let audience = "policyd"
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let requirements = TokenRequirements(issuer: issuer, audience: audience)

    static func claims(_ overrides: [String: Any] = [:], removing removed: Set<String> = []) -> [String: Any] {
        let seconds = Int(now.timeIntervalSince1970)
        var claims: [String: Any] = [
            "iss": issuer, "aud": audience, "sub": "alice",
            "iat": seconds - 10, "nbf": seconds - 10, "exp": seconds + 600,
            "scope": "openid storage.read:/",
            "groups": ["/atlas", "cms"],
        ]
        claims.merge(overrides) { $1 }
        for name in removed { claims[name] = nil }
        return claims
    }

    static func make(
        header: [String: Any] = ["alg": "RS256", "kid": "dev", "typ": "JWT"],
        claims: [String: Any] = claims(),
        signer: any JWTAlgorithm
    ) throws -> String {
        try CompactJWS.signed(
            headerJSON: JSONSerialization.data(withJSONObject: header, options: .sortedKeys),
            payloadJSON: JSONSerialization.data(withJSONObject: claims, options: .sortedKeys),
            with: signer
        )
    }

    static func development(header: [String: Any] = ["alg": "RS256", "kid": "dev"], claims: [String: Any] = claims())
        async throws -> String
    {
        try make(header: header, claims: claims, signer: await Signers.rsa(TestKeys.developmentKey))
    }

    static func parts(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}
