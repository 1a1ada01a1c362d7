import HTTPTypes
import Logging

/// Every request's correlation (spec 4.1), its duration in the request-latency metric by the route
/// pattern that answered it, and one debug line with method, path, status and the correlation; never
/// the query string or the other headers, which carry tokens. One observer for both places that
/// answer requests: the router (`RequestLogMiddleware`) and the authorisation pipeline.
struct RequestObserver: Sendable {
    let metrics: PolicydMetrics
    let requestIDs: RequestIDs

    /// The route label of a request no route answered.
    static let unmatched = "unmatched"

    func correlation(of headers: HTTPFields) -> Correlation {
        Correlation(headers: headers, requestIDs: requestIDs)
    }

    /// A request whose answer did not come (an error thrown past every handler): its time only.
    func failed(route: String, since start: ContinuousClock.Instant) {
        metrics.recordRequest(route: route, nanoseconds: (ContinuousClock.now - start).nanoseconds)
    }

    func answered(
        route: String, method: HTTPRequest.Method, path: Substring, status: HTTPResponse.Status, correlation: Correlation,
        since start: ContinuousClock.Instant, logger: Logger
    ) {
        let elapsed = ContinuousClock.now - start
        metrics.recordRequest(route: route, nanoseconds: elapsed.nanoseconds)
        logger.debug(
            "request",
            metadata: correlation.logMetadata.merging([
                "method": "\(method.rawValue)", "path": "\(path)", "status": "\(status.code)", "duration": "\(elapsed)",
            ]) { $1 })
    }
}
