import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body does not arrive in full within `timeout` of its head.
/// The server's idle timeout covers a connection between requests and a head sent slowly, but not a
/// body trickled byte by byte: without this, one slow client could hold a request open for ever.
/// One repeating check per connection, every quarter of the timeout, rather than a timer per
/// request: arming and cancelling a timer for each request cost 5% of a busy server's CPU. A slow
/// request is therefore cut off between 1 and 1.25 times the timeout after its head.
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var headArrivedAt: NIODeadline?
    private var check: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        scheduleCheck(context)
    }

    private func scheduleCheck(_ context: ChannelHandlerContext) {
        let interval = TimeAmount.nanoseconds(max(timeout.nanoseconds / 4, 1_000_000))
        check = context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
            if let arrived = self.headArrivedAt, NIODeadline.now() - arrived >= self.timeout {
                context.close(promise: nil)
            } else {
                self.scheduleCheck(context)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: headArrivedAt = .now()
        case .body: break
        case .end: headArrivedAt = nil
        }
        context.fireChannelRead(data)
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
}
