import Hummingbird
import PolicyCore

/// The HTTP surface of spec section 4, registered under each prefix (`/v1`, and `<root>/v1`), but
/// for `{prefix}/authorise/…`, which is the authorisation pipeline's (`AuthorisationPipeline`) and has
/// no route here. Each path answers its one method; any other method gets 405 with `Allow`, in JSON like
/// every error. The gateway paths answer every method: the method is the original request's.
struct PolicydRoutes: Sendable {
    let catalog: PolicyCatalogEndpoints
    let health: HealthEndpoint
    let gateway: GatewayEndpoint
    let groupSearch: GroupSearchEndpoint
    let metrics: MetricsEndpoint

    func register(on router: Router<PolicydRequestContext>, prefixes: [String]) {
        var known = KnownPaths()
        // At the root, not under /v1: where Prometheus scrapes by default.
        get(router, "/metrics", into: &known) { _, _ in metrics.respond() }
        for prefix in prefixes {
            get(router, "\(prefix)/policies", into: &known) { _, _ in catalog.all() }
            get(router, "\(prefix)/policies/types", into: &known) { _, _ in catalog.types() }
            get(router, "\(prefix)/policies/{type}", into: &known) { _, context in try catalog.entries(context: context) }
            get(router, "\(prefix)/policies/{type}/{service}", into: &known) { _, context in try catalog.entry(context: context) }
            get(router, "\(prefix)/policies/{type}/{service}/{version}", into: &known) { _, context in
                try catalog.document(context: context)
            }
            for path in ["\(prefix)/gateway/{service}", "\(prefix)/gateway/{service}/**"] {
                for method in Self.otherMethods {
                    router.on(RouterPath(path), method: method) { request, context in
                        try await gateway.respond(to: request, context: context, prefix: prefix)
                    }
                }
                known.add(path, allowed: nil)
            }
            get(router, "\(prefix)/gms/search", into: &known) { request, context in
                try await groupSearch.search(request, context: context)
            }
            get(router, "\(prefix)/gms/capabilities", into: &known) { _, _ in try groupSearch.capabilities() }
            get(router, "\(prefix)/ping", into: &known) { _, _ in PingEndpoint.respond() }
            get(router, "\(prefix)/health", into: &known) { _, _ in health.respond() }
            get(router, "\(prefix)/openapi.json", into: &known) { _, _ in OpenAPIEndpoint.respond() }
        }
        // Longest prefix first: `/permissions/api/v1/gateway/…` must not be read as under `/v1`.
        let gatewayPrefixes = prefixes.sorted { $0.count > $1.count }
        router.add(middleware: UnroutedMethodMiddleware(paths: known) { [gateway] request, context in
            let prefix = gatewayPrefixes.first { request.uri.path.hasPrefix($0 + "/gateway/") } ?? ""
            return try await gateway.respond(to: request, context: context, prefix: prefix)
        })
    }

    private typealias Handler = @Sendable (Request, PolicydRequestContext) async throws -> Response

    /// HEAD is answered by the router for GET paths (`autoGenerateHeadEndpoints`).
    private static let otherMethods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .options, .head, .trace]

    private func get(
        _ router: Router<PolicydRequestContext>, _ path: String, into known: inout KnownPaths, _ handler: @escaping Handler
    ) {
        router.get(RouterPath(path), use: handler)
        refuseOtherMethods(router, path, allowed: [.get, .head])
        known.add(path, allowed: [.get, .head])
    }


    private func refuseOtherMethods(_ router: Router<PolicydRequestContext>, _ path: String, allowed: [HTTPRequest.Method]) {
        for method in Self.otherMethods where !allowed.contains(method) {
            router.on(RouterPath(path), method: method) { _, _ -> Response in
                throw HTTPProblem.methodNotAllowed(allowed: allowed)
            }
        }
    }
}
