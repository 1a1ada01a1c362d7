import Foundation
import Logging
import Metrics
import NIOConcurrencyHelpers
import PolicyCore
import PolicyTokens
import Testing

@testable import PolicyServer

/// Group lookups in process, the issuer behind `IssuerClient` answering from memory: the answer
/// checked like a token, the groups read from it, and what is refused before the issuer is asked.
/// (`GroupSourceTests` keeps the live issuer for what crosses the network: discovery, credentials,
/// timeouts, health, metrics.)
@Suite struct GroupResolverTests {
    /// Introspection answers by token; any other token is not active, as the test issuer answers.
    final class FakeIssuer: IssuerClient {
        let answers: [String: [String: JSONValue]]
        let calls = NIOLockedValueBox(0)

        init(_ answers: [String: [String: JSONValue]]) {
            self.answers = answers
        }

        func answer(about token: String, issuer: String, source: GroupSource) async -> Result<GroupAnswer, GroupLookupFailure> {
            calls.withLockedValue { $0 += 1 }
            guard let answer = answers[token] else { return .success(.inactive(reason: "introspection: token not active")) }
            return .success(.claims(TokenClaims(answer)))
        }
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let issuer = "https://iam.example"
    static let requirements = TokenRequirements(
        issuer: issuer, audience: "data-management-api", scope: "data-management-api-service")

    static func seconds(_ offset: TimeInterval) -> JSONValue {
        .number(JSONNumber(Int64(now.timeIntervalSince1970 + offset)))
    }

    /// An answer about an active token for the data-management-api, shaped as INDIGO IAM's `iam`
    /// profile writes it (`iss` with a trailing `/`, `scope` what the permissions client may see).
    static func answer(_ changes: [String: JSONValue?] = [:]) -> [String: JSONValue] {
        var answer: [String: JSONValue] = [
            "active": .bool(true), "iss": .string(issuer + "/"), "aud": .string("data-management-api"),
            "sub": .string("tester"), "scope": .string("openid profile data-management-api-service"),
            "exp": seconds(600), "iat": seconds(-10), "client_id": .string("data-management-client"),
            "groups": .array([.string("data/namespaces/testing/viewer")]),
        ]
        for (name, value) in changes { answer[name] = value }
        return answer
    }

    static func resolver(_ issuer: FakeIssuer, now: @escaping @Sendable () -> Date = { now }) -> GroupResolver {
        GroupResolver(
            sources: [Self.issuer: .introspection], issuers: issuer,
            answers: GroupLookupCoalescer(capacity: 100, now: now), board: GroupLookupStatusBoard(),
            metrics: PolicydMetrics(factory: NOOPMetricsHandler.instance), logger: Logger(label: "test"),
            timeout: .seconds(5), answerLifetime: 300, now: now)
    }

    static func caller(
        _ token: String, of issuer: FakeIssuer, verified: VerifiedToken? = nil
    ) async -> Result<AuthenticatedCaller, TokenRejection> {
        await resolver(issuer).caller(
            for: token, verified: verified, source: .introspection, requirements: requirements, leeway: 60,
            groupsClaim: "groups")
    }

    static func reason(_ result: Result<AuthenticatedCaller, TokenRejection>) -> String? {
        if case .failure(let rejection) = result { return rejection.reason }
        return nil
    }

    @Test(arguments: [
        (["aud": .string("another-api")], "introspection: wrong audience"),
        (["aud": nil], "introspection: wrong audience"),
        (["iss": .string("https://other.example/")], "introspection: wrong issuer"),
        (["exp": seconds(-3600)], "introspection: token expired"),
        (["exp": nil], "introspection: missing exp"),
        // What INDIGO IAM answers when the permissions client was not granted the service scope.
        (["scope": .string("openid profile")], "introspection: missing scope 'data-management-api-service'"),
        (["groups": .string("data/namespaces/testing/viewer")],
         "introspection: malformed claim 'groups': not an array of strings"),
        // Space-separated audiences in one string (INDIGO IAM 1.x) and an array both work.
        (["aud": .string("other data-management-api")], nil),
        (["aud": .array([.string("x"), .string("data-management-api")])], nil),
    ] as [([String: JSONValue?], String?)])
    func theAnswerIsCheckedLikeAToken(changes: [String: JSONValue?], reason: String?) async {
        let issuer = FakeIssuer(["opaque-1": Self.answer(changes)])
        #expect(Self.reason(await Self.caller("opaque-1", of: issuer)) == reason)
        #expect(issuer.calls.withLockedValue { $0 } == 1)
    }

    @Test func anAnswerAboutAJWTMustBeAboutItsSubject() async {
        let jwt = VerifiedToken(
            subject: "tester", issuer: Self.issuer, audiences: ["data-management-api"], groups: [], scopes: [],
            expiresAt: Self.now + 600)
        let issuer = FakeIssuer(["a.b.c": Self.answer(["sub": .string("someone-else")])])
        let result = await Self.caller("a.b.c", of: issuer, verified: jwt)
        #expect(Self.reason(result) == "introspection: the answer is about another subject")
    }

    @Test func anInactiveTokenIsDenied() async {
        let result = await Self.caller("revoked-9b2e", of: FakeIssuer([:]))
        #expect(Self.reason(result) == "introspection: token not active")
    }

    /// Not a bearer token's characters: refused before the issuer is asked.
    @Test func garbageIsRefusedWithoutAsking() async {
        let issuer = FakeIssuer([:])
        let result = await Self.caller("a b{c}", of: issuer)
        #expect(Self.reason(result) == "malformed token: neither a JWT nor a bearer token (RFC 6750 §2.1)")
        #expect(issuer.calls.withLockedValue { $0 } == 0)
    }

    @Test func wlcgGroupsAreUnderstood() async throws {
        var answer = Self.answer(["groups": nil])
        answer["wlcg.groups"] = .array([.string("/data/namespaces/testing/viewer")])
        let caller = try await Self.caller("opaque-wlcg", of: FakeIssuer(["opaque-wlcg": answer])).get()
        #expect(caller.groups.normalised.map { String(decoding: $0, as: UTF8.self) } == ["data/namespaces/testing/viewer"])
        #expect(caller.subject == "tester")
        // Trusted no longer than the groups cache's lifetime (300 s), the answer's exp being later.
        #expect(caller.expiresAt == Self.now + 300)
    }
}
