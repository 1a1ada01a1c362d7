import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client takes too long: to send its first byte (`firstByteTimeout`
/// after the connection opens), a request's head (`headTimeout` after its first byte), a body
/// (`bodyTimeout` after the head), or its next request (`idleTimeout` after the last answer, when
/// nothing is owed); or that takes no answer for `idleTimeout` (its connection takes no more
/// writes: a client that sends and never reads). A head or body trickled byte by byte would
/// otherwise hold a connection for ever, and so did one that never sent anything (sixteen of them
/// held a server of `--max-connections 16`). Two handlers share this state: `firstByteWatcher`,
/// before the HTTP decoder, sees a request's first bytes arrive; this one, after it, sees the head,
/// the end and the answers.
///
/// Every clock of a connection is here. Hummingbird's connection-state handler has an idle timeout
/// too, but it also closes a connection whose request is being read, counting time in which a
/// request held behind a waiting call cannot send its body; it is given none.
///
/// One repeating check per connection, every quarter of the shortest timeout, rather than a timer
/// per request: arming and cancelling a timer for each request cost 5% of a busy server's CPU. A slow
/// request is therefore cut off between 1 and 1.25 times its timeout. Until the first byte, the check
/// comes every quarter of the first-byte timeout.
///
/// The clocks of a request run only while policyd reads. A handler behind may withhold reads: the
/// authorisation pipeline does while a call waits for its answer, and a request pipelined behind that
/// call, its head already decoded, cannot send the rest of itself then. Its clock starts again when
/// reads resume (it ran on, and a call that waited longer than the body or idle timeout had its
/// connection, and its own answer, cut off; found by probes). Reads withheld because answers cannot
/// be written (a client that does not read them) do not stop the clocks: that client is the slow one.
final class RequestReadDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Progress {
        /// Nothing received since the connection opened.
        case silent(since: NIODeadline)
        /// Since the last request's end, or the last answer's, whichever came later.
        case betweenRequests(since: NIODeadline)
        case head(since: NIODeadline)
        case body(since: NIODeadline)
    }

    private let firstByteTimeout: TimeAmount
    private let headTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var progress = Progress.silent(since: .now())
    private var check: Scheduled<Void>?
    /// A read asked for and not yet completed: policyd is waiting for the client's bytes.
    private var reading = true
    /// Requests whose heads have arrived and whose answers have not ended: while any is owed, the
    /// connection is not idle.
    private var answersOwed = 0
    /// Since when the connection has taken no more writes, if it does not now.
    private var unwritableSince: NIODeadline?

    /// The idle timeout bounds the first byte and a head too (`--idle-timeout`: "may stay idle, or
    /// take to send a request head"), as Hummingbird's did.
    init(firstByteTimeout: TimeAmount, headTimeout: TimeAmount, bodyTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.firstByteTimeout = min(firstByteTimeout, idleTimeout)
        self.headTimeout = min(headTimeout, idleTimeout)
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
    }

    /// The handler to put in front of the HTTP decoder.
    var firstByteWatcher: some ChannelInboundHandler & RemovableChannelHandler { FirstByteWatcher(deadline: self) }

    func handlerAdded(context: ChannelHandlerContext) {
        scheduleCheck(context)
    }

    private func scheduleCheck(_ context: ChannelHandlerContext) {
        let shortest = if case .silent = progress { firstByteTimeout } else { min(headTimeout, bodyTimeout, idleTimeout) }
        let interval = TimeAmount.nanoseconds(max(shortest.nanoseconds / 4, 1_000_000))
        check = context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
            if !self.reading, context.channel.isWritable {
                self.restartClock(at: .now())
            } else if self.isOverdue(at: .now()) {
                context.close(promise: nil)
                return
            }
            self.scheduleCheck(context)
        }
    }

    private func restartClock(at now: NIODeadline) {
        switch progress {
        case .silent: progress = .silent(since: now)
        case .betweenRequests: progress = .betweenRequests(since: now)
        case .head: progress = .head(since: now)
        case .body: progress = .body(since: now)
        }
    }

    private func isOverdue(at now: NIODeadline) -> Bool {
        if let unwritableSince, now - unwritableSince >= idleTimeout { return true }
        return switch progress {
        case .silent(let since): now - since >= firstByteTimeout
        case .betweenRequests(let since): answersOwed == 0 && now - since >= idleTimeout
        case .head(let since): now - since >= headTimeout
        case .body(let since): now - since >= bodyTimeout
        }
    }

    fileprivate func bytesArrived() {
        switch progress {
        case .silent, .betweenRequests: progress = .head(since: .now())
        case .head, .body: break
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            answersOwed += 1
            progress = .body(since: .now())
        case .body: break
        case .end: progress = .betweenRequests(since: .now())
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            // Never below 0: an answer to bytes that were no request has no head here.
            answersOwed = max(0, answersOwed - 1)
            if case .betweenRequests = progress { progress = .betweenRequests(since: .now()) }
        }
        context.write(data, promise: promise)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        unwritableSince = context.channel.isWritable ? nil : .now()
        context.fireChannelWritabilityChanged()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        reading = true
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
    }

    /// Before the decoder: the first bytes after a request's end start the next head's clock. Both
    /// handlers run on the connection's event loop, so the shared state needs no lock.
    private final class FirstByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer

        let deadline: RequestReadDeadline

        init(deadline: RequestReadDeadline) {
            self.deadline = deadline
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            deadline.bytesArrived()
            context.fireChannelRead(data)
        }
    }
}
