import Foundation
import Testing

@testable import PolicyTokens

@Suite("Development token minting")
struct TokenMinterTests {
    @Test func mintedTokenVerifiesAgainstTheFixtureKeySet() async throws {
        let minter = try TokenMinter(privateKeyPEM: TestKeys.developmentPEM, keyID: "dev")
        let token = try await minter.mint(
            .init(
                issuer: Tokens.issuer, audience: Tokens.audience, subject: "bob", groups: ["/cms"],
                scope: "storage.read:/",
                lifetime: 300),
            issuedAt: Tokens.now)

        let verifier = TokenVerifier(
            keys: try StaticKeySource(issuer: Tokens.issuer, jwksFile: TestKeys.developmentJWKSFile),
            now: { Tokens.now })
        let requirements = TokenRequirements(issuer: Tokens.issuer, audience: Tokens.audience, scope: "storage.read:/")
        let verified = try await verifier.verify(token, requirements: requirements).get()
        #expect(
            verified
                == VerifiedToken(
                    subject: "bob", issuer: Tokens.issuer, audiences: [Tokens.audience], groups: ["/cms"],
                    scopes: ["storage.read:/"], expiresAt: Tokens.now.addingTimeInterval(300)))
    }

    @Test func mintedTokenExpires() async throws {
        let minter = try TokenMinter(privateKeyPEM: TestKeys.developmentPEM, keyID: "dev")
        let token = try await minter.mint(
            .init(issuer: Tokens.issuer, audience: Tokens.audience, subject: "bob", lifetime: 60), issuedAt: Tokens.now)
        let verifier = TokenVerifier(
            keys: try StaticKeySource(issuer: Tokens.issuer, jwksFile: TestKeys.developmentJWKSFile),
            now: { Tokens.now.addingTimeInterval(121) })
        #expect(await verifier.verify(token, requirements: Tokens.requirements).failure == .expired)
    }

    @Test func rejectsNonRSAKeyMaterial() {
        #expect(throws: (any Error).self) { try TokenMinter(privateKeyPEM: "not a pem", keyID: "dev") }
    }
}
