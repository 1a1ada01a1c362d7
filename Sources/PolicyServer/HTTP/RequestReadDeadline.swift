import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client takes too long to send a request: its first byte within
/// `firstByteTimeout` of the connection's opening, a head within `headTimeout` of its first byte, a
/// body within `bodyTimeout` of the head. The server's idle timeout covers a connection between
/// requests, but a head or body trickled byte by byte would otherwise hold a connection for the whole
/// idle timeout, or for ever, and so did a connection that never sent anything (sixteen of them held
/// a server of `--max-connections 16` for the idle timeout). Two handlers share this state:
/// `firstByteWatcher`, before the HTTP decoder, sees a request's first bytes arrive; this one, after
/// it, sees the head and the end.
///
/// One repeating check per connection, every quarter of the shorter timeout, rather than a timer
/// per request: arming and cancelling a timer for each request cost 5% of a busy server's CPU. A slow
/// request is therefore cut off between 1 and 1.25 times its timeout. Until the first byte, the check
/// comes every quarter of the first-byte timeout.
///
/// The clocks run only while policyd reads. A handler behind may withhold reads: the authorisation
/// pipeline does while a call waits for its answer, and a request pipelined behind that call, its
/// head already decoded, cannot send the rest of itself then. Its clock starts again when reads
/// resume (it ran on, and a call that waited longer than the body timeout had its connection, and
/// its own answer, cut off; found by a probe). Reads withheld because answers cannot be written (a
/// client that does not read them) do not stop the clocks: that client is the slow one.
final class RequestReadDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Progress {
        /// Nothing received since the connection opened.
        case silent(since: NIODeadline)
        case betweenRequests
        case head(since: NIODeadline)
        case body(since: NIODeadline)
    }

    private let firstByteTimeout: TimeAmount
    private let headTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private var progress = Progress.silent(since: .now())
    private var check: Scheduled<Void>?
    /// A read asked for and not yet completed: policyd is waiting for the client's bytes.
    private var reading = true

    init(firstByteTimeout: TimeAmount, headTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.firstByteTimeout = firstByteTimeout
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
    }

    /// The handler to put in front of the HTTP decoder.
    var firstByteWatcher: some ChannelInboundHandler & RemovableChannelHandler { FirstByteWatcher(deadline: self) }

    func handlerAdded(context: ChannelHandlerContext) {
        scheduleCheck(context)
    }

    private func scheduleCheck(_ context: ChannelHandlerContext) {
        let shortest = if case .silent = progress { firstByteTimeout } else { min(headTimeout, bodyTimeout) }
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
        case .betweenRequests: break
        case .head: progress = .head(since: now)
        case .body: progress = .body(since: now)
        }
    }

    private func isOverdue(at now: NIODeadline) -> Bool {
        switch progress {
        case .silent(let since): now - since >= firstByteTimeout
        case .betweenRequests: false
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
        case .head: progress = .body(since: .now())
        case .body: break
        case .end: progress = .betweenRequests
        }
        context.fireChannelRead(data)
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
