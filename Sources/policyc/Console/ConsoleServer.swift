import NIOCore
import NIOHTTP1
import NIOPosix

/// The console's HTTP/1.1 server: NIO on one event loop, bound to 127.0.0.1 only. Each request
/// is answered whole by `ConsoleRouter`; the policies it reads are small, so it answers on the
/// event loop.
struct ConsoleServer {
    let workspace: ConsoleWorkspace

    /// Binds, calls `ready` with the port bound, and serves until the process is stopped.
    func run(port: Int, ready: (Int) -> Void) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let routerBox = RouterBox()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ConsoleHTTPHandler(router: routerBox.router!))
                }
            }
        // Loopback only: a what-if tool on one's own files is never reachable from elsewhere.
        let channel = try bootstrap.bind(host: "127.0.0.1", port: port).wait()
        let bound = channel.localAddress?.port ?? port
        routerBox.router = ConsoleRouter(workspace: workspace, port: bound)
        ready(bound)
        try channel.closeFuture.wait()
    }
}

/// The router is made once the port is known (`--port 0`), after the bootstrap that hands it
/// to each connection; written once, before any connection is accepted.
private final class RouterBox: @unchecked Sendable {
    var router: ConsoleRouter?
}

/// One connection: collects a request, answers it, and closes when the client does not keep it.
private final class ConsoleHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// A what-if query is a few hundred bytes; policy files are never sent.
    private static let bodyLimit = 1 << 20

    private let router: ConsoleRouter
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(router: ConsoleRouter) {
        self.router = router
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
            tooLarge = false
        case .body(let chunk):
            if body.count + chunk.readableBytes > Self.bodyLimit { tooLarge = true } else { body += chunk.readableBytesView }
        case .end:
            guard let head else { return }
            let request = ConsoleRequest(
                method: head.method.rawValue, target: head.uri,
                headers: head.headers.map { (name: $0.name, value: $0.value) }, body: body)
            let response = tooLarge ? ConsoleResponse.text(413, "request body too large") : router.respond(to: request)
            write(response, keepAlive: head.isKeepAlive && !tooLarge, context: context)
            self.head = nil
        }
    }

    private func write(_ response: ConsoleResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
