import Hummingbird
import Logging

/// The router's requests, observed (`RequestObserver`): outermost, so that it sees every answer and
/// every error, and puts the request's correlation in the context for the endpoints to audit and log.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = PolicydRequestContext
    let observer: RequestObserver

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let correlation = observer.correlation(of: request.headers)
        var context = context
        context.correlation = correlation
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            observer.failed(route: context.endpointPath ?? RequestObserver.unmatched, since: start)
            throw error
        }
        response.headers[Correlation.requestIDHeader] = correlation.requestID
        observer.answered(
            route: context.endpointPath ?? RequestObserver.unmatched, method: request.method, path: request.uri.path[...],
            status: response.status, correlation: correlation, since: start, logger: context.logger)
        return response
    }
}
