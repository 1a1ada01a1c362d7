import Foundation
import Testing

/// What one client may send, and how slowly: each limit refuses or cuts off, and the server goes on
/// answering everyone else.
@Suite struct LimitsTests {
    static let viewer = ["data/namespaces/testing/viewer"]

    @Test func tooManyParametersAreUnprocessable() async throws {
        try await PolicydHarness.run(configure: { configuration, _ in configuration.maximumParameters = 3 }) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let three = try await harness.client.post(Paths.dataList + "&extra=1", body: #"{"namespace": "testing", "b": 2}"#, bearer: token)
            #expect(three.status == 200)
            #expect(three.isAuthorised == true)
            let four = try await harness.client.post(Paths.dataList + "&extra=1", body: #"{"namespace": "testing", "b": 2, "c": 3}"#, bearer: token)
            #expect(four.status == 422)
            #expect((four.json["detail"] as? String)?.contains("too many parameters: 4, at most 3") == true)
        }
    }

    @Test func anOversizedHeadIsRefused() async throws {
        try await PolicydHarness.run(configure: { configuration, _ in configuration.maximumHeaderBytes = 8192 }) { harness in
            let answer = try await harness.client.send("GET", "/v1/ping", headers: ["X-Padding": String(repeating: "a", count: 10_000)])
            #expect(answer.status == 400)
            #expect(try await harness.client.get("/v1/ping").status == 200)
        }
    }

    @Test func aTrickledBodyIsCutOff() async throws {
        try await PolicydHarness.run(configure: { configuration, _ in configuration.bodyTimeout = .milliseconds(500) }) { harness in
            let connection = try RawConnection(port: harness.client.port)
            defer { connection.close() }
            connection.send("POST \(Paths.dataList) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"na")
            let started = Date()
            let received = try await connection.readUntilClosed(seconds: 5)
            #expect(received == "", "closed without an answer, never a decision on half a body")
            #expect(Date().timeIntervalSince(started) < 4)
            #expect(try await harness.client.get("/v1/ping").status == 200)
        }
    }

    @Test func aHeadSentByteByByteIsCutOffByTheIdleTimeout() async throws {
        try await PolicydHarness.run(configure: { configuration, _ in configuration.idleTimeout = .milliseconds(500) }) { harness in
            let connection = try RawConnection(port: harness.client.port)
            defer { connection.close() }
            let started = Date()
            var stillOpen = true
            for character in "GET /v1/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + String(repeating: "a", count: 100) where stillOpen {
                stillOpen = connection.send(String(character))
                try await Task.sleep(for: .milliseconds(50))
                if Date().timeIntervalSince(started) > 5 { break }
            }
            let closed = stillOpen ? try await connection.readUntilClosed(seconds: 2) != nil : true
            #expect(closed)
            #expect(Date().timeIntervalSince(started) < 5)
        }
    }

    @Test func anIdleConnectionIsClosed() async throws {
        try await PolicydHarness.run(configure: { configuration, _ in configuration.idleTimeout = .milliseconds(500) }) { harness in
            let connection = try RawConnection(port: harness.client.port)
            defer { connection.close() }
            #expect(try await connection.readUntilClosed(seconds: 5) == "")
        }
    }
}
