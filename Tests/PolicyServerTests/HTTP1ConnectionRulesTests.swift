import NIOCore
import NIOEmbedded
import NIOHTTP1
@testable import PolicyServer
import Testing

/// `HTTP1ConnectionRules` in process, over `EmbeddedChannel`, where the server puts it (before the
/// HTTP version is dropped): what each request asks of its connection,
/// and `Expect: 100-continue`. `HTTPConnectionTests` holds the same rules over sockets.
@Suite struct HTTP1ConnectionRulesTests {
    static func channel(maximumBodyBytes: Int = 1024) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            HTTP1ConnectionRules(maximumBodyBytes: maximumBodyBytes, requestIDs: RequestIDs()))
        return channel
    }

    static func head(_ version: HTTPVersion = .http1_1, _ headers: [(String, String)] = []) -> HTTPServerRequestPart {
        .head(HTTPRequestHead(version: version, method: .POST, uri: "/v1/authorise/route/s", headers: HTTPHeaders(headers)))
    }

    /// The head as the next handler received it.
    static func passedOn(_ channel: EmbeddedChannel) throws -> HTTPRequestHead? {
        guard case .head(let head) = try channel.readInbound(as: HTTPServerRequestPart.self) else { return nil }
        return head
    }

    static func answer(_ channel: EmbeddedChannel) throws -> HTTPResponseHead? {
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else { return nil }
        _ = try channel.readOutbound(as: HTTPServerResponsePart.self)
        return head
    }

    @Test(arguments: [
        (HTTPVersion.http1_1, [("Connection", "close")], "close"),
        (.http1_1, [("Connection", "CLOSE")], "close"),
        (.http1_1, [("Connection", "keep-alive, close")], "close"),
        (.http1_0, [], "close"),
        (.http1_0, [("Connection", "keep-alive")], "keep-alive"),
        (.http1_1, [], nil),
    ] as [(HTTPVersion, [(String, String)], String?)])
    func eachRequestSaysWhetherItsConnectionLasts(version: HTTPVersion, headers: [(String, String)], connection: String?) throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head(version, headers))
        let head = try #require(try Self.passedOn(channel))
        if connection == "close" {
            #expect(head.headers["connection"] == ["close"], "spelt as Hummingbird and the pipeline read it")
        }
        #expect(try Self.answer(channel)?.headers["connection"].first == connection)
    }

    @Test func nothingIsReadAfterTheRequestThatEndsTheConnection() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head(.http1_1, [("Connection", "close")]))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        _ = try channel.readInbound(as: HTTPServerRequestPart.self)
        _ = try channel.readInbound(as: HTTPServerRequestPart.self)
        try channel.writeInbound(Self.head())
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil)
    }

    @Test func aContinueIsSentOnceTheAnswersBeforeItAreOut() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head())
        _ = try Self.passedOn(channel)
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        _ = try channel.readInbound(as: HTTPServerRequestPart.self)
        try channel.writeInbound(Self.head(.http1_1, [("Expect", "100-continue"), ("Content-Length", "10")]))
        let expecting = try #require(try Self.passedOn(channel))
        #expect(!expecting.headers.contains(name: "expect"), "met here, not passed on")
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil, "an answer is owed first")
        _ = try Self.answer(channel)
        guard case .head(let interim) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no 100 Continue")
            return
        }
        #expect(interim.status == .continue)
    }

    @Test func anAnswerKnownFromTheHeadIsGivenAtOnce() throws {
        for (headers, status) in [
            ([("Expect", "100-continue"), ("Content-Length", "2048")], HTTPResponseStatus.payloadTooLarge),
            ([("Expect", "something-else")], .expectationFailed),
        ] {
            let channel = try Self.channel()
            try channel.writeInbound(Self.head(.http1_1, headers))
            #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil, "never passed on")
            guard case .head(let answer) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
                Issue.record("no answer to \(headers)")
                continue
            }
            #expect(answer.status == status)
            #expect(answer.headers["connection"] == ["close"])
            #expect(answer.headers["x-request-id"].count == 1)
        }
    }

    @Test func http10sContinueIsIgnored() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head(.http1_0, [("Expect", "100-continue"), ("Content-Length", "10")]))
        #expect(try Self.passedOn(channel) != nil)
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil)
    }

    /// The refusal closes the connection whatever the request asked of it: while two handlers each
    /// kept their own count, an HTTP/1.0 `keep-alive` request refused for its expectation was told
    /// `Connection: keep-alive` and then closed.
    @Test func aRefusalSaysTheConnectionCloses() throws {
        for version in [HTTPVersion.http1_0, .http1_1] {
            let channel = try Self.channel()
            try channel.writeInbound(Self.head(version, [("Connection", "keep-alive"), ("Expect", "something-else")]))
            guard case .head(let answer) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
                Issue.record("no answer for \(version)")
                continue
            }
            #expect(answer.status == .expectationFailed)
            #expect(answer.headers["connection"] == ["close"], "\(version)")
            try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "{}")))
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
            try channel.writeInbound(Self.head())
            #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil, "nothing read after a refusal")
        }
    }

    /// A refusal owed behind an answer not yet out waits for it, and keeps the order of answers.
    @Test func aRefusalWaitsForTheAnswersBeforeIt() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head())
        _ = try Self.passedOn(channel)
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        _ = try channel.readInbound(as: HTTPServerRequestPart.self)
        try channel.writeInbound(Self.head(.http1_1, [("Expect", "something-else")]))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil, "the first answer is owed first")
        #expect(try Self.answer(channel)?.status == .ok)
        guard case .head(let refusal) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no refusal once the first answer was out")
            return
        }
        #expect(refusal.status == .expectationFailed)
    }
}
