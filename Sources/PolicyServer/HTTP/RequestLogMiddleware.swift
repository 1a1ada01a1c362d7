import Hummingbird
import Logging

/// Per request, outermost: its correlation (spec 4.1) read into the context, for the endpoints to
/// audit and log, and its `X-Request-ID` set on the answer; its duration into the request-latency
/// metric, by the route pattern that answered; and one debug line with method, path, status and the
/// correlation. Never the query string or the other headers, which carry tokens.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = PolicydRequestContext
    let metrics: PolicydMetrics
    let requestIDs: RequestIDs

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let correlation = Correlation(headers: request.headers, requestIDs: requestIDs)
        var context = context
        context.correlation = correlation
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            metrics.recordRequest(route: context.endpointPath ?? "unmatched", nanoseconds: (ContinuousClock.now - start).nanoseconds)
            throw error
        }
        response.headers[Correlation.requestIDHeader] = correlation.requestID
        let elapsed = ContinuousClock.now - start
        metrics.recordRequest(route: context.endpointPath ?? "unmatched", nanoseconds: elapsed.nanoseconds)
        context.logger.debug(
            "request",
            metadata: correlation.logMetadata.merging([
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
                "status": "\(response.status.code)", "duration": "\(elapsed)",
            ]) { $1 })
        return response
    }
}
