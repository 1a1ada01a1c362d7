import NIOCore
import NIOHTTP1

/// Whether a connection outlives a request, as RFC 9112 §9.3 and §9.6 say, decided once for both
/// answer paths (Hummingbird's and `AuthorisationFastPath`), which see requests only after the HTTP
/// version is gone: `Connection` is a list of case-insensitive options, `close` anywhere in it ends the
/// connection after the answer, and an HTTP/1.0 request keeps the connection only with `keep-alive`
/// (NIO's parser reads the list so: `HTTPRequestHead.isKeepAlive`). Hummingbird closes a connection
/// after a request whose `Connection` is exactly `close`, so a request that ends its connection goes
/// on with `Connection: close` and nothing else there; `CLOSE` or `keep-alive, close` used to leave
/// the connection open, and an HTTP/1.0 request without `keep-alive` too.
///
/// The answer says so: `Connection: close` to a request that ends the connection, `Connection:
/// keep-alive` to an HTTP/1.0 request that keeps it (an HTTP/1.0 client expects its connection closed
/// otherwise). And nothing the client sends after a request that ends the connection is read
/// (§9.6: the server must not process any further request).
final class PersistentConnection: ChannelDuplexHandler, RemovableChannelHandler {
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

    /// What each request not yet answered asked for, oldest first.
    private var unanswered = CircularBuffer<Persistence>(initialCapacity: 2)
    private var closeRequested = false
    /// The request that ends the connection has been read whole: nothing more is.
    private var ignoresReads = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !ignoresReads else { return }
        switch unwrapInboundIn(data) {
        case .head(var head):
            let persistence: Persistence =
                !head.isKeepAlive ? .close : head.version.major == 1 && head.version.minor == 0 ? .keepAliveOfHTTP10 : .keepAlive
            unanswered.append(persistence)
            if persistence == .close {
                closeRequested = true
                head.headers.replaceOrAdd(name: "connection", value: "close")
                context.fireChannelRead(wrapInboundOut(.head(head)))
            } else {
                context.fireChannelRead(data)
            }
        case .body:
            context.fireChannelRead(data)
        case .end:
            ignoresReads = closeRequested
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // An interim answer (`100 Continue`) is followed by the final one, which is the request's.
        guard case .head(var head) = unwrapOutboundIn(data), head.status.code >= 200 || head.status == .switchingProtocols,
            let persistence = unanswered.popFirst()
        else {
            context.write(data, promise: promise)
            return
        }
        switch persistence {
        case .keepAlive: break
        case .keepAliveOfHTTP10: head.headers.replaceOrAdd(name: "connection", value: "keep-alive")
        case .close: head.headers.replaceOrAdd(name: "connection", value: "close")
        }
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }
}
