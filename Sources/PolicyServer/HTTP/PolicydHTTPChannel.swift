import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 channel, set up as `HTTP1Channel` sets it up, with two additions that its
/// extra handlers cannot place: policyd's request deadlines (one `RequestReadDeadline` per
/// connection, whose first-byte watcher must sit in front of the HTTP decoder), and the
/// `AuthorisationFastPath`, which must sit behind Hummingbird's connection-state handler.
struct PolicydHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    /// What the fast path needs: the endpoint it answers for, and its paths.
    struct FastPath: Sendable {
        let endpoint: AuthorisationEndpoint
        let paths: AuthorisationTarget.Paths
    }

    let responder: HTTPChannelHandler.Responder
    let configuration: HTTP1Channel.Configuration
    let headTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    let fastPath: FastPath?

    static func builder(
        configuration: HTTP1Channel.Configuration, headTimeout: TimeAmount, bodyTimeout: TimeAmount, fastPath: FastPath?
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            PolicydHTTPChannel(
                responder: responder, configuration: configuration, headTimeout: headTimeout, bodyTimeout: bodyTimeout,
                fastPath: fastPath)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let deadline = RequestReadDeadline(headTimeout: headTimeout, bodyTimeout: bodyTimeout)
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(deadline.firstByteWatcher)
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = configuration.httpDecoder.maxHeaderFieldSize
            limits.maxHeaderListSize = configuration.httpDecoder.maxHeaderListSize
            limits.maxHeaderFieldCount = configuration.httpDecoder.maxHeaderFieldCount
            // As HTTP1Channel: pipelining is handled by reading one request after another, errors by
            // Hummingbird, and outbound headers are checked by swift-http-types already.
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandlers(configuration.additionalChannelHandlers())
            try pipeline.addHandler(deadline)
            try pipeline.addHandler(HTTPConnectionStateHandler(
                idleTimeout: configuration.idleTimeout.map { .nanoseconds($0.nanoseconds) }, logger: logger))
            if let fastPath {
                try pipeline.addHandler(
                    AuthorisationFastPath(endpoint: fastPath.endpoint, paths: fastPath.paths, logger: logger))
            }
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
