import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
@testable import PolicyServer
import Testing

/// policyd's whole application in process: its router asked through HummingbirdTesting's `.router`,
/// and `/v1/authorise` through an `AuthorisationPipeline` over a `NIOAsyncTestingChannel`, on the
/// application's own endpoint (the pipeline answers in front of the router in policyd too). The
/// issuer's keys come from a file, so nothing crosses a socket; the application's services (policy
/// reloads, key refreshes) run as in policyd. For what the network or the channel is part of
/// (discovery, key fetches, issuers that fail, connections, what the HTTP parser refuses), tests
/// keep `PolicydHarness` and its loopback sockets.
struct InProcessPolicyd: Sendable {
    static let issuerURL = "https://issuer.test"

    let client: any TestHTTPClient
    let policyDirectory: String
    var issuerURL: String { Self.issuerURL }

    static func run<Value: Sendable>(
        policies: [String: String] = TestPolicies.all,
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (InProcessPolicyd) async throws -> Value
    ) async throws -> Value {
        let directory = try TestPolicies.directory(issuer: issuerURL, files: policies)
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json")
        try TestKeys.developmentJWKS.write(to: keys)
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(at: keys)
        }
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, policyDirectory: directory, issuerKeySources: [issuerURL: .file(keys.path)],
            reloadsOnHangup: false)
        // Off unless a test turns it on: the test runner's standard output is not an audit log.
        configuration.auditSampleRate = 0
        configure(&configuration)
        let server = try PolicyServer(configuration: configuration, logger: RunningApplication.quietLogger)
        let parts = NIOLockedValueBox<PolicyServer.Parts?>(nil)
        let application = server.makeApplication(onServerRunning: { _ in }, inspecting: { made in parts.withLockedValue { $0 = made } })
        let authorisation = parts.withLockedValue { $0! }.authorisation
        return try await application.test(.router) { client in
            try await body(InProcessPolicyd(
                client: InProcessClient(router: client, authorisation: authorisation), policyDirectory: directory))
        }
    }

    /// A token the development key signed, for the data-management-api policy unless told otherwise.
    func token(
        audience: String = "data-management-api", groups: [String] = [],
        scope: String? = "data-management-api-service", lifetime: TimeInterval = 600
    ) async throws -> String {
        try await TestKeys.mint(issuer: issuerURL, audience: audience, groups: groups, scope: scope, lifetime: lifetime)
    }

    /// Polls until `condition` holds (for what the server does in the background), for at most `seconds`.
    func eventually(seconds: Double = 10, _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        try await PolicyServerTests.eventually(seconds: seconds, condition)
    }

    /// Answers as `HTTPTestClient` does: authorisation calls from a pipeline of their own, anything
    /// else from HummingbirdTesting's client.
    private struct InProcessClient: TestHTTPClient {
        let router: any TestClientProtocol
        let authorisation: PolicydHTTPChannel.Authorisation

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
                    logger: RunningApplication.quietLogger))
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
