import Foundation
import Testing

/// What RFC 9110 and RFC 9112 ask of a server's connections, over raw sockets, for an authorisation
/// call whose token is cached (answered at once) and a token's first call (answered once its
/// verification ends). `Connection` is a list of case-insensitive options and `close`
/// anywhere in it ends the connection; HTTP/1.0 keeps a connection only with `keep-alive`;
/// `Expect: 100-continue` is answered `100 Continue` before the body is sent, unless the final answer
/// is known from the head.
@Suite struct HTTPConnectionTests {
    enum Path: CaseIterable, CustomStringConvertible {
        case cachedToken, newToken
        var description: String { self == .cachedToken ? "cached token" : "new token" }
    }

    static let body = #"{"namespace": "testing"}"#

    /// A token for `path`: one already cached, or one never seen.
    func token(for path: Path, _ harness: PolicydHarness) async throws -> String {
        let token = try await harness.token(groups: ["data/namespaces/testing/viewer", UUID().uuidString])
        if path == .cachedToken {
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: token).isAuthorised == true)
        }
        return token
    }

    /// An authorisation call's head and body, with more header lines.
    func call(
        _ token: String, version: String = "HTTP/1.1", contentLength: Int? = nil, headers: [String] = []
    ) -> (head: String, body: String) {
        let head = "POST \(Paths.dataList) \(version)\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Length: \(contentLength ?? Self.body.utf8.count)\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
        return (head, Self.body)
    }

    func whole(_ call: (head: String, body: String)) -> String { call.head + call.body }

    @Test func closeAnywhereInConnectionEndsTheConnection() async throws {
        try await PolicydHarness.run { harness in
            for path in Path.allCases {
                for option in ["close", "CLOSE", "keep-alive, close", "Keep-Alive,Close", "x, CLose"] {
                    let token = try await token(for: path, harness)
                    let connection = try RawConnection(port: harness.port)
                    defer { connection.close() }
                    #expect(await connection.sendAll(whole(call(token, headers: ["Connection: \(option)"])), seconds: 5))
                    let received = try await connection.readUntilClosed(seconds: 5)
                    #expect(received?.hasPrefix("HTTP/1.1 200 OK") == true, "\(path), \(option): answered, then closed")
                    #expect(received?.lowercased().contains("\r\nconnection: close\r\n") == true, "\(path), \(option)")

                    // A request behind it is not read at all (RFC 9112 §9.6); it was answered 400.
                    let pipelining = try RawConnection(port: harness.port)
                    defer { pipelining.close() }
                    let two = whole(call(token, headers: ["Connection: \(option)"])) + whole(call(token))
                    #expect(await pipelining.sendAll(two, seconds: 5))
                    let answers = try await pipelining.readUntilClosed(seconds: 5)?.components(separatedBy: "HTTP/1.1 ").dropFirst()
                    #expect(answers?.count == 1, "\(path), \(option): \(answers.map(Array.init) ?? [])")
                }
            }
        }
    }

    /// A request the router answers, a call, and a request after it, in one write: the third was
    /// held behind the call, handed to Hummingbird when the call was answered, and left there until
    /// the client's next bytes, so the connection hung past every timeout (found by a probe; hundreds
    /// of such connections used up the connection limit).
    @Test func aRequestPipelinedBehindACallBehindARoutedRequestIsAnswered() async throws {
        try await PolicydHarness.run { harness in
            for path in Path.allCases {
                let token = try await token(for: path, harness)
                let connection = try RawConnection(port: harness.port)
                defer { connection.close() }
                let three = "GET /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n" + whole(call(token))
                    + "GET /v1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                #expect(await connection.sendAll(three, seconds: 5))
                let answers = try await connection.readUntilClosed(seconds: 10)?.components(separatedBy: "HTTP/1.1 200 OK").dropFirst()
                #expect(answers?.count == 3, "\(path): \(answers.map(Array.init) ?? [])")
                #expect(answers?.dropFirst().first?.contains(#""is_authorised":true"#) == true, "\(path): the call's answer second")
            }
        }
    }

    /// A request that ends the connection, answered by the router or the pipeline, and one behind it:
    /// one answer, then the connection closes; the request behind is not read, so not answered
    /// (it was answered 400 when the router answered the first, found by a probe).
    @Test func nothingIsAnsweredAfterTheRequestThatEndsTheConnection() async throws {
        try await PolicydHarness.run { harness in
            let token = try await token(for: .cachedToken, harness)
            let closingPing = "GET /v1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            let ping = "GET /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n"
            let closingCall = whole(call(token, headers: ["Connection: close"]))
            for (name, sequence, expected) in [
                ("closing ping, ping", closingPing + ping, 1),
                ("ping, closing call, ping", ping + closingCall + ping, 2),
                ("closing ping, call", closingPing + whole(call(token)), 1),
            ] {
                let connection = try RawConnection(port: harness.port)
                defer { connection.close() }
                #expect(await connection.sendAll(sequence, seconds: 5))
                let answers = try await connection.readUntilClosed(seconds: 10)?.components(separatedBy: "HTTP/1.1 ").dropFirst()
                #expect(answers?.count == expected, "\(name): \(answers.map(Array.init) ?? [])")
                #expect(answers?.allSatisfy { $0.hasPrefix("200 ") } == true, "\(name)")
            }
        }
    }

    @Test func http10KeepsTheConnectionOnlyWithKeepAlive() async throws {
        try await PolicydHarness.run { harness in
            for path in Path.allCases {
                let closing = try RawConnection(port: harness.port)
                defer { closing.close() }
                #expect(await closing.sendAll(whole(call(try await token(for: path, harness), version: "HTTP/1.0")), seconds: 5))
                let received = try await closing.readUntilClosed(seconds: 5)
                #expect(received?.hasPrefix("HTTP/1.1 200 OK") == true, "\(path): answered, then closed")
                #expect(received?.lowercased().contains("\r\nconnection: close\r\n") == true, "\(path)")

                let kept = try RawConnection(port: harness.port)
                defer { kept.close() }
                let token = try await token(for: path, harness)
                for _ in 0..<2 {
                    #expect(await kept.sendAll(whole(call(token, version: "HTTP/1.0", headers: ["Connection: Keep-Alive"])), seconds: 5))
                    let answer = try await kept.readAnswer(seconds: 5)
                    #expect(answer?.isAuthorised == true, "\(path): both answered on one connection")
                    #expect(answer?.headers["connection"] == "keep-alive", "\(path)")
                }

                // An HTTP/1.0 client knows no interim answers: its `100-continue` is ignored.
                let expecting = try RawConnection(port: harness.port)
                defer { expecting.close() }
                let expectingToken = try await self.token(for: path, harness)
                #expect(await expecting.sendAll(
                    whole(call(expectingToken, version: "HTTP/1.0", headers: ["Expect: 100-continue"])), seconds: 5))
                let text = try await expecting.readUntilClosed(seconds: 5)
                #expect(text?.hasPrefix("HTTP/1.1 200 OK") == true, "\(path): \(text ?? "no answer")")
            }
        }
    }

    @Test func expectContinueIsAnsweredBeforeTheBodyIsSent() async throws {
        try await PolicydHarness.run { harness in
            for path in Path.allCases {
                let token = try await token(for: path, harness)
                let before = try await harness.tokenCacheHits()
                let connection = try RawConnection(port: harness.port)
                defer { connection.close() }
                let (head, body) = call(token, headers: ["Expect: 100-Continue"])
                #expect(await connection.sendAll(head, seconds: 5))
                #expect(try await connection.read(untilReceiving: "\r\n\r\n", seconds: 5) == "HTTP/1.1 100 Continue\r\n\r\n", "\(path)")
                #expect(await connection.sendAll(body, seconds: 5))
                let answer = try await connection.readAnswer(seconds: 5)
                #expect(answer?.status == 200, "\(path)")
                #expect(answer?.isAuthorised == true, "\(path)")
                #expect(try await harness.tokenCacheHits() - before == (path == .cachedToken ? 1 : 0), "\(path)")
                // And the connection serves the next request.
                #expect(await connection.sendAll(whole(call(token)), seconds: 5))
                #expect(try await connection.readAnswer(seconds: 5)?.isAuthorised == true, "\(path)")
            }
        }
    }

    /// Behind a call still waiting for its token's verification, `100 Continue` waits its turn: it
    /// would otherwise be read as part of the earlier call's answer.
    @Test func expectContinueKeepsTheOrderOfAnswers() async throws {
        try await PolicydHarness.run { harness in
            let fresh = try await token(for: .newToken, harness)
            let cached = try await token(for: .cachedToken, harness)
            let connection = try RawConnection(port: harness.port)
            defer { connection.close() }
            let (head, body) = call(cached, headers: ["Expect: 100-continue"])
            #expect(await connection.sendAll(whole(call(fresh)) + head, seconds: 5))
            let first = try #require(try await connection.read(untilReceiving: "HTTP/1.1 100 Continue\r\n\r\n", seconds: 5))
            #expect(first.hasPrefix("HTTP/1.1 200 OK"), "the earlier call's answer first")
            #expect(await connection.sendAll(body, seconds: 5))
            #expect(try await connection.readAnswer(seconds: 5)?.isAuthorised == true)
        }
    }

    /// Known from the head alone: a body over `--max-body-bytes` (413) or an expectation other than
    /// `100-continue` (417). The answer comes at once, the body is never read, and the connection closes.
    @Test func anExpectationThatCannotBeMetIsAnsweredAtOnce() async throws {
        try await PolicydHarness.run(configure: { configuration, _ in configuration.maximumBodyBytes = 4096 }) { harness in
            for path in Path.allCases {
                let token = try await token(for: path, harness)
                let large = try RawConnection(port: harness.port)
                defer { large.close() }
                #expect(await large.sendAll(call(token, contentLength: 5000, headers: ["Expect: 100-continue"]).head, seconds: 5))
                let tooLarge = try await large.readUntilClosed(seconds: 3)
                #expect(tooLarge?.hasPrefix("HTTP/1.1 413 ") == true, "\(path): \(tooLarge ?? "no answer")")
                #expect(tooLarge?.hasSuffix(#"{"detail":"the request body is larger than 4096 bytes"}"#) == true, "\(path)")

                let other = try RawConnection(port: harness.port)
                defer { other.close() }
                #expect(await other.sendAll(whole(call(token, headers: ["Expect: 100-continue, something-else"])), seconds: 5))
                let failed = try await other.readUntilClosed(seconds: 3)
                #expect(failed?.hasPrefix("HTTP/1.1 417 ") == true, "\(path): \(failed ?? "no answer")")
                #expect(failed?.lowercased().contains("\r\nconnection: close\r\n") == true, "\(path)")
            }
        }
    }
}
