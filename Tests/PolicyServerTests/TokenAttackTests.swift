import Foundation
import JWTKit
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import PolicyTokens

/// The token attack suite (issue 6): each forged, tampered or malformed token sent to
/// `POST /v1/authorise/route/data-management-api` for a call its claims would otherwise allow, and
/// answered 200 `{"is_authorised": false, "reason": …}` with the attack's own reason: never a grant,
/// never a 5xx. The test issuer, on loopback, sees no request but its discovery document and JWKS.
/// policyd in process; over a socket only the token too large for the HTTP layer.
///
/// Serialized: each case starts an issuer; dozens at once would crowd the machine for the other
/// suites (some wait for background work, such as reloads, against a deadline).
@Suite(.serialized) struct TokenAttackTests {
    static let body = #"{"namespace": "testing"}"#

    /// What the caller sends and the test issuer that signed it (for URLs that point back at it).
    struct Attack: Sendable, CustomTestStringConvertible {
        let name: String
        /// `ISSUER` stands for the test issuer's URL.
        let reason: String
        let make: @Sendable (InProcessPolicyd) async throws -> String

        var testDescription: String { name }

        init(_ name: String, _ reason: String, make: @escaping @Sendable (InProcessPolicyd) async throws -> String) {
            self.name = name
            self.reason = reason
            self.make = make
        }
    }

    @Test func theUntamperedTokenIsGranted() async throws {
        let issuer = TestIssuer()
        try await InProcessPolicyd.run(issuer: issuer) { harness in
            let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: try await Forge.token(harness))
            #expect(answer.status == 200)
            #expect(answer.isAuthorised == true)
            // The issuer records what it is asked for, so the attacks' "nothing else fetched" means something.
            #expect(issuer.requestedPaths.contains("/keys/jwks.json"))
        }
    }

    @Test(arguments: Self.attacks)
    func attackIsDeniedWithItsReason(_ attack: Attack) async throws {
        let issuer = TestIssuer()
        try await InProcessPolicyd.run(issuer: issuer) { harness in
            let token = try await attack.make(harness)
            for answer in [
                try await harness.client.post(Paths.dataList, body: Self.body, bearer: token),
                try await harness.client.post(Paths.dataList + "&token=" + encoded(token), body: Self.body),
            ] {
                #expect(answer.status == 200)
                #expect(answer.isAuthorised == false)
                #expect(answer.reason == attack.reason.replacingOccurrences(of: "ISSUER", with: harness.issuerURL))
                #expect(!String(decoding: answer.body, as: UTF8.self).contains(token))
            }
            #expect(issuer.otherRequestedPaths.isEmpty, "the token made policyd fetch something")
        }
    }

    static let attacks: [Attack] = [
        Attack("alg none", "unsupported algorithm 'none'") { try await Forge.unsigned($0, alg: "none") },
        Attack("alg None", "unsupported algorithm 'None'") { try await Forge.unsigned($0, alg: "None") },
        Attack("alg NONE", "unsupported algorithm 'NONE'") { try await Forge.unsigned($0, alg: "NONE") },
        Attack("HS256 keyed with the issuer's public key (PEM)", "unsupported algorithm 'HS256'") { harness in
            let pem = try Insecure.RSA.PrivateKey(pem: TestKeys.developmentPEM).publicKey.pemRepresentation
            return try await Forge.token(harness, header: ["alg": "HS256"], signer: try await Forge.hmac(Data(pem.utf8)))
        },
        Attack("HS256 keyed with the issuer's public key (its JWK, as served)", "unsupported algorithm 'HS256'") { harness in
            let jwks = try JSONSerialization.jsonObject(with: TestKeys.developmentJWKS) as! [String: Any]
            let jwk = try JSONSerialization.data(withJSONObject: (jwks["keys"] as! [Any])[0], options: .sortedKeys)
            return try await Forge.token(harness, header: ["alg": "HS256"], signer: try await Forge.hmac(jwk))
        },
        Attack("unknown kid", "unknown key id 'rotated-away'") { try await Forge.token($0, header: ["kid": "rotated-away"]) },
        Attack("kid carrying a path", "unknown key id '../../etc/passwd'") {
            try await Forge.token($0, header: ["kid": "../../etc/passwd"])
        },
        Attack("kid carrying a URL (the issuer's own host)", "unknown key id 'ISSUER/attacker/jwks.json'") {
            try await Forge.token($0, header: ["kid": $0.issuerURL + "/attacker/jwks.json"])
        },
        Attack("jku to a key set of the attacker's", "token header 'jku' refused: keys come only from the issuer") {
            try await Forge.token($0, header: ["jku": $0.issuerURL + "/attacker/jwks.json"], signer: try await Forge.attacker())
        },
        Attack("x5u to a certificate of the attacker's", "token header 'x5u' refused: keys come only from the issuer") {
            try await Forge.token($0, header: ["x5u": $0.issuerURL + "/attacker/cert.pem"], signer: try await Forge.attacker())
        },
        Attack("jwk: the attacker's own key, which signed it", "token header 'jwk' refused: keys come only from the issuer") {
            try await Forge.token(
                $0, header: ["kid": "attacker", "jwk": try Forge.attackerJWK(kid: "attacker")], signer: try await Forge.attacker())
        },
        Attack("x5c: a certificate chain", "token header 'x5c' refused: keys come only from the issuer") {
            try await Forge.token($0, header: ["x5c": ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]], signer: try await Forge.attacker())
        },
        Attack("signed by another key under the issuer's kid", "bad signature") {
            try await Forge.token($0, signer: try await Forge.attacker())
        },
        Attack("signature stripped", "missing signature") { harness in
            let parts = Forge.parts(try await Forge.token(harness))
            return parts[0] + "." + parts[1] + "."
        },
        Attack("signature altered by one bit", "bad signature") { harness in
            let parts = Forge.parts(try await Forge.token(harness))
            var signature = Base64URL.decode(parts[2])!
            signature[signature.count / 2] ^= 0x01
            return parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
        },
        Attack("admin groups written over a viewer's signed token", "bad signature") { harness in
            let wanted = Forge.parts(try await Forge.token(harness, claims: ["groups": ["services/data-management-api/roles/admin"]]))
            return wanted[0] + "." + wanted[1] + "." + Forge.parts(try await Forge.token(harness))[2]
        },
        Attack("expired", "token expired") { try await Forge.token($0, claims: ["exp": Forge.now - 3600]) },
        Attack("nbf in the future", "token not yet valid") { try await Forge.token($0, claims: ["nbf": Forge.now + 3600]) },
        Attack("wrong issuer", "wrong issuer") { try await Forge.token($0, claims: ["iss": "https://attacker.example"]) },
        Attack("wrong audience (string)", "wrong audience") { try await Forge.token($0, claims: ["aud": "site-capabilities-api"]) },
        Attack("wrong audience (array)", "wrong audience") {
            try await Forge.token($0, claims: ["aud": ["site-capabilities-api", "storage-plugin"]])
        },
        Attack("missing scope", "missing scope 'data-management-api-service'") {
            try await Forge.token($0, claims: ["scope": "openid profile"])
        },
        Attack("header not base64url", "malformed token: header is not base64url") { try await Forge.reshaped($0) { $0[0] += "*" } },
        Attack("payload not base64url", "malformed token: payload is not base64url") { try await Forge.reshaped($0) { $0[1] = "e30=" } },
        Attack("signature not base64url", "malformed token: signature is not base64url") {
            try await Forge.reshaped($0) { $0[2] = "abc+/def" }
        },
        Attack("header not JSON", "malformed token: header is not JSON") {
            try await Forge.reshaped($0) { $0[0] = Base64URL.encode(Array(#"{"alg":"RS256","kid":"dev""#.utf8)) }
        },
        Attack("payload not JSON", "malformed token: payload is not JSON") {
            try await Forge.reshaped($0) { $0[1] = Base64URL.encode(Array(#"{"iss":}"#.utf8)) }
        },
        Attack("payload JSON but not an object", "malformed token: payload is not a JSON object") {
            try await Forge.reshaped($0) { $0[1] = Base64URL.encode(Array(#"["data/namespaces/testing/viewer"]"#.utf8)) }
        },
        Attack("two aud claims", "malformed token: claim 'aud' given twice") {
            try await Forge.token($0, extraClaimsJSON: #","aud":"site-capabilities-api""#)
        },
        Attack("two groups claims", "malformed token: claim 'groups' given twice") {
            try await Forge.token($0, extraClaimsJSON: #","groups":["services/data-management-api/roles/admin"]"#)
        },
        Attack("crit with an unknown extension", "unsupported critical header") {
            try await Forge.token($0, header: ["crit": ["policyd-unknown"], "policyd-unknown": true])
        },
        Attack("exp a string", "malformed claim 'exp': not a number") { try await Forge.token($0, claims: ["exp": "2099-01-01"]) },
        Attack("exp a huge number", "malformed claim 'exp': out of range") { try await Forge.token($0, claims: ["exp": 1e300]) },
        Attack("groups a string, not an array", "malformed claim 'groups': not an array of strings") {
            try await Forge.token($0, claims: ["groups": "data/namespaces/testing/viewer"])
        },
        Attack("groups with a non-string entry", "malformed claim 'groups': not an array of strings") {
            try await Forge.token($0, claims: ["groups": ["data/namespaces/testing/viewer", 42]])
        },
    ]

    /// Two issuers, each trusted for its own policy. A token issuer B signed is refused for A's policy,
    /// whatever `iss` it claims: A's policy is checked against A's keys only.
    @Test func aTokenOfAnotherIssuerIsRefusedForThisIssuersPolicy() async throws {
        let keyB = try Insecure.RSA.PrivateKey(backing: .init(keySize: .bits2048))
        let issuerB = TestIssuer(jwks: try Forge.jwks(keyB, kid: "b-key"))
        try await issuerB.serve { urlB in
            let policyB = Self.policyB.replacingOccurrences(of: "ISSUER_OF_B", with: urlB)
            var policies = TestPolicies.all
            policies["b-service.json"] = policyB
            let issuerA = TestIssuer()
            try await InProcessPolicyd.run(issuer: issuerA, policies: policies) { harness in
                let signerB = try await Forge.rsa(keyB)
                // B's token works for B's policy: B's key is trusted, for B.
                let forB = try await Forge.token(
                    harness, header: ["kid": "b-key"],
                    claims: ["iss": urlB, "aud": "b-service", "groups": ["b/viewer"]], signer: signerB)
                let granted = try await harness.client.post(
                    "/v1/authorise/route/b-service?route=" + encoded("/items"), bearer: forB)
                #expect(granted.isAuthorised == true)

                let attempts: [(String, [String: Any], [String: Any])] = [
                    ("unknown key id 'b-key'", ["kid": "b-key"], ["iss": urlB]),
                    ("unknown key id 'b-key'", ["kid": "b-key"], [:]),  // claims iss A
                    ("bad signature", [:], [:]),  // B's key under A's kid, claims iss A
                ]
                for (reason, header, claims) in attempts {
                    let token = try await Forge.token(harness, header: header, claims: claims, signer: signerB)
                    let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: token)
                    #expect(answer.status == 200)
                    #expect(answer.isAuthorised == false)
                    #expect(answer.reason == reason)
                }
                #expect(issuerA.otherRequestedPaths.isEmpty)
                #expect(issuerB.otherRequestedPaths.isEmpty)
            }
        }
    }

    static let policyB = """
        {
          "name": "b-service", "type": "route", "iam_subgroup_name": "b-service",
          "expected_token_issuer": "ISSUER_OF_B", "expected_token_audience": "b-service",
          "version_number": 1,
          "roles": {"viewer": ["b/viewer"]},
          "routes": {"/items": {"GET": "viewer"}}
        }
        """

    /// A token over the verifier's 16 KiB is refused on its length: not hashed for the cache (the cache
    /// counts no lookup), not decoded, no key fetched. From the query string and from the header alike.
    @Test func aTokenOver16KiBIsRefusedOnItsLength() async throws {
        let issuer = TestIssuer()
        try await InProcessPolicyd.run(issuer: issuer) { harness in
            let token = try await Forge.token(harness, claims: ["pad": String(repeating: "A", count: 20 * 1024)])
            let before = try await Self.cacheLookups(harness)
            for answer in [
                try await harness.client.post(Paths.dataList + "&token=" + token, body: "{}"),
                try await harness.client.post(Paths.dataList, body: "{}", bearer: token),
            ] {
                #expect(answer.status == 200)
                #expect(answer.isAuthorised == false)
                #expect(answer.reason == "token too large")
            }
            #expect(try await Self.cacheLookups(harness) == before)
            #expect(issuer.otherRequestedPaths.isEmpty)
        }
    }

    /// A megabyte token does not even reach policyd: the HTTP layer (SwiftNIO's decoder) refuses request
    /// heads over 80 KiB with a 400, before anything is parsed. The server keeps serving. Over a socket:
    /// the HTTP layer's limit is the subject.
    @Test func aMegabyteTokenIsRefusedByTheHTTPLayer() async throws {
        try await PolicydHarness.run { harness in
            let token = try await Forge.token(harness, claims: ["pad": String(repeating: "A", count: 1 << 20)])
            for head in Self.heads(carrying: token) {
                let answer = await RawConnection.exchange(port: harness.port, head + "Content-Length: 2\r\nConnection: close\r\n\r\n{}")
                // A reset before the answer is read is a refusal too; what matters is that it is no grant.
                #expect(answer == nil || answer?.status == 400)
            }
            let valid = try await harness.client.post(Paths.dataList, body: Self.body, bearer: try await Forge.token(harness))
            #expect(valid.isAuthorised == true)
            #expect(harness.issuer.otherRequestedPaths.isEmpty)
        }
    }

    /// Request heads for the data-management-api call with `token` in the query string, and in the header.
    static func heads(carrying token: String) -> [String] {
        [
            "POST \(Paths.dataList)&token=\(token) HTTP/1.1\r\nHost: 127.0.0.1\r\n",
            "POST \(Paths.dataList) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n",
        ]
    }

    static func cacheLookups(_ harness: some PolicydUnderTest) async throws -> Int {
        let cache = try await harness.client.get("/v1/health").json["token_cache"] as? [String: Any]
        return (cache?["hits"] as? Int ?? -1) + (cache?["misses"] as? Int ?? -1)
    }

    /// No token reaches a log line or its metadata, at any level, whatever becomes of it.
    @Test func noTokenIsEverLogged() async throws {
        let records = LogRecords()
        try await InProcessPolicyd.run(logger: records.logger()) { harness in
            let valid = try await Forge.token(harness)
            var tokens = [valid, try await Forge.token(harness, claims: ["exp": Forge.now - 3600])]
            for attack in Self.attacks.prefix(20) { tokens.append(try await attack.make(harness)) }
            for token in tokens {
                _ = try await harness.client.post(Paths.dataList + "&explain=true", body: Self.body, bearer: token)
                _ = try await harness.client.post(Paths.dataList + "&token=" + encoded(token), body: Self.body)
                _ = try await harness.client.post("/v1/authorise/route/no-such-api?route=%2Fx&token=" + encoded(token))
                _ = try await harness.client.post(Paths.dataList + "&token=" + encoded(token), body: "[")
                _ = try await harness.client.send("GET", "/v1/gms/search?group=a", headers: ["Authorization": "Bearer \(token)"])
                _ = try await harness.client.get("/v1/gms/search?token=" + encoded(token))
            }
            let logged = records.all
            #expect(!logged.isEmpty, "the recording logger saw nothing: the test would prove nothing")
            for token in tokens {
                let signature = Forge.parts(token).last ?? token
                for line in logged {
                    #expect(!line.contains(token) && (signature.count < 16 || !line.contains(signature)))
                }
            }
        }
    }
}

/// Tokens for the harness's issuer, signed with its key unless another signer is given, for the
/// data-management-api call `GET /data/list/testing` that a viewer of `testing` may make.
enum Forge {
    static var now: Int { Int(Date().timeIntervalSince1970) }

    static func claims(_ harness: some PolicydUnderTest) -> [String: Any] {
        [
            "iss": harness.issuerURL, "aud": "data-management-api", "sub": "mallory",
            "scope": "data-management-api-service", "groups": ["data/namespaces/testing/viewer"],
            "iat": now - 10, "nbf": now - 10, "exp": now + 600,
        ]
    }

    static func token(
        _ harness: some PolicydUnderTest, header: [String: Any] = [:], claims overrides: [String: Any] = [:],
        signer: (any JWTAlgorithm)? = nil, extraClaimsJSON: String = ""
    ) async throws -> String {
        var fullHeader: [String: Any] = ["alg": "RS256", "kid": "dev", "typ": "JWT"]
        fullHeader.merge(header) { $1 }
        var payload = try JSONSerialization.data(
            withJSONObject: claims(harness).merging(overrides) { $1 }, options: .sortedKeys)
        payload.removeLast()  // the closing brace, so raw members (duplicates) can follow
        payload += Data((extraClaimsJSON + "}").utf8)
        let signing = if let signer { signer } else { try await issuerSigner() }
        return try CompactJWS.signed(
            headerJSON: JSONSerialization.data(withJSONObject: fullHeader, options: .sortedKeys), payloadJSON: payload,
            with: signing)
    }

    static func unsigned(_ harness: InProcessPolicyd, alg: String) async throws -> String {
        let parts = Self.parts(try await token(harness, header: ["alg": alg]))
        return parts[0] + "." + parts[1] + "."
    }

    static func reshaped(_ harness: InProcessPolicyd, _ change: (inout [String]) -> Void) async throws -> String {
        var parts = Self.parts(try await token(harness))
        change(&parts)
        return parts.joined(separator: ".")
    }

    static func parts(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    static func issuerSigner() async throws -> any JWTAlgorithm {
        try await rsa(try Insecure.RSA.PrivateKey(pem: TestKeys.developmentPEM))
    }

    static let attackerKey = try! Insecure.RSA.PrivateKey(backing: .init(keySize: .bits2048))

    static func attacker() async throws -> any JWTAlgorithm { try await rsa(attackerKey) }

    static func attackerJWK(kid: String) throws -> [String: Any] { try jwk(attackerKey, kid: kid) }

    static func rsa(_ key: Insecure.RSA.PrivateKey) async throws -> any JWTAlgorithm {
        let keys = JWTKeyCollection()
        await keys.add(rsa: key, digestAlgorithm: .sha256)
        return try await keys.getKey()
    }

    static func hmac(_ secret: Data) async throws -> any JWTAlgorithm {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.getKey()
    }

    static func jwk(_ key: Insecure.RSA.PrivateKey, kid: String) throws -> [String: Any] {
        let primitives = try key.publicKey.getKeyPrimitives()
        return [
            "kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
            "n": Base64URL.encode(primitives.modulus), "e": Base64URL.encode(primitives.publicExponent),
        ]
    }

    static func jwks(_ key: Insecure.RSA.PrivateKey, kid: String) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["keys": [try jwk(key, kid: kid)]])
    }
}

/// Every message, with its metadata and source, as one line of text each.
final class LogRecords: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    func append(_ line: String) { lines.withLockedValue { $0.append(line) } }
    var all: [String] { lines.withLockedValue { $0 } }

    /// A logger whose every message at `level` or above lands here.
    func logger(level: Logger.Level = .trace) -> Logger {
        Logger(label: "policyd-tests") { [self] _ in
            var handler = RecordingLogHandler(records: self)
            handler.logLevel = level
            return handler
        }
    }
}

struct RecordingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        records.append("\(event.level) \(event.source) \(event.message) \(all.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
