import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
@testable import PolicyServer
import Testing

/// policyd's whole application in process: its router asked through HummingbirdTesting's `.router`,
/// and `/v1/authorise` through an `AuthorisationPipeline` over a `NIOAsyncTestingChannel`, on the
/// application's own endpoint (the pipeline answers in front of the router in policyd too). The
/// application's services (policy reloads, key refreshes) run as in policyd. The issuer's keys come
/// from a file, so nothing crosses a socket; or, given a `TestIssuer`, from that issuer on loopback
/// as policyd would fetch them, for a test that looks at what the issuer was asked or has it answer
/// otherwise. For what policyd's own network or channel is part of (connections, deadlines, what
/// the HTTP parser refuses, signals), tests keep `PolicydHarness` and its loopback sockets.
struct InProcessPolicyd: PolicydUnderTest {
    static let issuerURL = "https://issuer.test"

    let client: Client
    let issuerURL: String
    let policyDirectory: String
    /// The issuer the test gave, serving on loopback; nil when the keys come from a file.
    let issuer: TestIssuer?
    /// Every path the application serves, as its router and the authorisation pipeline write them.
    let servedPaths: Set<String>

    static func run<Value: Sendable>(
        issuer: TestIssuer? = nil,
        policies: [String: String] = TestPolicies.all,
        configure: @Sendable (inout ServerConfiguration, String) -> Void = { _, _ in },
        logger: Logger = RunningApplication.quietLogger,
        _ body: @Sendable (InProcessPolicyd) async throws -> Value
    ) async throws -> Value {
        if let issuer {
            return try await issuer.serve { issuerURL in
                try await run(issuer: issuer, issuerURL: issuerURL, keys: nil, policies, configure, logger, body)
            }
        }
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json")
        try TestKeys.developmentJWKS.write(to: keys)
        defer { try? FileManager.default.removeItem(at: keys) }
        return try await run(issuer: nil, issuerURL: Self.issuerURL, keys: keys.path, policies, configure, logger, body)
    }

    /// Keys from the file `keys` when given, otherwise by discovery at `issuerURL`.
    private static func run<Value: Sendable>(
        issuer: TestIssuer?, issuerURL: String, keys: String?, _ policies: [String: String],
        _ configure: @Sendable (inout ServerConfiguration, String) -> Void, _ logger: Logger,
        _ body: @Sendable (InProcessPolicyd) async throws -> Value
    ) async throws -> Value {
        let directory = try TestPolicies.directory(issuer: issuerURL, files: policies)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ServerConfiguration.forTests(policyDirectory: directory)
        if let keys { configuration.issuerKeySources = [issuerURL: .file(keys)] }
        configure(&configuration, issuerURL)
        let server = try PolicyServer(configuration: configuration, logger: logger)
        let made = NIOLockedValueBox<PolicyServer.Parts?>(nil)
        let application = server.makeApplication(onServerRunning: { _ in }, inspecting: { parts in made.withLockedValue { $0 = parts } })
        let parts = made.withLockedValue { $0! }
        let authorisation = parts.authorisation
        let servedPaths = Set(parts.router.routes.map(\.path.description)).union(authorisation.paths.routePatterns)
        return try await application.test(.router) { router in
            try await body(InProcessPolicyd(
                client: Client(router: router, authorisation: authorisation, logger: logger), issuerURL: issuerURL,
                policyDirectory: directory, issuer: issuer, servedPaths: servedPaths))
        }
    }

    /// Answers as `HTTPTestClient` does: authorisation calls from a pipeline of their own, anything
    /// else from HummingbirdTesting's client.
    struct Client: TestHTTPClient {
        let router: any TestClientProtocol
        let authorisation: PolicydHTTPChannel.Authorisation
        /// The server's: the pipeline's request and decision lines are logged as policyd logs them.
        let logger: Logger

        func send(_ method: String, _ path: String, bodyBytes: [UInt8]?, headers: [String: String]) async throws
            -> HTTPTestClient.Answer
        {
            var fields = HTTPFields()
            for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            if bodyBytes != nil { fields[.contentType] = "application/json" }
            let method = try #require(HTTPRequest.Method(method))
            let body = bodyBytes.map { ByteBuffer(bytes: $0) }
            if AuthorisationTarget(target: path, paths: authorisation.paths) != nil {
                return try await throughThePipeline(HTTPRequest(method: method, scheme: nil, authority: "localhost", path: path, headerFields: fields), body)
            }
            let response = try await router.execute(uri: path, method: method, headers: fields, body: body)
            return Self.answer(response.status, response.headers, response.body)
        }

        private func throughThePipeline(_ request: HTTPRequest, _ body: ByteBuffer?) async throws -> HTTPTestClient.Answer {
            let channel = try await NIOAsyncTestingChannel { channel in
                try channel.pipeline.syncOperations.addHandler(AuthorisationPipeline(
                    endpoint: authorisation.endpoint, paths: authorisation.paths, observer: authorisation.observer,
                    logger: logger))
            }
            try await channel.writeInbound(HTTPRequestPart.head(request))
            if let body { try await channel.writeInbound(HTTPRequestPart.body(body)) }
            try await channel.writeInbound(HTTPRequestPart.end(nil))
            guard case .head(let response) = try await channel.waitForOutboundWrite(as: HTTPResponsePart.self) else {
                throw PipelineAnsweredNoHead()
            }
            var bytes = ByteBuffer()
            while case .body(var part) = try await channel.waitForOutboundWrite(as: HTTPResponsePart.self) {
                bytes.writeBuffer(&part)
            }
            _ = try await channel.finish()
            return Self.answer(response.status, response.headerFields, bytes)
        }

        struct PipelineAnsweredNoHead: Error {}

        private static func answer(_ status: HTTPResponse.Status, _ headers: HTTPFields, _ body: ByteBuffer) -> HTTPTestClient.Answer {
            var collected: [String: String] = [:]
            for field in headers { collected[field.name.canonicalName] = field.value }
            return HTTPTestClient.Answer(status: status.code, headers: collected, body: Data(body.readableBytesView))
        }
    }
}
