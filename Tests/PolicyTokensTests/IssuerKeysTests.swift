import Foundation
import Testing

@testable import PolicyTokens

@Suite("Issuer key sets")
struct IssuerKeysTests {
    @Test func developmentFixture() throws {
        let keys = try IssuerKeys(jwksJSON: Data(contentsOf: TestKeys.developmentJWKSFile))
        #expect(keys.keyIDs == ["dev"])
    }

    @Test func skipsKeysThatCannotVerifySignatures() throws {
        let params = try #require(TestKeys.ecP256.publicKey.parameters)
        var encryptionKey = TestKeys.rsaJWK(TestKeys.otherRSA, kid: "enc", alg: nil)
        encryptionKey["use"] = "enc"
        var noKid = TestKeys.rsaJWK(TestKeys.otherRSA, kid: "x")
        noKid["kid"] = nil
        let document = TestKeys.jwks([
            ["kty": "oct", "kid": "hmac", "k": "c2VjcmV0"],
            ["kty": "OKP", "kid": "ed", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"],
            ["kty": "EC", "kid": "p521", "crv": "P-521", "x": params.x, "y": params.y],
            ["kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"],
            ["kty": "RSA", "kid": "small", "n": Base64URL.encode([UInt8](repeating: 0xC5, count: 128)), "e": "AQAB"],
            TestKeys.rsaJWK(TestKeys.otherRSA, kid: "oaep", alg: "RSA-OAEP"),
            TestKeys.ecJWK(x: params.x, y: params.y, crv: "P-256", kid: "mislabelled").merging(["alg": "RS256"]) { $1 },
            encryptionKey, noKid, ["not": "a key"],
            TestKeys.rsaJWK(TestKeys.otherRSA, kid: "good"),
            TestKeys.ecJWK(x: params.x, y: params.y, crv: "P-256", kid: "ec"),
        ])
        #expect(try IssuerKeys(jwksJSON: document).keyIDs == ["good", "ec"])
    }

    @Test(arguments: ["", "[]", "{}", #"{"keys": {}}"#, "not json"])
    func invalidDocument(json: String) {
        #expect(throws: KeySetError.invalidKeySetDocument) { try IssuerKeys(jwksJSON: Data(json.utf8)) }
    }

    /// The duplicate-member rule, as for every JSON a client or an issuer sends: two `keys` refuse the
    /// document; a key entry with two `n` (or two `kid`) is a malformed entry, skipped like any other.
    @Test func repeatedMembersAreRefused() throws {
        let good = TestKeys.rsaJWK(TestKeys.otherRSA, kid: "good")
        let entry = String(decoding: try JSONSerialization.data(withJSONObject: good), as: UTF8.self)
        #expect(throws: KeySetError.invalidKeySetDocument) {
            try IssuerKeys(jwksJSON: Data(#"{"keys": [\#(entry)], "keys": []}"#.utf8))
        }
        let twice = String(entry.dropLast()) + #", "kid": "other"}"#
        #expect(try IssuerKeys(jwksJSON: Data(#"{"keys": [\#(twice), \#(entry)]}"#.utf8)).keyIDs == ["good"])
    }

    /// A member of the wrong type, or none where one is needed, makes the entry malformed: skipped.
    @Test func entriesOfTheWrongShapeAreSkipped() throws {
        let good = TestKeys.rsaJWK(TestKeys.otherRSA, kid: "good")
        var numberKid = good
        numberKid["kid"] = 7
        var numberUse = good
        numberUse["use"] = 1
        var noType = good
        noType["kty"] = nil
        var nullUse = good
        nullUse["use"] = NSNull()
        nullUse["kid"] = "null-use"
        let document = TestKeys.jwks([numberKid, numberUse, noType, nullUse, good])
        #expect(try IssuerKeys(jwksJSON: document).keyIDs == ["null-use", "good"])
    }

    @Test func emptyKeySetIsValid() throws {
        #expect(try IssuerKeys(jwksJSON: Data(#"{"keys": []}"#.utf8)).keyIDs.isEmpty)
    }

    @Test func staticSourceFromFile() async throws {
        let source = try StaticKeySource(issuer: Tokens.issuer, jwksFile: TestKeys.developmentJWKSFile)
        #expect(try await source.keys(forIssuer: Tokens.issuer).contains(keyID: "dev"))
        await #expect(throws: KeySetError.unknownIssuer("https://other.example")) {
            try await source.refreshedKeys(forIssuer: "https://other.example")
        }
    }
}
