import Foundation
import HTTPTypes
import Logging
import Testing

@testable import PolicyServer

/// Spec 4.1: `X-Request-ID`, `X-Correlation-ID`, `traceparent` and `X-Calling-Service` are recorded,
/// bounded and sanitised, in the audit record and the request's log line; `X-Request-ID` is echoed on
/// every answer (one is made when none came); none of them changes a decision.
@Suite struct CorrelationTests {
    static let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    static let headers = [
        "X-Request-ID": "req-42", "X-Correlation-ID": "corr-7", "traceparent": trace, "X-Calling-Service": "SCAPI",
    ]

    static func correlation(_ fields: [(String, String)]) -> Correlation {
        var headers = HTTPFields()
        for (name, value) in fields { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return Correlation(headers: headers, requestIDs: RequestIDs())
    }

    static func isMadeID(_ id: String?) -> Bool {
        guard let id else { return false }
        return id.utf8.count == 32 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    // MARK: - Reading the headers

    @Test func eachHeaderIsRecordedAsSent() {
        let correlation = Self.correlation(Self.headers.map { ($0.key, $0.value) })
        #expect(correlation.requestID == "req-42")
        #expect(correlation.correlationID == "corr-7")
        #expect(correlation.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(correlation.callingService == "SCAPI")
    }

    @Test func aValueIsPrintableASCIIOfAtMost128Bytes() {
        let longest = String(repeating: "a", count: 128)
        #expect(Self.correlation([("X-Correlation-ID", longest)]).correlationID == longest)
        #expect(Self.correlation([("X-Correlation-ID", " !~ spaced ~! ")]).correlationID != nil)
        // HTTPFields itself makes a space of a control byte but tab (swift-http-types' field value rule).
        for unusable in ["del\u{7F}", "nul\u{0}x", "cr\rlf\n"] {
            #expect(Correlation.usable([unusable]) == nil, "\(unusable.debugDescription)")
        }
        for unusable in [longest + "a", "caf\u{E9}", "tab\there", "\u{9B}csi", ""] {
            #expect(Self.correlation([("X-Correlation-ID", unusable)]).correlationID == nil, "\(unusable.debugDescription)")
            #expect(Self.correlation([("X-Calling-Service", unusable)]).callingService == nil, "\(unusable.debugDescription)")
            let made = Self.correlation([("X-Request-ID", unusable)]).requestID
            #expect(Self.isMadeID(made), "an unusable X-Request-ID is replaced: \(unusable.debugDescription)")
        }
    }

    /// Two values are two readings of one request: neither is taken.
    @Test func aHeaderGivenTwiceIsLeftOut() {
        let correlation = Self.correlation([
            ("X-Correlation-ID", "a"), ("X-Correlation-ID", "b"), ("X-Request-ID", "r1"), ("X-Request-ID", "r2"),
            ("traceparent", Self.trace), ("traceparent", Self.trace),
        ])
        #expect(correlation.correlationID == nil)
        #expect(correlation.traceID == nil)
        #expect(Self.isMadeID(correlation.requestID))
    }

    @Test func aRequestIDIsMadeWhenNoneCame() {
        let ids = RequestIDs()
        let first = Correlation(headers: [:], requestIDs: ids).requestID
        let second = Correlation(headers: [:], requestIDs: ids).requestID
        #expect(Self.isMadeID(first))
        #expect(Self.isMadeID(second))
        #expect(first != second)
        #expect(RequestIDs().next().prefix(16) != ids.next().prefix(16), "each server its own prefix")
    }

    /// W3C Trace Context §3.2: version, trace id, parent id and flags in lower-case hex; an all-zero
    /// trace or parent id, version ff, or a version-00 header of another length is invalid; a later
    /// version may carry more after a `-`.
    @Test func theTraceIDComesFromAWellFormedTraceparentOnly() {
        let id = "4bf92f3577b34da6a3ce929d0e0e4736"
        let valid = [
            Self.trace: id,
            "01-\(id)-00f067aa0ba902b7-09": id,
            "cc-\(id)-00f067aa0ba902b7-01-what-the-future-holds": id,
        ]
        for (header, expected) in valid {
            #expect(TraceParent.traceID(of: header) == expected, "\(header)")
        }
        for header in [
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-\(id)-0000000000000000-01", "ff-\(id)-00f067aa0ba902b7-01", "00-\(id)-00f067aa0ba902b7-01-", "00-\(id)-00f067aa0ba902b7",
            "00-\(id)-00f067aa0ba902b7-0", "0-\(id)-00f067aa0ba902b7-01", "00_\(id)-00f067aa0ba902b7-01", "cc-\(id)-00f067aa0ba902b7-01x",
            "00-\(id.dropLast())g-00f067aa0ba902b7-01", "", "00", "zz-\(id)-00f067aa0ba902b7-01",
        ] {
            #expect(TraceParent.traceID(of: header) == nil, "\(header)")
        }
        #expect(Self.correlation([("traceparent", "00-\(id)-0000000000000000-01")]).traceID == nil)
    }

    // MARK: - Served (in process, but the refusal the channel gives)

    /// Every route answers with the request's `X-Request-ID`, and makes one when none came: decisions on
    /// authorisation calls (a token verified and one cached), the gateway, the catalogue, operations, a 404 and a 405.
    @Test func everyAnswerCarriesTheRequestID() async throws {
        try await InProcessPolicyd.run { harness in
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let body = #"{"namespace": "testing"}"#
            let calls: [(method: String, path: String, body: String?, bearer: Bool)] = [
                ("POST", Paths.dataList, body, true), ("POST", Paths.dataList, body, true),
                ("POST", Paths.dataList, body, false), ("POST", Paths.dataList, "[", true),
                ("GET", "/v1/gateway/data-management-api/data/list/testing", nil, true),
                ("GET", "/v1/gateway/data-management-api/data/list/testing", nil, false),
                ("GET", "/v1/policies", nil, false), ("GET", "/v1/policies/route/data-management-api/1", nil, false),
                ("GET", "/v1/ping", nil, false), ("HEAD", "/v1/ping", nil, false), ("GET", "/v1/health", nil, false),
                ("GET", "/v1/openapi.json", nil, false), ("GET", "/metrics", nil, false),
                ("GET", "/v1/no-such-path", nil, false), ("DELETE", "/v1/ping", nil, false),
            ]
            var made: Set<String> = []
            for (index, call) in calls.enumerated() {
                var headers = call.bearer ? ["Authorization": "Bearer \(viewer)"] : [:]
                let echoed = try await harness.client.send(
                    call.method, call.path, body: call.body, headers: headers.merging(["X-Request-ID": "call-\(index)"]) { $1 })
                #expect(echoed.headers["x-request-id"] == "call-\(index)", "\(call.method) \(call.path): \(echoed.status)")
                headers["X-Request-ID"] = nil
                let answer = try await harness.client.send(call.method, call.path, body: call.body, headers: headers)
                #expect(Self.isMadeID(answer.headers["x-request-id"]), "\(call.method) \(call.path): \(answer.headers)")
                made.insert(answer.headers["x-request-id"] ?? "")
            }
            #expect(made.count == calls.count, "a request ID of its own for each request")
            #expect(try await harness.tokenCacheHits() > 0, "answers for cached callers were among them")
        }
    }

    /// A refusal given before the request reaches either answer path (`Expect` with a body over the
    /// limit) carries it too. Over a socket: the channel's refusal is the subject.
    @Test func anExpectationRefusedCarriesTheRequestID() async throws {
        try await PolicydHarness.run(configure: { configuration, _ in configuration.maximumBodyBytes = 1024 }) { harness in
            let head = "POST \(Paths.dataList) HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n"
            let echoed = await RawConnection.exchange(port: harness.port, head + "X-Request-ID: big-1\r\n\r\n")
            #expect(echoed?.status == 413)
            #expect(echoed?.headers["x-request-id"] == "big-1")
            let made = await RawConnection.exchange(port: harness.port, head + "\r\n")
            #expect(made?.status == 413)
            #expect(Self.isMadeID(made?.headers["x-request-id"]))
        }
    }

    /// The same call with and without correlation headers (odd ones included) gets the same decision,
    /// for a token verified and one cached.
    @Test func noCorrelationHeaderChangesADecision() async throws {
        try await InProcessPolicyd.run { harness in
            let body = #"{"namespace": "testing"}"#
            let odd = [
                "X-Request-ID": String(repeating: "r", count: 500), "X-Correlation-ID": "admin",
                "traceparent": "00-garbage", "X-Calling-Service": "data-management-api",
            ]
            for groups in [["data/namespaces/testing/viewer"], ["data/namespaces/other/viewer"]] {
                let token = try await harness.token(groups: groups)
                var answers: [Data] = []
                for headers in [[:], Self.headers, odd, [:], Self.headers, odd] {
                    let answer = try await harness.client.send(
                        "POST", Paths.dataList, body: body,
                        headers: headers.merging(["Authorization": "Bearer \(token)"]) { $1 })
                    #expect(answer.status == 200)
                    answers.append(answer.body)
                }
                #expect(Set(answers).count == 1, "\(groups): \(answers.map { String(decoding: $0, as: UTF8.self) })")
            }
        }
    }

    /// The audit record names all four, for authorisation calls (a token verified and one cached) and at the gateway; a
    /// value that is not printable ASCII of at most 128 bytes is left out, and an unusable
    /// `X-Request-ID` replaced by the one made (and echoed).
    @Test func theAuditRecordCarriesThem() async throws {
        try await AuditLogTests.withAuditLog { harness, path in
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let body = #"{"namespace": "testing"}"#
            var headers = Self.headers
            headers["Authorization"] = "Bearer \(viewer)"
            // The first verifies the token, the second finds it cached.
            let before = try await harness.tokenCacheHits()
            for _ in 0..<2 { _ = try await harness.client.send("POST", Paths.dataList, body: body, headers: headers) }
            #expect(try await harness.tokenCacheHits() - before == 1)
            _ = try await harness.client.send("GET", "/v1/gateway/data-management-api/data/list/testing", headers: headers)
            let bad = try await harness.client.send(
                "POST", Paths.dataList, body: body,
                headers: ["X-Request-ID": "caf\u{E9}", "X-Correlation-ID": String(repeating: "c", count: 129),
                          "traceparent": "00-zz", "X-Calling-Service": "ok"])
            #expect(try await harness.eventually { AuditLogTests.records(in: path).count == 4 })
            let records = AuditLogTests.records(in: path)
            for record in records.prefix(3) {
                #expect(record["request_id"] as? String == "req-42")
                #expect(record["correlation_id"] as? String == "corr-7")
                #expect(record["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
                #expect(record["calling_service"] as? String == "SCAPI")
            }
            #expect(records[2]["endpoint"] as? String == "gateway")
            let last = records[3]
            #expect(Self.isMadeID(last["request_id"] as? String))
            #expect(last["request_id"] as? String == bad.headers["x-request-id"])
            #expect(last["correlation_id"] is NSNull)
            #expect(last["trace_id"] is NSNull)
            #expect(last["calling_service"] as? String == "ok")
        }
    }

    /// The request's log line, and the decision's, carry them, for a token verified and one cached.
    @Test func theLogLinesCarryThem() async throws {
        let records = LogRecords()
        try await InProcessPolicyd.run(logger: records.logger(level: .debug)) { harness in
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            var headers = Self.headers
            headers["Authorization"] = "Bearer \(viewer)"
            for index in 0..<2 {
                headers["X-Request-ID"] = "log-\(index)"
                _ = try await harness.client.send("POST", Paths.dataList, body: #"{"namespace": "testing"}"#, headers: headers)
            }
            #expect(try await harness.tokenCacheHits() == 1)
            for index in 0..<2 {
                for message in ["request", "decision"] {
                    let line = records.all.first { $0.contains(" \(message) ") && $0.contains("request_id=log-\(index)") }
                    #expect(line != nil, "\(message) of call \(index): \(records.all)")
                    #expect(line?.contains("correlation_id=corr-7") == true)
                    #expect(line?.contains("trace_id=4bf92f3577b34da6a3ce929d0e0e4736") == true)
                    #expect(line?.contains("calling_service=SCAPI") == true)
                }
            }
        }
    }
}
