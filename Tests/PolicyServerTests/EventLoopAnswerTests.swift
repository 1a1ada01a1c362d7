import Foundation
@testable import PolicyServer
import Testing

/// `AuthorisationFastPath`: calls whose token is cached are answered on the event loop, with the
/// very answer (status, headers, body) the framework's path gives, counted and in order.
@Suite struct EventLoopAnswerTests {
    /// One call; `TOKEN` in the path is replaced by the token, percent-encoded.
    struct Call: Sendable {
        enum Presented: Sendable { case header, query, none, basicAuthorization }
        let path: String
        var body: String?
        var audience = "data-management-api"
        var groups: [String] = []
        var scope: String? = "data-management-api-service"
        var presented = Presented.header
        /// Of the two calls made to the server with the fast path, how many it answers.
        let answeredOnEventLoop: Int
    }

    static let namespace = #"{"namespace": "testing"}"#
    static let viewer = ["data/namespaces/testing/viewer"]

    static let calls: [Call] = [
        Call(path: Paths.dataList + "&method=GET", body: namespace, groups: viewer, answeredOnEventLoop: 1),
        Call(path: Paths.dataList, body: #"{"namespace": "other"}"#, groups: viewer, answeredOnEventLoop: 1),
        Call(path: Paths.dataList + "&explain=true", body: #"{"namespace": "other"}"#, groups: viewer, answeredOnEventLoop: 1),
        Call(path: Paths.dataList + "&token=TOKEN", body: namespace, groups: viewer, presented: .query, answeredOnEventLoop: 1),
        Call(
            path: "/v1/authorise/route/data-management-api?version=1&route=" + encoded("/data/list"),
            groups: ["services/data-management-api/roles/admin"], answeredOnEventLoop: 1),
        Call(
            path: "/v1/authorise/exchange/site-capabilities-api?token=TOKEN", audience: "authn-api",
            groups: ["services/authn-api/roles/service"], scope: nil, presented: .query, answeredOnEventLoop: 1),
        Call(
            path: "/v1/authorise/plugin/storage-plugin", body: #"{"action": "read", "area": "a1"}"#,
            audience: "storage-plugin", groups: ["storage/ops/areas/a1/read"], scope: nil, answeredOnEventLoop: 1),
        // A site gatekeeper's call: the body nested, the entry chosen by service.method (spec 2.6).
        Call(
            path: "/v1/authorise/plugin/echo?version=latest&token=TOKEN", body: GatekeeperTests.body(),
            audience: "echo", groups: [GatekeeperTests.member], scope: nil, presented: .query, answeredOnEventLoop: 1),
        Call(
            path: "/v1/authorise/plugin/echo?version=latest&token=TOKEN", body: GatekeeperTests.body(node: ""),
            audience: "echo", groups: [GatekeeperTests.member], scope: nil, presented: .query, answeredOnEventLoop: 1),
        // No usable token: a denial that needs no verification, so both calls are answered at once.
        Call(path: Paths.dataList, body: namespace, presented: .none, answeredOnEventLoop: 2),
        Call(path: "/v1/authorise/plugin/echo?version=latest&token=", body: GatekeeperTests.body(), presented: .none, answeredOnEventLoop: 2),
        Call(path: Paths.dataList, body: namespace, presented: .basicAuthorization, answeredOnEventLoop: 2),
        // Refusals and paths in another form are the framework's, every time.
        Call(path: Paths.dataList, body: #"{"namespace": "#, groups: viewer, answeredOnEventLoop: 0),
        Call(path: Paths.dataList, body: "[1]", groups: viewer, answeredOnEventLoop: 0),
        Call(path: Paths.dataList + "&version=7", body: namespace, groups: viewer, answeredOnEventLoop: 0),
        Call(path: "/v1/authorise/route/no-such-service?route=%2F", groups: viewer, answeredOnEventLoop: 0),
        Call(path: "/v1/authorise/route/data%2Dmanagement-api?route=" + encoded("/data/list/{namespace}"),
             body: namespace, groups: viewer, answeredOnEventLoop: 0),
        Call(path: "/v1/authorise/route/data-management-api", body: namespace, groups: viewer, answeredOnEventLoop: 0),
    ]

    /// With the correlation headers of spec 4.1, so that the answers' `X-Request-ID` is compared too.
    func send(_ call: Call, to harness: PolicydHarness, token: String, requestID: String) async throws -> HTTPTestClient.Answer {
        let path = call.path.replacingOccurrences(of: "TOKEN", with: encoded(token))
        var headers = CorrelationTests.headers
        headers["X-Request-ID"] = requestID
        switch call.presented {
        case .header: headers["Authorization"] = "Bearer \(token)"
        case .basicAuthorization: headers["Authorization"] = "Basic YWxpY2U6c2VjcmV0"
        case .query, .none: break
        }
        return try await harness.client.send("POST", path, body: call.body, headers: headers)
    }

    /// Status, headers but the date (which must be there), and body.
    func comparable(_ answer: HTTPTestClient.Answer) -> String {
        #expect(answer.headers["date"]?.hasSuffix(" GMT") == true)
        let headers = answer.headers.filter { $0.key != "date" }.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return "\(answer.status)\n\(headers.joined(separator: "\n"))\n\(String(decoding: answer.body, as: UTF8.self))"
    }

    @Test func bothPathsGiveTheSameAnswer() async throws {
        try await PolicydHarness.run(
            policies: GatekeeperTests.policies, configure: { configuration, _ in configuration.answersCachedCallsOnEventLoop = false }
        ) { reference in
            try await PolicydHarness.run(policies: GatekeeperTests.policies) { fast in
                for (index, call) in Self.calls.enumerated() {
                    // A group of its own makes each call's token new to the cache.
                    let groups = call.groups + ["unrelated/\(index)"]
                    let referenceToken = try await reference.token(audience: call.audience, groups: groups, scope: call.scope)
                    let fastToken = try await fast.token(audience: call.audience, groups: groups, scope: call.scope)
                    let before = try await fast.eventLoopAnswers()
                    let requestID = "call-\(index)"
                    let expected = comparable(try await send(call, to: reference, token: referenceToken, requestID: requestID))
                    let first = comparable(try await send(call, to: fast, token: fastToken, requestID: requestID))
                    let second = comparable(try await send(call, to: fast, token: fastToken, requestID: requestID))
                    #expect(expected.contains("\nx-request-id: \(requestID)\n"), "\(call.path)")
                    #expect(first == expected, "\(call.path)")
                    #expect(second == expected, "\(call.path)")
                    #expect(try await fast.eventLoopAnswers() - before == call.answeredOnEventLoop, "\(call.path)")
                }
                #expect(try await reference.eventLoopAnswers() == 0)
            }
        }
    }

    /// A call behind one that waits for its token's verification is answered after it, not before.
    @Test func pipelinedCallsAreAnsweredInOrder() async throws {
        try await PolicydHarness.run { harness in
            let cached = try await harness.token(groups: Self.viewer)
            #expect(try await harness.client.post(Paths.dataList, body: Self.namespace, bearer: cached).isAuthorised == true)
            let fresh = try await harness.token(groups: Self.viewer + ["another"])
            func request(_ token: String, _ body: String, close: Bool = false) -> String {
                "POST \(Paths.dataList) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                    + (close ? "Connection: close\r\n" : "") + "\r\n" + body
            }
            let connection = try RawConnection(port: harness.port)
            defer { connection.close() }
            let pipelined = request(fresh, Self.namespace) + request(cached, #"{"namespace": "other"}"#)
                + request(cached, Self.namespace, close: true)
            #expect(await connection.sendAll(pipelined, seconds: 10))
            let text = try #require(try await connection.readUntilClosed(seconds: 10))
            let answers = text.components(separatedBy: "HTTP/1.1 200 OK").dropFirst().map {
                $0.contains(#""is_authorised":true"#)
            }
            #expect(answers == [true, false, true])
        }
    }

    /// A body that arrives in pieces is gathered, and answered once it is whole.
    @Test func aBodyInPiecesIsAnsweredWhenWhole() async throws {
        try await PolicydHarness.run { harness in
            let token = try await harness.token(groups: Self.viewer)
            #expect(try await harness.client.post(Paths.dataList, body: Self.namespace, bearer: token).isAuthorised == true)
            let before = try await harness.eventLoopAnswers()
            let connection = try RawConnection(port: harness.port)
            defer { connection.close() }
            let body = Array(Self.namespace.utf8)
            #expect(connection.send(
                "POST \(Paths.dataList) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"))
            for piece in [body[..<5], body[5..<12], body[12...]] {
                try await Task.sleep(for: .milliseconds(50))
                #expect(connection.send(String(decoding: piece, as: UTF8.self)))
            }
            let answer = try #require(try await connection.readAnswer(seconds: 10))
            #expect(answer.status == 200)
            #expect(answer.isAuthorised == true)
            #expect(try await harness.eventLoopAnswers() - before == 1)
        }
    }

    @Test func onlyPlainAuthorisationPathsAreTaken() {
        let paths = AuthorisationTarget.Paths(prefixes: ["/v1", "/permissions/api/v1"])
        let plain = AuthorisationTarget(path: "/v1/authorise/route/data-management-api?route=%2Fa&b=c", paths: paths)
        #expect(plain?.type == .route)
        #expect(plain?.service == "data-management-api")
        #expect(plain?.query == "route=%2Fa&b=c")
        #expect(plain?.routePattern == "/v1/authorise/route/{service}")
        let rooted = AuthorisationTarget(path: "/permissions/api/v1/authorise/exchange/s.1_~x", paths: paths)
        #expect(rooted?.routePattern == "/permissions/api/v1/authorise/exchange/{service}")
        #expect(rooted?.service == "s.1_~x")
        #expect(rooted?.query == nil)
        for path in [
            "/v1/authorise/route/a%2Db", "/v1/authorise/route/a/", "/v1/authorise/route/a/b", "/v1/authorise/route/",
            "/v1/authorise/route/.", "/v1/authorise/route/..", "/v1/authorise/gateway/a", "/v1/authorise/Route/a",
            "/v1/authorise/route/a#x", "/v1/authorise/route/a?x#y", "http://h/v1/authorise/route/a", "/V1/authorise/route/a",
            "/v1//authorise/route/a", "/v2/authorise/route/a", "/v1/authorise/route/a:b", "/v1/authorise/route/a;b",
        ] {
            #expect(AuthorisationTarget(path: path, paths: paths) == nil, "\(path)")
        }
    }
}
