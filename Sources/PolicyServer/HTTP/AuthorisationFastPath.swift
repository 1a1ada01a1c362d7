import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes
import PolicyCore

/// Answers on the connection's event loop the authorisation calls that need nothing but what is at
/// hand: a `POST` to an `AuthorisationTarget` whose body has arrived within the limit, that
/// `AuthorisationEndpoint.prepare` reads without a complaint, and whose token the cache holds (or
/// that presents no usable token). Every other request, and every such call it cannot answer at
/// once, goes on to Hummingbird exactly as it came, so that errors, token verification and every
/// other path keep their one implementation. The answer is `AuthorisationEndpoint.answer`'s, with the
/// headers Hummingbird writes (content type, length and date) and the request's `X-Request-ID` as
/// `RequestLogMiddleware` sets it (spec 4.1), counted in the same request metric and logged in the
/// same line.
///
/// Why: handing a request from the event loop to Swift concurrency's pool and taking its answer
/// back cost a busy server more than the whole decision (docs/performance.md).
///
/// HTTP/1.1 answers must leave in the order of their requests: a call is answered here only once
/// every request passed on before it has been answered (its answer's end seen going out). It sits
/// after Hummingbird's connection-state handler, so that the idle timeout and a graceful shutdown
/// see these requests and answers like any other.
final class AuthorisationFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        case betweenRequests
        /// The request is Hummingbird's: its parts go on as they come.
        case passingOn
        case collecting(Collected)
    }

    private struct Collected {
        let target: AuthorisationTarget
        let head: HTTPRequest
        var body: ByteBuffer?
        let received: ContinuousClock.Instant
    }

    private let endpoint: AuthorisationEndpoint
    private let paths: AuthorisationTarget.Paths
    private let requestIDs: RequestIDs
    private let logger: Logger
    private var state = State.betweenRequests
    /// Requests passed on whose answers have not gone out yet.
    private var unansweredPassedOn = 0
    private var needsFlush = false
    private var date = HTTPDateHeader()

    init(endpoint: AuthorisationEndpoint, paths: AuthorisationTarget.Paths, requestIDs: RequestIDs, logger: Logger) {
        self.endpoint = endpoint
        self.paths = paths
        self.requestIDs = requestIDs
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch (state, part) {
        case (.betweenRequests, .head(let head)):
            // A client that does not read its answers gets them no faster than Hummingbird writes
            // them: a channel that is not writable leaves the call to it, which waits.
            if unansweredPassedOn == 0, context.channel.isWritable, let target = target(of: head) {
                state = .collecting(Collected(target: target, head: head, received: .now))
            } else {
                unansweredPassedOn += 1
                state = .passingOn
                context.fireChannelRead(data)
            }
        case (.collecting(var collected), .body(let chunk)):
            if (collected.body?.readableBytes ?? 0) + chunk.readableBytes > endpoint.limits.maximumBodyBytes {
                passOn(collected, context: context)
                context.fireChannelRead(data)
                state = .passingOn
                return
            }
            state = .betweenRequests  // drops the state's reference to the body, so that it grows in place
            if collected.body == nil { collected.body = chunk } else { collected.body!.writeImmutableBuffer(chunk) }
            state = .collecting(collected)
        case (.collecting(let collected), .end(let trailers)):
            state = .betweenRequests
            let correlation = Correlation(headers: collected.head.headerFields, requestIDs: requestIDs)
            if trailers == nil, let answer = answer(collected, correlation: correlation) {
                write(answer, requestID: correlation.requestID, context: context)
                endpoint.metrics.eventLoopAnswers.increment()
                endpoint.metrics.recordRequest(
                    route: collected.target.routePattern, nanoseconds: (ContinuousClock.now - collected.received).nanoseconds)
                logger.debug(
                    "request",
                    metadata: correlation.logMetadata.merging([
                        "method": "POST", "path": "\(collected.head.path?.prefix { $0 != "?" } ?? "")", "status": "200",
                        "duration": "\(ContinuousClock.now - collected.received)",
                    ]) { $1 })
            } else {
                passOn(collected, context: context)
                context.fireChannelRead(data)
            }
        case (.passingOn, .end):
            state = .betweenRequests
            context.fireChannelRead(data)
        case (.collecting(let collected), .head):
            // Not what an HTTP/1 decoder delivers; Hummingbird is the one to refuse it. Both heads
            // are passed on, and both answers awaited.
            passOn(collected, context: context)
            unansweredPassedOn += 1
            state = .passingOn
            context.fireChannelRead(data)
        case (.passingOn, _), (.betweenRequests, _):
            context.fireChannelRead(data)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { unansweredPassedOn = max(0, unansweredPassedOn - 1) }
        context.write(data, promise: promise)
    }

    /// A call this handler may take: POST, not the last request of its connection (Hummingbird closes
    /// the connection after it: `PersistentConnection` spells every such request `Connection: close`),
    /// and a plain target. `Expect` never reaches here: `ExpectContinue` has met it.
    private func target(of head: HTTPRequest) -> AuthorisationTarget? {
        guard head.method == .post, head.headerFields[.connection] != "close", let path = head.path else { return nil }
        return AuthorisationTarget(path: path, paths: paths)
    }

    /// The answer's body, or nil when the call must go to Hummingbird: a problem to report, or a
    /// token to verify.
    private func answer(_ collected: Collected, correlation: Correlation) -> [UInt8]? {
        let target = collected.target
        let caller: AuthorisationCall.Caller
        let call: AuthorisationCall
        do {
            call = try endpoint.prepare(
                target.type, service: target.service, queryString: try endpoint.readQueryString(target.query),
                body: collected.body ?? ByteBuffer(), headers: collected.head.headerFields, received: collected.received)
        } catch {
            return nil
        }
        switch call.presentedToken {
        case .denied(let reason):
            caller = .refused(reason)
        case .token(let token, _):
            guard let cached = endpoint.authenticator.cachedCaller(token, for: call.policy) else { return nil }
            caller = .verified(cached)
        }
        return endpoint.answer(call, caller: caller, correlation: correlation, logger: logger)
    }

    private func write(_ answer: [UInt8], requestID: String, context: ChannelHandlerContext) {
        let body = context.channel.allocator.buffer(bytes: answer)
        var fields = HTTPFields()
        fields.reserveCapacity(4)
        fields[.contentType] = "application/json"
        fields[.contentLength] = String(body.readableBytes)
        fields[.date] = date.current()
        fields[Correlation.requestIDHeader] = requestID
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .ok, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        needsFlush = true
    }

    /// The collected head and body, on to Hummingbird as they came (the body in one part).
    private func passOn(_ collected: Collected, context: ChannelHandlerContext) {
        unansweredPassedOn += 1
        context.fireChannelRead(wrapInboundOut(.head(collected.head)))
        if let body = collected.body { context.fireChannelRead(wrapInboundOut(.body(body))) }
    }
}
