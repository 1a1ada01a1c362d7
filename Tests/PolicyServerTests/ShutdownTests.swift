import Foundation
import PolicyServer
import ServiceLifecycle
import Testing

/// SIGTERM's path, without the signal: the service group shuts down gracefully, `/health` fails
/// first while requests are still served, and a request in flight is answered before the server goes.
@Suite struct ShutdownTests {
    @Test func aGracefulShutdownFailsHealthFirstAndAnswersTheRequestInFlight() async throws {
        try await TestIssuer().serve { issuerURL in
            let directory = try TestPolicies.directory(issuer: issuerURL)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let configuration = ServerConfiguration(
                host: "127.0.0.1", port: 0, policyDirectory: directory, reloadsOnHangup: false, auditSampleRate: 0)
            let server = try PolicyServer(configuration: configuration, logger: RunningApplication.quietLogger)
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let application = server.makeApplication { channel in
                if let port = channel.localAddress?.port { portContinuation.yield(port) }
            }
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: application), .init(service: server.makeShutdownDrain(delay: .milliseconds(800)))],
                logger: RunningApplication.quietLogger))

            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                let client = HTTPTestClient(port: port)
                let token = try await TestKeys.mint(
                    issuer: issuerURL, audience: "data-management-api", groups: ["data/namespaces/testing/viewer"],
                    scope: "data-management-api-service", lifetime: 600, kid: "dev")
                #expect(try await eventually { try await client.get("/v1/health").status == 200 })

                // A request whose body is still on its way when the shutdown begins.
                let inFlight = try RawConnection(port: port)
                defer { inFlight.close() }
                let body = #"{"namespace": "testing"}"#
                inFlight.send(
                    "POST \(Paths.dataList) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                        + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body.prefix(5))

                await group.triggerGracefulShutdown()
                #expect(try await eventually(seconds: 2) {
                    let health = try await client.get("/v1/health")
                    return health.status == 503 && health.json["status"] as? String == "DRAINING"
                })
                #expect(try await client.get("/v1/ping").status == 200, "still serving while draining")

                inFlight.send(String(body.dropFirst(5)))
                let answer = try #require(try await inFlight.readUntilClosed(seconds: 5))
                #expect(answer.hasPrefix("HTTP/1.1 200"))
                #expect(answer.contains(#""is_authorised":true"#))
                try await tasks.waitForAll()
            }
            portContinuation.finish()
        }
    }
}
