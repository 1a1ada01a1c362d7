import Hummingbird

/// Hummingbird's request context, with the request's correlation (`RequestLogMiddleware` reads it
/// first, so that the endpoints audit and log the very request ID the answer carries).
struct PolicydRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by `RequestLogMiddleware`, the outermost middleware, before any endpoint runs.
    var correlation: Correlation?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
