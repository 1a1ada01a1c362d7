import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// HTTP/1 as the handlers behind it see it: NIO's request parts in, swift-http-types' parts out (and
/// the other way for answers), with what HTTP/1.1 asks of a connection that only a handler seeing the
/// request's HTTP version can do, before the version is dropped. Both answer paths, Hummingbird's
/// router and the `AuthorisationPipeline`, sit behind it. One handler for both: the conversion was
/// NIO's `HTTP1ToHTTPServerCodec`, one more handler that every part of every call crossed each way.
///
/// **The conversion** is NIO's (`HTTPRequest(_:secure:splitCookie:)`, `HTTPResponseHead(_:)`), but a
/// target in origin form, `/…` (what a client sends to a server that is no proxy), is taken as the
/// path as it is: NIO's conversion parsed every target with Foundation's `URLComponents` to find the
/// path of an absolute form, 2.5% of a busy server's samples, and gave a target that starts with `/`
/// back unchanged (`URLComponents` finds no scheme in it, or cannot parse it). Every other form still
/// goes through NIO's.
///
/// **Whether a connection outlives a request** (RFC 9112 §9.3, §9.6): `Connection` is a list of
/// case-insensitive options, `close` anywhere in it ends the connection after the answer, and an
/// HTTP/1.0 request keeps the connection only with `keep-alive` (NIO's parser reads the list so:
/// `HTTPRequestHead.isKeepAlive`). Hummingbird closes a connection after a request whose `Connection`
/// is exactly `close`, so a request that ends its connection goes on with `Connection: close` and
/// nothing else there. The answer says so: `Connection: close` to a request that ends the connection,
/// `Connection: keep-alive` to an HTTP/1.0 request that keeps it (an HTTP/1.0 client expects its
/// connection closed otherwise). Nothing sent after a request that ends the connection is read.
///
/// **`Expect: 100-continue`** (RFC 9110 §10.1.1): a client that sends it (curl does for bodies over
/// 1 KiB) waits for `100 Continue` before it sends the body, and neither Hummingbird nor NIO sends
/// one. It leaves as soon as the answers to the requests before this one are out (answers keep the
/// order of requests). When the answer is known from the head alone it is given at once instead, and
/// the body never read: a `Content-Length` over `--max-body-bytes` is a 413, any other expectation a
/// 417. Either closes the connection, since the body the client may still send cannot be told from a
/// next request. An HTTP/1.0 request's `100-continue` is ignored, as the RFC asks.
///
/// **Bytes that are no request** are refused here when they come between requests (JSON, with a
/// request ID, the connection closed), and a request gets one answer: Hummingbird's own `400` to
/// unreadable body bytes of a request a route had already answered is not sent.
final class HTTP1ServerCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Persistence {
        case keepAlive
        /// HTTP/1.0 with `keep-alive`: the answer must confirm it.
        case keepAliveOfHTTP10
        case close
    }

    private enum Refusal {
        case none
        /// Given once every answer before it is out, with the request's ID.
        case owed(HTTPProblem, requestID: String)
        case sent
    }

    private let maximumBodyBytes: Int
    private let requestIDs: RequestIDs
    /// What each request passed on asked of the connection, until its final answer's head goes out.
    private var persistenceOfUnanswered = CircularBuffer<Persistence>(initialCapacity: 2)
    /// Requests passed on whose answers have not ended yet.
    private var answersOwed = 0
    /// Answers ended on this connection so far.
    private var answersEnded = 0
    /// For each request passed on that waits for `100 Continue`, in order: the number of answers
    /// ended once every answer before its own is out. Its `100` leaves then, before its own answer.
    private var continuesDue = CircularBuffer<Int>(initialCapacity: 1)
    /// An answer given here instead of passing the request on.
    private var refusal = Refusal.none
    private var closeRequested = false
    /// A request passed on whose end has not been: bytes inside it that do not decode are its reader's
    /// to answer (the authorisation pipeline, or a route's body reader).
    private var readingRequest = false
    /// An answer is being written that answers no request: Hummingbird's `400` to body bytes it could
    /// not read, after a route that never read the body had answered. Dropped, and the connection
    /// (whose framing is lost) closed: a request gets one answer.
    private var droppingAnswer = false
    /// Nothing more is read: the request that ends the connection was read whole, or one was refused.
    private var ignoresReads = false
    private var date = HTTPDateHeader()

    init(maximumBodyBytes: Int, requestIDs: RequestIDs) {
        self.maximumBodyBytes = maximumBodyBytes
        self.requestIDs = requestIDs
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !ignoresReads else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            read(head, context: context)
        case .body(let body):
            context.fireChannelRead(wrapInboundOut(.body(body)))
        case .end(let trailers):
            ignoresReads = closeRequested
            readingRequest = false
            context.fireChannelRead(wrapInboundOut(.end(trailers.map { HTTPFields($0, splitCookie: false) })))
        }
    }

    private func read(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        var head = head
        var waitsForContinue = false
        let expects = head.headers.contains(name: "expect")
        if expects {
            let expectations = head.headers[canonicalForm: "expect"].filter { !$0.isEmpty }.map { $0.lowercased() }
            head.headers.remove(name: "expect")
            // HTTP/1.0 knows no interim answers: its `100-continue` is as if not sent.
            let expectsContinue = !expectations.isEmpty && (head.version.major > 1 || head.version.minor >= 1)
            let length = head.headers.first(name: "content-length").flatMap { Int($0) }
            if expectations.contains(where: { $0 != "100-continue" }) {
                refuse(head, HTTPProblem(.expectationFailed, "the only expectation policyd meets is 'Expect: 100-continue'"), context: context)
                return
            }
            if expectsContinue, let length, length > maximumBodyBytes {
                refuse(head, .bodyTooLarge(limit: maximumBodyBytes), context: context)
                return
            }
            // A request whose framing says it has no body needs no `100 Continue`.
            waitsForContinue = expectsContinue && ((length ?? 0) > 0 || head.headers.contains(name: "transfer-encoding"))
        }
        let persistence: Persistence =
            !head.isKeepAlive ? .close : head.version.major == 1 && head.version.minor == 0 ? .keepAliveOfHTTP10 : .keepAlive
        if persistence == .close {
            closeRequested = true
            head.headers.replaceOrAdd(name: "connection", value: "close")
        }
        persistenceOfUnanswered.append(persistence)
        answersOwed += 1
        do {
            let request = try Self.request(head)
            readingRequest = true
            context.fireChannelRead(wrapInboundOut(.head(request)))
        } catch {
            // A method llhttp let through that swift-http-types does not take: NIO's conversion
            // failed the same way, and Hummingbird answers the error.
            context.fireErrorCaught(error)
            return
        }
        if waitsForContinue {
            continuesDue.append(answersEnded + answersOwed - 1)
            sendWhatIsDue(context: context)
        }
    }

    /// Spec 4.1: this answer too carries the request's ID, as the router's and the pipeline's do.
    private func refuse(_ head: HTTPRequestHead?, _ problem: HTTPProblem, context: ChannelHandlerContext) {
        let requestID = head.flatMap { Correlation.usable($0.headers[Correlation.requestIDHeader.canonicalName]) } ?? requestIDs.next()
        refusal = .owed(problem, requestID: requestID)
        ignoresReads = true
        sendWhatIsDue(context: context)
    }

    /// Bytes between requests that are no request (a header line without a colon, an unknown method,
    /// two `Content-Length`s): refused here, as JSON (spec 4), once the answers owed before are out.
    /// Passed on, they reached Hummingbird, whose answer is a `400` with no body.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError, !readingRequest else { return context.fireErrorCaught(error) }
        // After a request that ends the connection (read whole), or a refusal, nothing more is read
        // (RFC 9112 §9.6): NIO's parser takes what follows for an error, which is not answered.
        guard !ignoresReads, case .none = refusal else { return }
        refuse(nil, .undecodableRequest(error), context: context)
    }

    /// The head as swift-http-types spells it (see the type's note on the conversion).
    static func request(_ head: HTTPRequestHead) throws -> HTTPRequest {
        guard head.uri.utf8.first == UInt8(ascii: "/") else { return try HTTPRequest(head, secure: false, splitCookie: false) }
        return HTTPRequest(
            method: try HTTPRequest.Method(head.method), scheme: "http", authority: head.headers.first(name: "host"),
            path: head.uri, headerFields: HTTPFields(head.headers, splitCookie: false))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        if case .head(let response) = part, response.status.code >= 200, answersOwed == 0 { droppingAnswer = true }
        if droppingAnswer {
            promise?.succeed()
            if case .end = part {
                droppingAnswer = false
                context.close(promise: nil)
            }
            return
        }
        switch part {
        // An interim answer (`100 Continue`) is followed by the final one, which is the request's.
        case .head(let response) where response.status.code >= 200 || response.status == .switchingProtocols:
            var head = HTTPResponseHead(response)
            switch persistenceOfUnanswered.popFirst() {
            case .keepAlive?, nil:
                break
            case .keepAliveOfHTTP10?:
                head.headers.replaceOrAdd(name: "connection", value: "keep-alive")
            case .close?:
                head.headers.replaceOrAdd(name: "connection", value: "close")
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .head(let response):
            context.write(wrapOutboundOut(.head(HTTPResponseHead(response))), promise: promise)
        case .body(let body):
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: promise)
        case .end(let trailers):
            context.write(wrapOutboundOut(.end(trailers.map(HTTPHeaders.init))), promise: promise)
            answersOwed -= 1
            answersEnded += 1
            sendWhatIsDue(context: context)
        }
    }

    private func sendWhatIsDue(context: ChannelHandlerContext) {
        if continuesDue.first == answersEnded {
            continuesDue.removeFirst()
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
        } else if case .owed(let problem, let requestID) = refusal, answersOwed == 0 {
            refusal = .sent
            let body = context.channel.allocator.buffer(bytes: problem.body)
            let head = HTTPResponseHead(
                version: .http1_1, status: HTTPResponseStatus(statusCode: problem.status.code),
                headers: [
                    "Content-Type": "application/json", "Content-Length": String(body.readableBytes),
                    "Connection": "close", "Date": date.current(), "X-Request-ID": requestID,
                ])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }
}
