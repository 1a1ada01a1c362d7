import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Hummingbird's HTTP/1.1 channel with policyd's request deadlines: one `RequestReadDeadline` per
/// connection, whose first-byte watcher must sit in front of the HTTP decoder, where Hummingbird's
/// own extra handlers cannot go.
struct PolicydHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let configuration: HTTP1Channel.Configuration
    let headTimeout: TimeAmount
    let bodyTimeout: TimeAmount

    static func builder(
        configuration: HTTP1Channel.Configuration, headTimeout: TimeAmount, bodyTimeout: TimeAmount
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            PolicydHTTPChannel(
                responder: responder, configuration: configuration, headTimeout: headTimeout, bodyTimeout: bodyTimeout)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let deadline = RequestReadDeadline(headTimeout: headTimeout, bodyTimeout: bodyTimeout)
        var configuration = configuration
        let extraHandlers = configuration.additionalChannelHandlers
        // Set up on the connection's event loop, where the handlers are asked for and will run.
        let loopBound = NIOLoopBound(deadline, eventLoop: channel.eventLoop)
        configuration.additionalChannelHandlers = { extraHandlers() + [loopBound.value] }
        do {
            try channel.pipeline.syncOperations.addHandler(deadline.firstByteWatcher)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return HTTP1Channel(responder: responder, configuration: configuration).setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
