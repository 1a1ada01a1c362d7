import Foundation
import JWTKit
import PolicyTokens

/// The committed development key pair (fixtures/dev) and tokens made with it.
enum TestKeys {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixturesDirectory = packageRoot.appendingPathComponent("fixtures/dev")
    static let developmentPEM = try! String(
        contentsOf: fixturesDirectory.appendingPathComponent("signing-key.pem"), encoding: .utf8)
    static let developmentJWKS = try! Data(contentsOf: fixturesDirectory.appendingPathComponent("jwks.json"))

    static func mint(
        issuer: String, audience: String, groups: [String] = [], scope: String? = nil, lifetime: TimeInterval = 600,
        kid: String = "dev", issuedAt: Date = Date()
    ) async throws -> String {
        try await TokenMinter(privateKeyPEM: developmentPEM, keyID: kid).mint(
            TokenMinter.Claims(
                issuer: issuer, audience: audience, subject: "tester", groups: groups, scope: scope, lifetime: lifetime),
            issuedAt: issuedAt)
    }

    /// Tokens with claims TokenMinter does not write (other group claims), signed by the development key.
    static func sign(_ claims: CustomClaims, kid: String = "dev") async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: developmentPEM), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    struct CustomClaims: JWTPayload {
        var iss: String
        var aud: String
        var exp: Int = Int(Date().timeIntervalSince1970) + 600
        var scope: String?
        var wlcgGroups: [String]?
        var roles: [String]?

        enum CodingKeys: String, CodingKey {
            case iss, aud, exp, scope, roles
            case wlcgGroups = "wlcg.groups"
        }

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A token with an unsigned header (`alg: none`) and the claims of a valid one.
    static func unsigned(_ token: String) -> String {
        let payload = token.split(separator: ".")[1]
        let header = Data(#"{"alg":"none","kid":"dev"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
        return header + "." + payload + "."
    }

    /// The header and claims of `claimsFrom` with the signature of `signatureFrom`.
    static func resigned(claimsFrom: String, signatureFrom: String) -> String {
        let claims = claimsFrom.split(separator: ".")
        return claims[0] + "." + claims[1] + "." + signatureFrom.split(separator: ".")[2]
    }
}
