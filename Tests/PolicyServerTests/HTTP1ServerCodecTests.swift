import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
@testable import PolicyServer
import Testing

/// `HTTP1ServerCodec` in process, over `EmbeddedChannel`, where the server puts it (behind NIO's
/// HTTP/1 decoder, before the HTTP version is dropped): NIO's parts to swift-http-types', what each
/// request asks of its connection, and `Expect: 100-continue`. `HTTPConnectionTests` holds the same
/// rules over sockets.
@Suite struct HTTP1ServerCodecTests {
    static func channel(maximumBodyBytes: Int = 1024) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            HTTP1ServerCodec(maximumBodyBytes: maximumBodyBytes, requestIDs: RequestIDs()))
        return channel
    }

    static func head(_ version: HTTPVersion = .http1_1, _ headers: [(String, String)] = []) -> HTTPServerRequestPart {
        .head(HTTPRequestHead(version: version, method: .POST, uri: "/v1/authorise/route/s", headers: HTTPHeaders(headers)))
    }

    /// The head as the next handler received it.
    static func passedOn(_ channel: EmbeddedChannel) throws -> HTTPRequest? {
        guard case .head(let head) = try channel.readInbound(as: HTTPRequestPart.self) else { return nil }
        return head
    }

    static func answer(_ channel: EmbeddedChannel) throws -> HTTPResponseHead? {
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
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
            #expect(head.headerFields[values: .connection] == ["close"], "spelt as Hummingbird and the pipeline read it")
        }
        #expect(try Self.answer(channel)?.headers["connection"].first == connection)
    }

    @Test func nothingIsReadAfterTheRequestThatEndsTheConnection() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head(.http1_1, [("Connection", "close")]))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        _ = try channel.readInbound(as: HTTPRequestPart.self)
        _ = try channel.readInbound(as: HTTPRequestPart.self)
        try channel.writeInbound(Self.head())
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
    }

    @Test func aContinueIsSentOnceTheAnswersBeforeItAreOut() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head())
        _ = try Self.passedOn(channel)
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        _ = try channel.readInbound(as: HTTPRequestPart.self)
        try channel.writeInbound(Self.head(.http1_1, [("Expect", "100-continue"), ("Content-Length", "10")]))
        let expecting = try #require(try Self.passedOn(channel))
        #expect(expecting.headerFields[HTTPField.Name("Expect")!] == nil, "met here, not passed on")
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil, "an answer is owed first")
        _ = try Self.answer(channel)
        guard case .head(let interim) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no 100 Continue")
            return
        }
        #expect(interim.status == .continue)
    }

    /// A request behind the one that expects: the `100 Continue` still leaves as soon as the
    /// answers before its own request are out, never after its request's final answer (it waited
    /// until one answer was owed in all, which with a request behind came after; found by a probe).
    @Test func aContinueComesBeforeItsOwnRequestsAnswerWhateverFollows() throws {
        let channel = try Self.channel()
        for headers in [[], [("Expect", "100-continue"), ("Content-Length", "2")], []] as [[(String, String)]] {
            try channel.writeInbound(Self.head(.http1_1, headers))
            _ = try Self.passedOn(channel)
            try channel.writeInbound(HTTPServerRequestPart.end(nil))
            _ = try channel.readInbound(as: HTTPRequestPart.self)
        }
        #expect(try Self.answer(channel)?.status == .ok, "the first request's answer")
        guard case .head(let interim) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no 100 Continue after the first answer")
            return
        }
        #expect(interim.status == .continue)
        #expect(try Self.answer(channel)?.status == .ok, "the expecting request's own answer")
        #expect(try Self.answer(channel)?.status == .ok)
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil, "no late 100")
    }

    @Test func anAnswerKnownFromTheHeadIsGivenAtOnce() throws {
        for (headers, status) in [
            ([("Expect", "100-continue"), ("Content-Length", "2048")], HTTPResponseStatus.payloadTooLarge),
            ([("Expect", "something-else")], .expectationFailed),
        ] {
            let channel = try Self.channel()
            try channel.writeInbound(Self.head(.http1_1, headers))
            #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil, "never passed on")
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
    /// Bytes that are no request, between requests: the codec refuses them itself, as JSON with a
    /// request ID; passed on, Hummingbird answered a `400` with no body.
    @Test func unreadableBytesBetweenRequestsAreRefusedHere() throws {
        let channel = try Self.channel()
        channel.pipeline.fireErrorCaught(HTTPParserError.invalidHeaderToken)
        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no answer")
            return
        }
        #expect(head.status == .badRequest)
        #expect(head.headers["connection"] == ["close"])
        #expect(head.headers["x-request-id"].count == 1)
        guard case .body(.byteBuffer(let body)) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no body")
            return
        }
        #expect(String(buffer: body) == #"{"detail":"the request could not be read: HTTPParserError"}"#)
        #expect(throws: Never.self) { try channel.throwIfErrorCaught() }
    }

    /// Bytes after a request that ends the connection are not read (RFC 9112 §9.6): NIO's parser
    /// takes them for an error, which is not answered (a second, unasked-for 400 went out).
    @Test func bytesAfterTheRequestThatEndsTheConnectionAreNotAnswered() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head(.http1_1, [("Connection", "close")]))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        _ = try Self.passedOn(channel)
        channel.pipeline.fireErrorCaught(HTTPParserError.closedConnection)
        #expect(try Self.answer(channel)?.status == .ok)
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil, "nothing after the request's own answer")
        #expect(throws: Never.self) { try channel.throwIfErrorCaught() }
    }

    /// A route that never reads its body has answered; Hummingbird then meets the body's unreadable
    /// bytes and writes a `400` of its own, a second answer to one request. It is not sent, and the
    /// connection closes.
    @Test func noRequestIsAnsweredTwice() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head())
        _ = try Self.passedOn(channel)
        #expect(try Self.answer(channel)?.status == .ok)
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .badRequest)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil)
        #expect(!channel.isActive)
    }

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
            #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil, "nothing read after a refusal")
        }
    }

    /// A refusal owed behind an answer not yet out waits for it, and keeps the order of answers.
    @Test func aRefusalWaitsForTheAnswersBeforeIt() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head())
        _ = try Self.passedOn(channel)
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        _ = try channel.readInbound(as: HTTPRequestPart.self)
        try channel.writeInbound(Self.head(.http1_1, [("Expect", "something-else")]))
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil, "the first answer is owed first")
        #expect(try Self.answer(channel)?.status == .ok)
        guard case .head(let refusal) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no refusal once the first answer was out")
            return
        }
        #expect(refusal.status == .expectationFailed)
    }

    /// A target in origin form is the path as sent, byte for byte, as NIO's conversion gave it; any
    /// other form is NIO's conversion's.
    @Test(arguments: [
        "/v1/authorise/route/s?route=%2Fdata%2F%7Bns%7D&method=GET", "/", "//double/slash", "/a b", "/%zz?x={y}",
        "/http://evil.example/path", "/v1/gateway/s/a/../b;x=1", "/caf\u{e9}",
    ])
    func anOriginFormTargetIsThePathAsSent(target: String) throws {
        let head = HTTPRequestHead(
            version: .http1_1, method: .POST, uri: target, headers: ["Host": "policyd.example", "Authorization": "Bearer t"])
        let converted = try HTTP1ServerCodec.request(head)
        let nios = try HTTPRequest(head, secure: false, splitCookie: false)
        #expect(converted.path == target)
        #expect(converted.path == nios.path)
        #expect(converted.method == nios.method)
        #expect(converted.scheme == nios.scheme)
        #expect(converted.authority == nios.authority)
        #expect(converted.headerFields == nios.headerFields)
    }

    @Test func anAbsoluteFormTargetIsReadByNIOsConversion() throws {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "http://policyd.example/v1/ping?x=1")
        #expect(try HTTP1ServerCodec.request(head).path == "/v1/ping?x=1")
    }

    @Test func partsCrossInBothDirections() throws {
        let channel = try Self.channel()
        try channel.writeInbound(Self.head())
        _ = try Self.passedOn(channel)
        try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "{}")))
        guard case .body(let body) = try channel.readInbound(as: HTTPRequestPart.self) else {
            Issue.record("no body passed on")
            return
        }
        #expect(String(buffer: body) == "{}")
        try channel.writeInbound(HTTPServerRequestPart.end(["Trailer-Field": "1"]))
        guard case .end(let trailers) = try channel.readInbound(as: HTTPRequestPart.self) else {
            Issue.record("no end passed on")
            return
        }
        #expect(trailers?[HTTPField.Name("Trailer-Field")!] == "1")
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .created, headerFields: [.contentLength: "2"])))
        try channel.writeOutbound(HTTPResponsePart.body(ByteBuffer(string: "ok")))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no head written")
            return
        }
        #expect(head.status == .created)
        #expect(head.version == .http1_1)
        #expect(head.headers["content-length"] == ["2"])
        guard case .body(.byteBuffer(let written)) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no body written")
            return
        }
        #expect(String(buffer: written) == "ok")
        guard case .end(nil) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no end written")
            return
        }
    }
}
