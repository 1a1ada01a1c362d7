import Foundation
import Hummingbird
import Testing

@testable import PolicyServer

@Suite struct RequestParsingTests {
    @Test func queryStringsDecodeLikeForms() throws {
        let query = try QueryString("route=%2Fdata%2Flist%2F%7Bnamespace%7D&method=GET&note=a+b%2Bc&flag&&empty=")
        #expect(query.items.map(\.name) == ["route", "method", "note", "flag", "empty"])
        #expect(try query.single("route") == "/data/list/{namespace}")
        #expect(try query.single("note") == "a b+c")
        #expect(try query.single("flag") == "")
        #expect(try query.single("absent") == nil)
        #expect(throws: HTTPProblem.self) { try QueryString("a=1&a=2").single("a") }
        for malformed in ["a=%", "a=%2", "a=%zz", "a=%C3%28"] {
            #expect(throws: HTTPProblem.self) { try QueryString(malformed) }
        }
    }

    @Test func pathSegmentsKeepPlus() {
        #expect(PercentDecoding.decode("a+b%20c", plusIsSpace: false) == "a+b c")
    }

    /// `?token=` is the token authorised; a header beside it is the caller's own credential.
    @Test func theQueryTokenWinsAndTheHeaderIsTheFallback() throws {
        func token(_ headers: HTTPFields, _ query: String) throws -> PresentedToken {
            PresentedToken(headers: headers, query: try QueryString(query))
        }
        #expect(try token([:], "") == .missing)
        #expect(try token([.authorization: "Bearer abc"], "") == .token("abc", from: .header))
        #expect(try token([.authorization: "BEARER   abc "], "") == .token("abc", from: .header))
        #expect(try token([:], "token=abc") == .token("abc", from: .query))
        #expect(try token([.authorization: "Bearer abc"], "token=abc") == .token("abc", from: .query))
        #expect(try token([.authorization: "Bearer original"], "token=exchanged") == .token("exchanged", from: .query))
        #expect(try token([.authorization: "Basic abc"], "token=abc") == .token("abc", from: .query))
        #expect(try token([.authorization: "Bearer a", .authorization: "Bearer b"], "token=c") == .token("c", from: .query))
        #expect(try token([:], "token=abc&token=abd") == .conflicting)
        #expect(try token([:], "token=abc&token=&token=abc") == .token("abc", from: .query))
        #expect(try token([.authorization: "Bearer a", .authorization: "Bearer b"], "") == .conflicting)
        #expect(try token([.authorization: "Basic abc"], "") == .notBearer)
        #expect(try token([.authorization: "Bearer"], "") == .missing)
        #expect(try token([.authorization: "Bearerabc"], "") == .notBearer)
        #expect(try token([.authorization: "bEaReR \tabc\t"], "") == .token("abc", from: .header))
        #expect(try token([.authorization: "Bearer a b"], "") == .token("a b", from: .header))
    }

    @Test func cacheControlMaxAge() {
        #expect(CacheControl.maxAge(["public, max-age=300"]) == 300)
        #expect(CacheControl.maxAge(["max-age=\"60\""]) == 60)
        #expect(CacheControl.maxAge(["no-store"]) == 0)
        #expect(CacheControl.maxAge(["private", "max-age=10"]) == 10)
        #expect(CacheControl.maxAge(["max-age=soon"]) == nil)
        #expect(CacheControl.maxAge([]) == nil)
        let schedule = KeyRefreshSchedule(minimumInterval: 60, maximumInterval: 3600, maximumKeyAge: 7200)
        #expect(schedule.interval(forMaxAge: 5) == 60)
        #expect(schedule.interval(forMaxAge: 300) == 300)
        #expect(schedule.interval(forMaxAge: 86400) == 3600)
        #expect(schedule.interval(forMaxAge: nil) == 3600)
    }

    @Test func keysTravelOverHTTPSOrLoopbackOnly() throws {
        #expect(throws: Never.self) { try IssuerURL.checked("https://iam.example/jwk") }
        #expect(throws: Never.self) { try IssuerURL.checked("http://127.0.0.1:8080/jwks") }
        #expect(throws: Never.self) { try IssuerURL.checked("http://localhost/jwks") }
        #expect(throws: Never.self) { try IssuerURL.checked("http://[::1]:99/jwks") }
        #expect(throws: IssuerURL.Unusable.self) { try IssuerURL.checked("http://iam.example/jwk") }
        #expect(throws: IssuerURL.Unusable.self) { try IssuerURL.checked("http://127.0.0.1.example/jwk") }
        #expect(throws: IssuerURL.Unusable.self) { try IssuerURL.checked("ftp://iam.example/jwk") }
        #expect(throws: IssuerURL.Unusable.self) { try IssuerURL.checked("/etc/jwks.json") }
    }

    @Test func discovery() throws {
        #expect(OpenIDConfiguration.discoveryURL(forIssuer: "https://iam.example/") == "https://iam.example/.well-known/openid-configuration")
        #expect(OpenIDConfiguration.discoveryURL(forIssuer: "https://iam.example/realm") == "https://iam.example/realm/.well-known/openid-configuration")
        let document = Data(#"{"issuer": "https://iam.example/", "jwks_uri": "https://iam.example/jwk"}"#.utf8)
        #expect(OpenIDConfiguration(json: document)?.jwksURI == "https://iam.example/jwk")
        #expect(OpenIDConfiguration(json: Data("{}".utf8)) == nil)
    }

    /// An issuer's answer is held to the duplicate-member rule as every JSON a client sends: with two
    /// `jwks_uri`, policyd and another reader of the same document could fetch different keys.
    @Test(arguments: [
        #"{"issuer": "https://iam.example", "jwks_uri": "https://iam.example/jwk", "jwks_uri": "https://evil.example/jwk"}"#,
        #"{"issuer": "https://evil.example", "jwks_uri": "https://iam.example/jwk", "iss\u0075er": "https://iam.example"}"#,
        #"{"issuer": 1, "jwks_uri": "https://iam.example/jwk"}"#,
        #"{"issuer": "https://iam.example", "jwks_uri": "https://iam.example/jwk"} trailing"#,
    ])
    func discoveryDocumentsHeldToTheRules(json: String) {
        #expect(OpenIDConfiguration(json: Data(json.utf8)) == nil)
    }

    /// Optional members of no use to key fetching: an odd value costs the issuer nothing.
    @Test func discoveryOptionalMembersAreLenient() throws {
        let document = Data(
            #"{"issuer": "https://iam.example", "jwks_uri": "https://iam.example/jwk", "introspection_endpoint": 3, "userinfo_endpoint": null}"#.utf8)
        let configuration = try #require(OpenIDConfiguration(json: document))
        #expect(configuration.introspectionEndpoint == nil)
        #expect(configuration.userinfoEndpoint == nil)
        #expect(configuration.issuer == "https://iam.example")
    }
}
