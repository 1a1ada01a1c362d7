import NIOCore
import NIOHTTP1

/// `Expect: 100-continue` (RFC 9110 §10.1.1), met before the request goes on to either answer path: a
/// client that sends it (curl does for bodies over 1 KiB) waits for `100 Continue` before it sends the
/// body, and neither Hummingbird nor NIO sends one. The `100 Continue` leaves as soon as the answers to
/// the requests before this one are out (answers keep the order of requests). When the answer is
/// known from the head alone, it is given at once instead, and the body never read: a
/// `Content-Length` over `--max-body-bytes` is a 413, and any other expectation a 417. Either closes the
/// connection, since the body the client may still send cannot be told from a next request. An
/// HTTP/1.0 request's `100-continue` is ignored, as the RFC asks (HTTP/1.0 has no interim answers).
/// It sits before the HTTP version is dropped, and before `AuthorisationFastPath`, which would
/// otherwise wait for a body that never comes.
final class ExpectContinue: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Refusal {
        case none
        /// Given once every answer before it is out, with the request's ID; from then on nothing more
        /// is read.
        case owed(HTTPProblem, requestID: String)
        case sent
    }

    private let maximumBodyBytes: Int
    private let requestIDs: RequestIDs
    /// Requests passed on whose final answers have not gone out yet.
    private var unanswered = 0
    /// The last request passed on waits for `100 Continue`, once every answer before its own is out.
    private var owesContinue = false
    /// An answer given here instead of passing the request on.
    private var refusal = Refusal.none
    private var date = HTTPDateHeader()

    init(maximumBodyBytes: Int, requestIDs: RequestIDs) {
        self.maximumBodyBytes = maximumBodyBytes
        self.requestIDs = requestIDs
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .none = refusal else { return }
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        guard head.headers.contains(name: "expect") else {
            unanswered += 1
            context.fireChannelRead(data)
            return
        }
        let expectations = head.headers[canonicalForm: "expect"].filter { !$0.isEmpty }.map { $0.lowercased() }
        head.headers.remove(name: "expect")
        // Spec 4.1: this answer too carries the request's ID, as the router's and the fast path's do.
        func refused(_ problem: HTTPProblem) -> Refusal {
            .owed(problem, requestID: Correlation.usable(head.headers[Correlation.requestIDHeader.canonicalName]) ?? requestIDs.next())
        }
        if expectations.contains(where: { $0 != "100-continue" }) {
            refusal = refused(HTTPProblem(.expectationFailed, "the only expectation policyd meets is 'Expect: 100-continue'"))
            sendWhatIsDue(context: context)
            return
        }
        // HTTP/1.0 knows no interim answers: its `100-continue` is as if not sent.
        let expectsContinue = !expectations.isEmpty && (head.version.major > 1 || head.version.minor >= 1)
        let length = head.headers.first(name: "content-length").flatMap { Int($0) }
        if expectsContinue, let length, length > maximumBodyBytes {
            refusal = refused(.bodyTooLarge(limit: maximumBodyBytes))
            sendWhatIsDue(context: context)
            return
        }
        unanswered += 1
        context.fireChannelRead(wrapInboundOut(.head(head)))
        // A request whose framing says it has no body needs no `100 Continue`.
        guard expectsContinue, (length ?? 0) > 0 || head.headers.contains(name: "transfer-encoding") else { return }
        owesContinue = true
        sendWhatIsDue(context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data) {
            // Never below 0: an answer to bytes that were no request (a 400) was counted by no head.
            unanswered = max(0, unanswered - 1)
            sendWhatIsDue(context: context)
        }
    }

    private func sendWhatIsDue(context: ChannelHandlerContext) {
        if owesContinue, unanswered == 1 {
            owesContinue = false
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
        } else if case .owed(let problem, let requestID) = refusal, unanswered == 0 {
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
