import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 channel, set up as `HTTP1Channel` sets it up, with what its extra handlers
/// cannot place: the connection limit per peer (checked before anything is read), policyd's request
/// deadlines (one `RequestReadDeadline` per connection, whose first-byte watcher must sit in front of
/// the HTTP decoder), NIO's parts to swift-http-types' with what HTTP/1.1 asks of a connection that
/// needs the request's HTTP version (`HTTP1ServerCodec`, in place of `HTTP1ToHTTPServerCodec`), and the
/// `AuthorisationPipeline`, which must sit behind Hummingbird's connection-state handler.
struct PolicydHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    /// What the authorisation pipeline needs: the endpoint it answers for, its paths, and the observer
    /// of every request.
    struct Authorisation: Sendable {
        let endpoint: AuthorisationEndpoint
        let paths: AuthorisationTarget.Paths
        let observer: RequestObserver
    }

    /// What the channel holds its clients to, beyond Hummingbird's configuration.
    struct Limits: Sendable {
        let firstByteTimeout: TimeAmount
        let headTimeout: TimeAmount
        let bodyTimeout: TimeAmount
        let idleTimeout: TimeAmount
        let maximumBodyBytes: Int
        let connections: ConnectionLimits
    }

    let responder: HTTPChannelHandler.Responder
    let configuration: HTTP1Channel.Configuration
    let limits: Limits
    let authorisation: Authorisation

    static func builder(
        configuration: HTTP1Channel.Configuration, limits: Limits, authorisation: Authorisation
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            PolicydHTTPChannel(responder: responder, configuration: configuration, limits: limits, authorisation: authorisation)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard limits.connections.admit(channel) else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ConnectionLimits.PeerAtLimit())
        }
        return channel.eventLoop.makeCompletedFuture {
            let deadline = RequestReadDeadline(
                firstByteTimeout: limits.firstByteTimeout, headTimeout: limits.headTimeout, bodyTimeout: limits.bodyTimeout,
                idleTimeout: limits.idleTimeout)
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(deadline.firstByteWatcher)
            var decoderLimits = NIOHTTPDecoderLimitConfiguration()
            decoderLimits.maxHeaderFieldSize = configuration.httpDecoder.maxHeaderFieldSize
            decoderLimits.maxHeaderListSize = configuration.httpDecoder.maxHeaderListSize
            decoderLimits.maxHeaderFieldCount = configuration.httpDecoder.maxHeaderFieldCount
            // As HTTP1Channel: pipelining is handled by reading one request after another, errors by
            // Hummingbird, and outbound headers are checked by swift-http-types already.
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: decoderLimits)
            try pipeline.addHandler(
                HTTP1ServerCodec(maximumBodyBytes: limits.maximumBodyBytes, requestIDs: authorisation.observer.requestIDs))
            try pipeline.addHandlers(configuration.additionalChannelHandlers())
            try pipeline.addHandler(deadline)
            // Its idle timeout would close a connection whose held request cannot send its body
            // (`RequestReadDeadline` keeps every clock); it still ends connections at shutdown.
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            try pipeline.addHandler(
                AuthorisationPipeline(
                    endpoint: authorisation.endpoint, paths: authorisation.paths, observer: authorisation.observer,
                    logger: logger))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
