import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// An OIDC issuer on loopback: its discovery document and JWKS, counting JWKS fetches, able to fail
/// them on demand, and recording every path asked for (so tests see that nothing else is ever fetched).
final class TestIssuer: Sendable {
    struct State {
        var baseURL = ""
        var jwksFetches = 0
        var discoveryFetches = 0
        var failsJWKS = false
        var jwks: Data
        var servesDiscovery = true
        var requestedPaths: [String] = []
    }

    let state: NIOLockedValueBox<State>

    init(jwks: Data = TestKeys.developmentJWKS, failsJWKS: Bool = false, servesDiscovery: Bool = true) {
        state = NIOLockedValueBox(State(failsJWKS: failsJWKS, jwks: jwks, servesDiscovery: servesDiscovery))
    }

    var url: String { state.withLockedValue { $0.baseURL } }
    var jwksURL: String { url + "/keys/jwks.json" }
    var jwksFetches: Int { state.withLockedValue { $0.jwksFetches } }
    var requestedPaths: [String] { state.withLockedValue { $0.requestedPaths } }
    /// Paths asked for that are neither the discovery document nor the JWKS.
    var otherRequestedPaths: [String] {
        requestedPaths.filter { $0 != "/.well-known/openid-configuration" && $0 != "/keys/jwks.json" }
    }

    /// Serves until `body` returns; `body` gets the issuer URL (`http://127.0.0.1:PORT`). Port 0 picks a
    /// free one; a fixed port lets a test bring an issuer back where policyd expects it.
    func serve<Value: Sendable>(port: Int = 0, _ body: @Sendable (String) async throws -> Value) async throws -> Value {
        let router = Router()
        router.add(middleware: PathRecorder(issuer: self))
        router.get(".well-known/openid-configuration") { _, _ -> Response in
            let (base, serves) = self.state.withLockedValue { state in
                state.discoveryFetches += 1
                return (state.baseURL, state.servesDiscovery)
            }
            guard serves else { return Response(status: .notFound) }
            let document = try JSONSerialization.data(withJSONObject: ["issuer": base, "jwks_uri": base + "/keys/jwks.json"])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
        router.get("keys/jwks.json") { _, _ -> Response in
            let (fails, jwks) = self.state.withLockedValue { state in
                state.jwksFetches += 1
                return (state.failsJWKS, state.jwks)
            }
            guard !fails else { return Response(status: .internalServerError) }
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: jwks)))
        }
        return try await RunningApplication.with({ onRunning in
            Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                onServerRunning: onRunning, logger: RunningApplication.quietLogger)
        }) { port in
            let base = "http://127.0.0.1:\(port)"
            state.withLockedValue { $0.baseURL = base }
            return try await body(base)
        }
    }
}

/// Records the path of every request, before routing: a request for a path the issuer does not serve
/// is still seen.
private struct PathRecorder<Context: RequestContext>: RouterMiddleware {
    let issuer: TestIssuer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        issuer.state.withLockedValue { $0.requestedPaths.append(request.uri.path) }
        return try await next(request, context)
    }
}
