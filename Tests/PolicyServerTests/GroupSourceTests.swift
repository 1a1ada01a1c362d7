import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PolicyServer
import Testing

/// Groups from the issuer rather than the token: introspection (RFC 7662) and userinfo, end to end against
/// the loopback test issuer, which answers like INDIGO IAM and counts the calls it receives. How an
/// answer is checked and read, and when the issuer is asked at all, are tested in process, with an
/// issuer in memory (`GroupResolverTests`, `TokenAuthenticatorTests`).
@Suite(.serialized) struct GroupSourceTests {
    static let body = #"{"namespace": "testing"}"#
    static let viewer = ["data/namespaces/testing/viewer"]
    static var now: Int { Int(Date().timeIntervalSince1970) }

    static func introspection(_ configuration: inout ServerConfiguration, _ issuer: String) {
        configuration.issuerGroupSources = [issuer: .introspection]
        configuration.introspectionCredentials = ClientCredentials(
            clientID: TestIssuer.clientID, secret: TestIssuer.clientSecret)
    }

    /// An introspection answer about an active token for the data-management-api, shaped as INDIGO IAM's
    /// `iam` profile writes it: `iss` with a trailing `/`, `scope` the token's scopes that the
    /// introspecting client may see, `groups` (the client holds `profile`).
    static func answer(_ harness: some PolicydUnderTest, groups: [String] = viewer, _ changes: [String: Any?] = [:])
        -> [String: Any]
    {
        var answer: [String: Any] = [
            "active": true, "iss": harness.issuerURL + "/", "aud": "data-management-api", "sub": "tester",
            "scope": "openid profile data-management-api-service", "exp": now + 600, "iat": now - 10,
            "client_id": "data-management-client", "token_type": "Bearer", "groups": groups,
        ]
        for (name, value) in changes { answer[name] = value }
        return answer
    }

    static func metric(_ series: String, in harness: some PolicydUnderTest) async throws -> Double? {
        let text = String(decoding: try await harness.client.get("/metrics").body, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    static func lookups(_ harness: PolicydHarness, _ source: String, _ outcome: String) -> String {
        #"policyd_groups_lookups_total{issuer="\#(harness.issuerURL)",source="\#(source)",outcome="\#(outcome)"}"#
    }

    static func groupsHealth(_ harness: PolicydHarness) async throws -> [String: Any] {
        let health = try await harness.client.get("/v1/health")
        let issuers = try #require(health.json["issuers"] as? [[String: Any]])
        return try #require(issuers.first?["groups"] as? [String: Any])
    }

    // MARK: groups from each source

    @Test func aJWTsGroupsComeFromIntrospection() async throws {
        try await PolicydHarness.run(configure: Self.introspection) { harness in
            let token = try await harness.token(groups: [])
            try harness.issuer.introspects(token, as: Self.answer(harness))
            let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: token)
            #expect(answer.isAuthorised == true, "\(answer.reason ?? "")")
            #expect(harness.issuer.introspectionCalls == 1)
            #expect(harness.issuer.refusedCredentials == 0)
            // One discovery document for the keys and the introspection endpoint.
            #expect(harness.issuer.discoveryFetches == 1)
            let groups = try await Self.groupsHealth(harness)
            #expect(groups["source"] as? String == "introspection")
            #expect(groups["endpoint"] as? String == "discovery")
            #expect(groups["last_success"] is String)
            #expect(groups["last_error"] == nil)
            #expect(try await Self.metric(Self.lookups(harness, "introspection", "answered"), in: harness) == 1)
        }
    }

    @Test func anOpaqueTokenIsIntrospected() async throws {
        try await PolicydHarness.run(configure: Self.introspection) { harness in
            try harness.issuer.introspects("opaque-4f1c2a", as: Self.answer(harness))
            let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a")
            #expect(answer.isAuthorised == true, "\(answer.reason ?? "")")
            // Not a viewer of lofar: the groups decide, not the token's being active.
            let lofar = try await harness.client.post(Paths.dataList, body: #"{"namespace": "lofar"}"#, bearer: "opaque-4f1c2a")
            #expect(lofar.isAuthorised == false)
            #expect(harness.issuer.introspectionCalls == 1)
        }
    }

    @Test func aJWTsGroupsComeFromUserinfo() async throws {
        try await PolicydHarness.run(configure: { configuration, issuer in
            configuration.issuerGroupSources = [issuer: .userinfo]
        }) { harness in
            let token = try await harness.token(groups: [])
            try harness.issuer.userinfo(token, is: ["sub": "tester", "groups": Self.viewer])
            for _ in 0..<3 {
                let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: token)
                #expect(answer.isAuthorised == true, "\(answer.reason ?? "")")
            }
            #expect(harness.issuer.userinfoCalls == 1)
            #expect(harness.issuer.introspectionCalls == 0)
            #expect(try await Self.metric(Self.lookups(harness, "userinfo", "answered"), in: harness) == 1)

            // The token's own checks still come first: an expired one never reaches the issuer.
            let expired = try await harness.token(groups: [], lifetime: -600)
            let refused = try await harness.client.post(Paths.dataList, body: Self.body, bearer: expired)
            #expect(refused.reason == "token expired")
            // Another subject's userinfo answer is not used (OIDC Core §5.3.2).
            let other = try await harness.token(groups: [], lifetime: 700)
            try harness.issuer.userinfo(other, is: ["sub": "someone-else", "groups": Self.viewer])
            let mismatch = try await harness.client.post(Paths.dataList, body: Self.body, bearer: other)
            #expect(mismatch.isAuthorised == false)
            #expect(mismatch.reason == "userinfo: the answer is about another subject")
            // A token the userinfo endpoint refuses is a denial.
            let unknown = try await harness.token(groups: Self.viewer, lifetime: 900)
            let refusedByIssuer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: unknown)
            #expect(refusedByIssuer.reason == "userinfo: the issuer refused the token (HTTP 401)")
            #expect(harness.issuer.userinfoCalls == 3)
        }
    }

    @Test func groupsInTheTokenAreIgnoredWhenTheIssuerIsAsked() async throws {
        try await PolicydHarness.run(configure: Self.introspection) { harness in
            let token = try await harness.token(groups: Self.viewer)
            try harness.issuer.introspects(token, as: Self.answer(harness, groups: []))
            let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: token)
            #expect(answer.isAuthorised == false)
            #expect(answer.reason == "GET /data/list/{namespace}: expression false")
        }
    }

    // MARK: what refuses a token

    @Test func opaqueTokensAreRefusedUnlessTheIssuerIntrospects() async throws {
        for source in [GroupSource.jwt, .userinfo] {
            try await PolicydHarness.run(configure: { configuration, issuer in
                configuration.issuerGroupSources = [issuer: source]
            }) { harness in
                try harness.issuer.introspects("opaque-4f1c2a", as: Self.answer(harness))
                let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a")
                #expect(answer.isAuthorised == false)
                #expect(answer.reason == "malformed token: expected three dot-separated parts")
                #expect(harness.issuer.introspectionCalls == 0)
                #expect(harness.issuer.userinfoCalls == 0)
            }
        }
    }

    @Test func anInactiveTokenIsDenied() async throws {
        try await PolicydHarness.run(configure: Self.introspection) { harness in
            let opaque = try await harness.client.post(Paths.dataList, body: Self.body, bearer: "revoked-9b2e")
            #expect(opaque.isAuthorised == false)
            #expect(opaque.reason == "introspection: token not active")
            // A JWT that verifies but that the issuer no longer vouches for (revoked) is denied too.
            let jwt = try await harness.token(groups: Self.viewer)
            let revoked = try await harness.client.post(Paths.dataList, body: Self.body, bearer: jwt)
            #expect(revoked.reason == "introspection: token not active")
            #expect(try await Self.metric(Self.lookups(harness, "introspection", "inactive"), in: harness) == 2)
            // Not an issuer failure: health shows none.
            #expect(try await Self.groupsHealth(harness)["last_error"] as? String == nil)
        }
    }

    @Test func wrongClientCredentialsAreADenialAndShowInHealth() async throws {
        let records = LogRecords()
        let logger = records.logger()
        let wrongSecret = "not-the-secret-8d1f"
        try await PolicydHarness.run(configure: { configuration, issuer in
            Self.introspection(&configuration, issuer)
            configuration.introspectionCredentials = ClientCredentials(clientID: TestIssuer.clientID, secret: wrongSecret)
        }, logger: logger) { harness in
            try harness.issuer.introspects("opaque-4f1c2a", as: Self.answer(harness))
            let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a")
            #expect(answer.isAuthorised == false)
            #expect(answer.reason == "introspection failed: the issuer refused policyd's client credentials")
            #expect(harness.issuer.refusedCredentials == 1)
            let groups = try await Self.groupsHealth(harness)
            let error = try #require(groups["last_error"] as? String)
            #expect(error == "HTTP 401 from \(harness.issuerURL)/introspect: the issuer refused policyd's client credentials")
            #expect(groups["last_error_at"] is String)
            #expect(try await Self.metric(Self.lookups(harness, "introspection", "error"), in: harness) == 1)
            // A failure is not kept: the next call asks again.
            _ = try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a")
            #expect(harness.issuer.refusedCredentials == 2)

            let health = String(decoding: try await harness.client.get("/v1/health").body, as: UTF8.self)
            let metrics = String(decoding: try await harness.client.get("/metrics").body, as: UTF8.self)
            let logged = records.all
            #expect(logged.contains { $0.contains("cannot ask the issuer for groups") })
            for text in [health, metrics] + logged {
                #expect(!text.contains(wrongSecret), "the client secret must never be shown")
                #expect(!text.contains("opaque-4f1c2a"), "the token must never be shown")
            }
        }
    }

    // MARK: a slow or dead issuer

    @Test func aSlowIssuerIsADenialAfterTheTimeout() async throws {
        try await PolicydHarness.run(configure: { configuration, issuer in
            Self.introspection(&configuration, issuer)
            configuration.groupsLookupTimeout = .milliseconds(300)
        }) { harness in
            try harness.issuer.introspects("opaque-4f1c2a", as: Self.answer(harness))
            harness.issuer.holdIntrospection(true)
            defer { harness.issuer.holdIntrospection(false) }
            let started = ContinuousClock.now
            let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a")
            let elapsed = ContinuousClock.now - started
            #expect(answer.status == 200)
            #expect(answer.isAuthorised == false)
            #expect(answer.reason == "introspection failed: no answer from the issuer within 0.3 s")
            // Not a hang: the deadline, give or take a test machine busy with every other suite.
            #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(5), "\(elapsed)")
            #expect(try await Self.groupsHealth(harness)["last_error"] as? String == "no answer within 0.3 s")
            #expect(try await Self.metric(Self.lookups(harness, "introspection", "timeout"), in: harness) == 1)

            // Once the issuer answers again, so does policyd.
            harness.issuer.holdIntrospection(false)
            let later = try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a")
            #expect(later.isAuthorised == true, "\(later.reason ?? "")")
        }
    }

    /// A call waiting for a slow issuer, and a request behind it whose body cannot come while the
    /// call waits (policyd reads nothing then): the connection outlives the idle timeout and the call
    /// is answered. Hummingbird's idle timeout closed it, with the call's answer unsent (found by a
    /// probe); `RequestReadDeadline` keeps every clock now.
    @Test func aCallWaitingForASlowIssuerOutlivesTheIdleTimeout() async throws {
        try await PolicydHarness.run(configure: { configuration, issuer in
            Self.introspection(&configuration, issuer)
            configuration.idleTimeout = .milliseconds(500)
            configuration.headTimeout = .milliseconds(500)
        }) { harness in
            try harness.issuer.introspects("opaque-4f1c2a", as: Self.answer(harness))
            harness.issuer.holdIntrospection(true)
            defer { harness.issuer.holdIntrospection(false) }
            let connection = try RawConnection(port: harness.port)
            defer { connection.close() }
            let call = "POST \(Paths.dataList) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer opaque-4f1c2a\r\n"
                + "Content-Length: \(Self.body.utf8.count)\r\n\r\n\(Self.body)"
            let bodiless = "POST \(Paths.dataList) HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"
            #expect(await connection.sendAll(call + bodiless, seconds: 5))
            try await Task.sleep(for: .milliseconds(1500))
            harness.issuer.holdIntrospection(false)
            let answer = try await connection.readAnswer(seconds: 10)
            #expect(answer?.status == 200)
            #expect(answer?.isAuthorised == true, "\(answer?.reason ?? "no answer: the connection was closed")")
        }
    }

    @Test func aDeadIssuerIsADenial() async throws {
        let closed = try ClosedPort()
        try await PolicydHarness.run(configure: { configuration, issuer in
            Self.introspection(&configuration, issuer)
            configuration.introspectionURLs = [issuer: "http://127.0.0.1:\(closed.port)/introspect"]
        }) { harness in
            let started = ContinuousClock.now
            let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a")
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(answer.status == 200)
            #expect(answer.isAuthorised == false)
            #expect(answer.reason == "introspection failed: cannot reach the issuer")
            let groups = try await Self.groupsHealth(harness)
            #expect(groups["endpoint"] as? String == "http://127.0.0.1:\(closed.port)/introspect")
            let error = try #require(groups["last_error"] as? String)
            #expect(error.hasPrefix("asking http://127.0.0.1:\(closed.port)/introspect failed: "), "\(error)")
            #expect(try await Self.metric(Self.lookups(harness, "introspection", "error"), in: harness) == 1)
            #expect(harness.issuer.introspectionCalls == 0)
        }
        closed.close()
    }

    // MARK: one request per token

    @Test func aThousandDecisionsCostOneIntrospection() async throws {
        try await PolicydHarness.run(configure: Self.introspection) { harness in
            try harness.issuer.introspects("opaque-4f1c2a", as: Self.answer(harness))
            for batch in 0..<100 {
                try await withThrowingTaskGroup(of: Bool?.self) { group in
                    for _ in 0..<10 {
                        group.addTask {
                            try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a").isAuthorised
                        }
                    }
                    for try await authorised in group { #expect(authorised == true, "batch \(batch)") }
                }
            }
            #expect(harness.issuer.introspectionCalls == 1)
            #expect(try await Self.metric("policyd_token_cache_hits_total", in: harness) ?? 0 >= 990)
        }
    }

    @Test func concurrentDecisionsBeforeTheFirstAnswerShareOneIntrospection() async throws {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)))
        do {
            try await concurrentDecisions(client)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    func concurrentDecisions(_ client: HTTPClient) async throws {
        try await PolicydHarness.run(configure: { configuration, issuer in
            Self.introspection(&configuration, issuer)
            configuration.groupsLookupTimeout = .seconds(30)
        }) { harness in
            try harness.issuer.introspects("opaque-4f1c2a", as: Self.answer(harness))
            harness.issuer.holdIntrospection(true)
            defer { harness.issuer.holdIntrospection(false) }
            let joined = #"policyd_groups_answers_reused_total{issuer="\#(harness.issuerURL)",source="introspection",how="joined"}"#
            try await withThrowingTaskGroup(of: Bool?.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        var request = HTTPClientRequest(url: harness.client.baseURL + Paths.dataList)
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer opaque-4f1c2a")
                        request.body = .bytes(ByteBuffer(string: Self.body))
                        let response = try await client.execute(request, timeout: .seconds(60))
                        let body = try await response.body.collect(upTo: 1 << 16)
                        let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
                        return json?["is_authorised"] as? Bool
                    }
                }
                // Every one of the 100 has arrived and waits on the single request before it is answered.
                #expect(try await harness.eventually(seconds: 30) { try await Self.metric(joined, in: harness) == 99 })
                #expect(harness.issuer.introspectionCalls == 1)
                harness.issuer.holdIntrospection(false)
                for try await authorised in group { #expect(authorised == true) }
            }
            for _ in 0..<900 {
                _ = try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a")
            }
            #expect(harness.issuer.introspectionCalls == 1)
        }
    }

    @Test func anAnswerIsTrustedNoLongerThanTheGroupsCacheTTL() async throws {
        try await PolicydHarness.run(configure: { configuration, issuer in
            Self.introspection(&configuration, issuer)
            configuration.groupsAnswerLifetime = 1
        }) { harness in
            try harness.issuer.introspects("opaque-4f1c2a", as: Self.answer(harness))
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a").isAuthorised == true)
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a").isAuthorised == true)
            #expect(harness.issuer.introspectionCalls == 1)
            // The issuer takes the group away; within the TTL, policyd asks again and sees it.
            try harness.issuer.introspects("opaque-4f1c2a", as: Self.answer(harness, groups: []))
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: "opaque-4f1c2a").isAuthorised == false)
            #expect(harness.issuer.introspectionCalls == 2)
        }
    }
}

/// A loopback port that refuses connections for as long as this lives: bound, never listening.
final class ClosedPort: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard descriptor >= 0, bound == 0, named == 0 else {
            _ = Glibc.close(descriptor)
            throw CocoaError(.fileReadUnknown)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}
