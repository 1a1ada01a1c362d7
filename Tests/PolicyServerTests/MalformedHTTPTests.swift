import Foundation
import Testing

/// Requests that are not valid HTTP, sent byte for byte to every kind of endpoint, without a token:
/// each is answered 4xx with a JSON detail, or the connection is closed. No client input ever causes
/// a 5xx (a malformed chunk size was a 500 with an error-level log line).
@Suite struct MalformedHTTPTests {
    static let targets = [
        "/v1/authorise/route/data-management-api?route=%2Fdata%2Flist",
        "/v1/authorise/exchange/any-service",
        "/v1/gateway/data-management-api/data/list/testing",
        "/v1/gms/search?group=a",
        "/v1/ping",
        "/nowhere",
    ]

    /// Each with `TARGET` for the request target.
    static let requests = [
        "POST TARGET HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n",
        "POST TARGET HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nab\r\n0\r\n\r\n",
        "POST TARGET HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\nab\r\n0\r\n\r\n",
        "POST TARGET HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\r\n\r\n",
        "POST TARGET HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}xx\r\n0\r\n\r\n",
        "POST TARGET HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "POST TARGET HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
        "POST TARGET HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}",
        "POST TARGET HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x",
        "POST TARGET HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST TARGET HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
        "GET TARGET HTTP/9.9\r\nHost: x\r\n\r\n",
        "GET TARGET\r\n\r\n",
        "GET TARGET HTTP/1.1\r\nHost x\r\n\r\n",
        "GET TARGET HTTP/1.1\r\nHost: x\r\n folded: continuation\r\n\r\n",
        "GET TARGET HTTP/1.1\r\nHost: x\r\nX-Nul: a\u{0}b\r\n\r\n",
        "G\u{0}ET TARGET HTTP/1.1\r\nHost: x\r\n\r\n",
        "get TARGET HTTP/1.1\r\nHost: x\r\n\r\n",
        "PROPFIND TARGET HTTP/1.1\r\nHost: x\r\n\r\n",
        "QUERY TARGET HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
        "GET TARGET\u{FF} HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET http://x TARGET HTTP/1.1\r\nHost: x\r\n\r\n",
        "\r\n\r\n\r\n",
        "\u{16}\u{3}\u{1}\u{0}\u{A5}\u{1}\u{0}\u{0}\u{A1}\u{3}\u{3}",
    ]

    /// One server for all of them, one request after another: two dozen servers at once would load the
    /// machine for every other suite.
    @Test func noMalformedRequestGetsA5xx() async throws {
        // A head that never ends (blank lines only) is cut off by the head timeout.
        try await PolicydHarness.run(
            policies: ["dm.json": TestPolicies.dataManagementV1],
            configure: { configuration, _ in configuration.headTimeout = .milliseconds(500) }
        ) { harness in
            for request in Self.requests {
                for target in Self.targets {
                    let text = request.replacingOccurrences(of: "TARGET", with: target)
                    if let answer = await RawConnection.exchange(port: harness.port, text, seconds: 5) {
                        #expect(answer.status < 500, "\(String(reflecting: text)): \(answer.status)")
                        // Spec 4: errors are JSON `{"detail": …}` (a gateway's or a decision's answer says
                        // `is_authorised`), with the request's ID (spec 4.1), and one answer a request: an
                        // unreadable request's was a bare 400 with no body, sent after the route's own
                        // answer when the route had not read the body.
                        #expect(answer.detail != nil || answer.isAuthorised != nil, "\(String(reflecting: text)): \(answer.status) without a detail")
                        #expect(answer.headers["x-request-id"] != nil, "\(String(reflecting: text)): \(answer.status)")
                    }
                }
            }
            let ping = try await harness.client.get("/v1/ping")
            #expect(ping.status == 200, "and it goes on serving")
        }
    }
}
