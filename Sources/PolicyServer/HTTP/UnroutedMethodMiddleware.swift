import Hummingbird

/// What the router could not place, placed by `KnownPaths`: a gateway path with a method the router
/// has no handler for goes to the gateway; another known path answers 405 with `Allow`; anything else
/// stays the router's 404.
struct UnroutedMethodMiddleware<Context: RequestContext>: RouterMiddleware {
    let paths: KnownPaths
    /// The gateway, for a method the router was not told about.
    let gateway: @Sendable (Request, Context) async throws -> Response

    /// What Hummingbird's router names the endpoint of a request it could not place.
    static var routerMiss: String { "NotFound" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == Self.routerMiss {
            guard let entry = paths.entry(for: request.uri.path) else { throw error }
            guard let allowed = entry.allowed else { return try await gateway(request, context) }
            throw HTTPProblem.methodNotAllowed(allowed: allowed)
        }
    }
}
