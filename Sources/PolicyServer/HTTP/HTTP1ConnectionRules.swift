import NIOCore
import NIOHTTP1

/// What HTTP/1.1 asks of a connection that only a handler seeing the request's HTTP version can do:
/// it sits before the version is dropped (`HTTP1ToHTTPServerCodec`), so before both answer paths,
/// Hummingbird's router and the `AuthorisationPipeline`. One handler, one count of the requests not
/// yet answered: two handlers each kept their own, and every part of every call crossed both.
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
final class HTTP1ConnectionRules: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
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
    /// The last request passed on waits for `100 Continue`, once every answer before its own is out.
    private var owesContinue = false
    /// An answer given here instead of passing the request on.
    private var refusal = Refusal.none
    private var closeRequested = false
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
            read(head, as: data, context: context)
        case .body:
            context.fireChannelRead(data)
        case .end:
            ignoresReads = closeRequested
            context.fireChannelRead(data)
        }
    }

    private func read(_ head: HTTPRequestHead, as data: NIOAny, context: ChannelHandlerContext) {
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
        context.fireChannelRead(expects || persistence == .close ? wrapInboundOut(.head(head)) : data)
        if waitsForContinue {
            owesContinue = true
            sendWhatIsDue(context: context)
        }
    }

    /// Spec 4.1: this answer too carries the request's ID, as the router's and the pipeline's do.
    private func refuse(_ head: HTTPRequestHead, _ problem: HTTPProblem, context: ChannelHandlerContext) {
        let requestID = Correlation.usable(head.headers[Correlation.requestIDHeader.canonicalName]) ?? requestIDs.next()
        refusal = .owed(problem, requestID: requestID)
        ignoresReads = true
        sendWhatIsDue(context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        // An interim answer (`100 Continue`) is followed by the final one, which is the request's.
        case .head(var head) where head.status.code >= 200 || head.status == .switchingProtocols:
            switch persistenceOfUnanswered.popFirst() {
            case .keepAlive?, nil:
                context.write(data, promise: promise)
            case .keepAliveOfHTTP10?:
                head.headers.replaceOrAdd(name: "connection", value: "keep-alive")
                context.write(wrapOutboundOut(.head(head)), promise: promise)
            case .close?:
                head.headers.replaceOrAdd(name: "connection", value: "close")
                context.write(wrapOutboundOut(.head(head)), promise: promise)
            }
        case .head, .body:
            context.write(data, promise: promise)
        case .end:
            context.write(data, promise: promise)
            // Never below 0: an answer to bytes that were no request (a 400) was counted by no head.
            answersOwed = max(0, answersOwed - 1)
            sendWhatIsDue(context: context)
        }
    }

    private func sendWhatIsDue(context: ChannelHandlerContext) {
        if owesContinue, answersOwed == 1 {
            owesContinue = false
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
