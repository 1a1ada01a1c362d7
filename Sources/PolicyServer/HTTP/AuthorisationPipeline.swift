import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import PolicyCore
import PolicyTokens

/// The one way an authorisation call goes from its request to its answer: every request whose target
/// names `{prefix}/authorise/{type}/{service}` (`AuthorisationTarget`) is read, routed, decided,
/// timed, logged, audited and answered here, on the connection's event loop, whatever its method and
/// whatever its token's cache state; every other request goes on to Hummingbird as it came.
///
/// A token the cache does not hold is verified at once when nothing has to be waited for
/// (`TokenAuthenticator.lookUp`), otherwise off the event loop (the issuer's keys to fetch, its
/// groups to ask), and the call continues from where it is when the verification ends: nothing is
/// read twice. The order of answers on the connection, shared with Hummingbird, is `RequestOrder`'s.
///
/// Why not a route of the router: handing a request from the event loop to Swift concurrency's pool
/// and taking its answer back cost a busy server more than the whole decision (docs/performance.md).
/// It sits behind Hummingbird's connection-state handler, so that the idle timeout and a graceful
/// shutdown see these requests and answers like any other.
final class AuthorisationPipeline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The call in hand, from its head to its answer: one object, so that the steps hand it on
    /// without copying what it holds.
    private final class Call {
        let head: HTTPRequest
        let correlation: Correlation
        var arrival: AuthorisationEndpoint.Arrival
        /// What the call is answered, once known.
        var answer: Answer?

        init(head: HTTPRequest, correlation: Correlation, arrival: AuthorisationEndpoint.Arrival) {
            self.head = head
            self.correlation = correlation
            self.arrival = arrival
        }
    }

    private struct Answer {
        let status: HTTPResponse.Status
        let body: [UInt8]
        var headers: HTTPFields = [:]
        /// A decision's `X-Policy-Revision`, made with the set that decided.
        var revision: HTTPField?
    }

    private let endpoint: AuthorisationEndpoint
    private let paths: AuthorisationTarget.Paths
    private let observer: RequestObserver
    private let logger: Logger
    private var order = RequestOrder()
    private var call: Call?
    /// Inside a read cycle, answers are flushed once at its end; outside it, at once.
    private var isReading = false
    private var needsFlush = false
    private var isAdded = false
    private var date = HTTPDateHeader()

    init(endpoint: AuthorisationEndpoint, paths: AuthorisationTarget.Paths, observer: RequestObserver, logger: Logger) {
        self.endpoint = endpoint
        self.paths = paths
        self.observer = observer
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        isAdded = true
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        isAdded = false
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        isReading = true
        let part = unwrapInboundIn(data)
        if order.mustHold(part) {
            order.hold(part)
        } else {
            take(part, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        isReading = false
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch order.phase {
        case .answeringCall:
            order.holdError(error)
        case .readingCall where error is HTTPParserError:
            // A body that does not decode (a chunk size `zz`): refused as any unreadable request is,
            // and the connection closed, since where the next request starts cannot be known.
            guard let call else { return context.fireErrorCaught(error) }
            order.callRead()
            answer(call, with: Self.problemAnswer(.undecodableRequest(error)), context: context)
        case .readingCall:
            call = nil
            order.callAbandoned()
            context.fireErrorCaught(error)
        case .idle:
            if order.isHolding { order.holdError(error) } else { context.fireErrorCaught(error) }
        }
    }

    private func take(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            if let target = AuthorisationTarget(target: head.path ?? "", paths: paths) {
                order.callBegan()
                call = Call(
                    head: head, correlation: observer.correlation(of: head.headerFields),
                    arrival: .init(target: target, headers: head.headerFields, received: .now))
            } else {
                order.passedOnHead()
                context.fireChannelRead(wrapInboundOut(part))
            }
        case .body(let chunk):
            guard order.phase == .readingCall, let call else {
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            call.arrival.collect(chunk, limit: endpoint.limits.maximumBodyBytes, wanted: call.head.method == .post)
        case .end:
            guard order.phase == .readingCall, let call else {
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            order.callRead()
            decide(call, context: context)
        }
    }

    // MARK: Deciding

    private func decide(_ call: Call, context: ChannelHandlerContext) {
        guard call.head.method == .post else {
            return answer(call, with: Self.problemAnswer(.methodNotAllowed(allowed: [.post])), context: context)
        }
        let prepared: AuthorisationCall
        do {
            prepared = try endpoint.prepare(call.arrival)
        } catch {
            answer(call, with: Self.problemAnswer(error), context: context)
            if error.status == .notFound { endpoint.recordWithoutPolicy(call.arrival, correlation: call.correlation) }
            return
        }
        switch prepared.presentedToken {
        case .denied(let reason):
            finish(call, prepared, .refused(reason), context: context)
        case .token(let token, _):
            switch endpoint.authenticator.lookUp(token, for: prepared.policy) {
            case .answered(let authentication):
                finish(call, prepared, .init(authentication), context: context)
            case .needsVerification(let pending):
                let authenticator = endpoint.authenticator
                let verified = context.eventLoop.makePromise(of: Result<AuthenticatedCaller, TokenRejection>.self)
                verified.completeWithTask { await authenticator.verify(pending) }
                verified.futureResult.assumeIsolated().whenSuccess { authentication in
                    guard self.isAdded else { return }
                    self.finish(call, prepared, .init(authentication), context: context)
                }
            }
        }
    }

    private func finish(
        _ call: Call, _ prepared: AuthorisationCall, _ caller: AuthorisationCall.Caller, context: ChannelHandlerContext
    ) {
        let answered = endpoint.answer(prepared, caller: caller, correlation: call.correlation, logger: logger)
        answer(call, with: Answer(status: .ok, body: answered.body, revision: prepared.snapshot.revisionField), context: context)
        endpoint.record(answered)
    }

    private static func problemAnswer(_ problem: HTTPProblem) -> Answer {
        Answer(status: problem.status, body: problem.body, headers: problem.headers)
    }

    // MARK: Answering

    /// Written now if every answer owed before it is out, otherwise once they are.
    private func answer(_ call: Call, with answer: Answer, context: ChannelHandlerContext) {
        call.answer = answer
        self.call = call
        if order.mayAnswer { writeAnswer(context: context) }
    }

    private func writeAnswer(context: ChannelHandlerContext) {
        guard let call, let answer = call.answer else { return }
        self.call = nil
        order.callAnswered()
        var fields = HTTPFields()
        fields.reserveCapacity(5 + answer.headers.count)
        fields[.contentType] = "application/json"
        fields[.contentLength] = String(answer.body.count)
        fields[.date] = date.current()
        fields[Correlation.requestIDHeader] = call.correlation.requestID
        if let revision = answer.revision { fields.append(revision) }
        fields.append(contentsOf: answer.headers)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: fields))), promise: nil)
        // A HEAD request's answer says how long the body would be, and has none.
        if call.head.method != .head {
            context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: answer.body))), promise: nil)
        }
        observer.answered(
            route: call.arrival.target.routePattern, method: call.head.method,
            path: call.arrival.target.path, status: answer.status, correlation: call.correlation,
            since: call.arrival.received, logger: logger)
        // `HTTP1ServerCodec` spells every request that ends its connection `Connection: close`; an
        // unreadable request's refusal ends it too.
        if call.head.headerFields[.connection] == "close" || answer.headers[.connection] == "close" {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        if isReading { needsFlush = true } else { context.flush() }
        takeUpHeldParts(context: context)
    }

    /// What arrived while the call was answered, taken up in order, and the withheld read made.
    private func takeUpHeldParts(context: ChannelHandlerContext) {
        let wasReading = isReading
        isReading = true
        var tookUpParts = false
        while let part = order.nextReleased() {
            tookUpParts = true
            take(part, context: context)
        }
        if let error = order.releasedError() { context.fireErrorCaught(error) }
        isReading = wasReading
        if !isReading {
            // Outside a read cycle the parts passed on make a cycle of their own, and must end it:
            // Hummingbird's NIOAsyncChannel hands requests over only when a cycle ends, and otherwise
            // would keep them until the client's next bytes (which a client that waits never sends).
            if tookUpParts { context.fireChannelReadComplete() }
            if needsFlush {
                needsFlush = false
                context.flush()
            }
        }
        if order.takeWithheldRead() { context.read() }
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data), order.frameworkAnswerEnded() {
            writeAnswer(context: context)
        }
    }

    func read(context: ChannelHandlerContext) {
        if order.readRequested() { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let owesRead = order.writabilityChanged(to: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
        if owesRead { context.read() }
    }
}

extension AuthorisationEndpoint.Arrival {
    /// A body part kept while the body stays within `limit` (and the call can use one); past it, the
    /// body is dropped and the call refused once read whole (413).
    mutating func collect(_ chunk: ByteBuffer, limit: Int, wanted: Bool) {
        guard wanted, !bodyTooLarge else { return }
        if (body?.readableBytes ?? 0) + chunk.readableBytes > limit {
            bodyTooLarge = true
            body = nil
        } else if body == nil {
            body = chunk
        } else {
            body!.writeImmutableBuffer(chunk)
        }
    }
}
