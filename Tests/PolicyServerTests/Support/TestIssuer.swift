import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// An OIDC issuer on loopback: its discovery document and JWKS, counting JWKS fetches, able to fail
/// them on demand, and recording every path asked for (so tests see that nothing else is ever fetched).
/// Like INDIGO IAM it also has a token introspection endpoint (RFC 7662: `POST token=…`, HTTP Basic
/// client authentication) and a userinfo endpoint (the bearer token), both counting their calls and
/// answering from tables the test fills; introspection can be held back (a slow issuer) until released.
final class TestIssuer: Sendable {
    /// The permissions client the introspection endpoint accepts.
    static let clientID = "policyd-permissions"
    static let clientSecret = "s3cret-Only+For/Tests=="

    struct State {
        var baseURL = ""
        var jwksFetches = 0
        var discoveryFetches = 0
        var failsJWKS = false
        var jwks: Data
        var servesDiscovery = true
        var requestedPaths: [String] = []
        var introspectionCalls = 0
        /// Introspection calls refused for their client credentials.
        var refusedCredentials = 0
        /// Introspection answers by token; any other token is `{"active": false}`.
        var introspectionAnswers: [String: Data] = [:]
        /// While true, introspection requests wait (up to 30 s) before they are answered.
        var holdsIntrospection = false
        var userinfoCalls = 0
        /// Userinfo answers by token; any other token is refused with 401.
        var userinfoAnswers: [String: Data] = [:]
    }

    let state: NIOLockedValueBox<State>

    init(jwks: Data = TestKeys.developmentJWKS, failsJWKS: Bool = false, servesDiscovery: Bool = true) {
        state = NIOLockedValueBox(State(failsJWKS: failsJWKS, jwks: jwks, servesDiscovery: servesDiscovery))
    }

    var url: String { state.withLockedValue { $0.baseURL } }
    var jwksURL: String { url + "/keys/jwks.json" }
    var jwksFetches: Int { state.withLockedValue { $0.jwksFetches } }
    var discoveryFetches: Int { state.withLockedValue { $0.discoveryFetches } }
    var introspectionCalls: Int { state.withLockedValue { $0.introspectionCalls } }
    var userinfoCalls: Int { state.withLockedValue { $0.userinfoCalls } }
    var refusedCredentials: Int { state.withLockedValue { $0.refusedCredentials } }

    /// What introspecting `token` answers (`active` is added unless given).
    func introspects(_ token: String, as answer: [String: Any]) throws {
        var answer = answer
        if answer["active"] == nil { answer["active"] = true }
        let data = try JSONSerialization.data(withJSONObject: answer)
        state.withLockedValue { $0.introspectionAnswers[token] = data }
    }

    /// What the userinfo endpoint answers to `token`.
    func userinfo(_ token: String, is answer: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: answer)
        state.withLockedValue { $0.userinfoAnswers[token] = data }
    }

    func failJWKS(_ fails: Bool) {
        state.withLockedValue { $0.failsJWKS = fails }
    }

    func holdIntrospection(_ holds: Bool) {
        state.withLockedValue { $0.holdsIntrospection = holds }
    }
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
            let document = try JSONSerialization.data(withJSONObject: [
                "issuer": base, "jwks_uri": base + "/keys/jwks.json", "introspection_endpoint": base + "/introspect",
                "userinfo_endpoint": base + "/userinfo",
            ])
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
        router.post("introspect") { request, _ -> Response in
            try await self.introspect(request)
        }
        router.get("userinfo") { request, _ -> Response in
            let token = request.headers[.authorization].flatMap { header in
                header.hasPrefix("Bearer ") ? String(header.dropFirst("Bearer ".count)) : nil
            }
            let answer = self.state.withLockedValue { state -> Data? in
                state.userinfoCalls += 1
                return token.flatMap { state.userinfoAnswers[$0] }
            }
            guard let answer else { return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"]) }
            return Self.json(answer)
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

extension TestIssuer {
    fileprivate func introspect(_ request: Request) async throws -> Response {
        let credentials = request.headers[.authorization].flatMap(Self.basicCredentials)
        let authorised = credentials?.id == Self.clientID && credentials?.secret == Self.clientSecret
        state.withLockedValue { state in
            state.introspectionCalls += 1
            if !authorised { state.refusedCredentials += 1 }
        }
        // RFC 7662 §2.3: a client that fails authentication gets 401.
        guard authorised else { return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Basic"]) }
        let body = try await request.body.collect(upTo: 1 << 16)
        let token = Self.formValue("token", in: String(buffer: body))
        let deadline = Date().addingTimeInterval(30)
        while state.withLockedValue({ $0.holdsIntrospection }), Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let answer = state.withLockedValue { state in token.flatMap { state.introspectionAnswers[$0] } }
        return Self.json(answer ?? Data(#"{"active":false}"#.utf8))
    }

    fileprivate static func json(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// RFC 6749 §2.3.1: `Basic base64(urlencoded(id) ":" urlencoded(secret))`, decoded as INDIGO IAM's
    /// MITREid base decodes it.
    static func basicCredentials(_ header: String) -> (id: String, secret: String)? {
        guard header.hasPrefix("Basic "), let decoded = Data(base64Encoded: String(header.dropFirst(6))) else { return nil }
        let pair = String(decoding: decoded, as: UTF8.self)
        guard let colon = pair.firstIndex(of: ":") else { return nil }
        func formDecoded(_ text: Substring) -> String? {
            text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        guard let id = formDecoded(pair[..<colon]), let secret = formDecoded(pair[pair.index(after: colon)...]) else { return nil }
        return (id, secret)
    }

    /// One value of an application/x-www-form-urlencoded body (`+` is a space).
    static func formValue(_ name: String, in form: String) -> String? {
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            return parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
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
