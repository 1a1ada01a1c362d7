import Hummingbird
import Logging

/// Per request: its duration into the request-latency metric, by the route pattern that answered,
/// and one debug line with method, path and status. Never the query string or headers, which carry
/// tokens.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: PolicydMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            metrics.recordRequest(route: context.endpointPath ?? "unmatched", nanoseconds: (ContinuousClock.now - start).nanoseconds)
            throw error
        }
        let elapsed = ContinuousClock.now - start
        metrics.recordRequest(route: context.endpointPath ?? "unmatched", nanoseconds: elapsed.nanoseconds)
        context.logger.debug(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
                "status": "\(response.status.code)", "duration": "\(elapsed)",
            ])
        return response
    }
}
