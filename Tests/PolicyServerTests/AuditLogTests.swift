import Foundation
import Logging
import PolicyServer
import Testing

/// The decision audit log (one JSON line per decision, never the token) and JSON log lines.
@Suite struct AuditLogTests {
    static let body = #"{"namespace": "testing"}"#

    static func records(in path: String) -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// A policyd recording every decision into a fresh file at `path`.
    static func withAuditLog(
        configure: @Sendable @escaping (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (InProcessPolicyd, String) async throws -> Void
    ) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await InProcessPolicyd.run(
            policies: ["dm.json": TestPolicies.dataManagementV1],
            configure: { configuration, _ in
                configuration.auditDestination = .file(path)
                configuration.auditSampleRate = 1
                configure(&configuration)
            }
        ) { harness in try await body(harness, path) }
    }

    /// The route and method fields are the caller's text: a token pasted after a `?`, or a megabyte,
    /// must not land in the log whole.
    @Test func whatTheCallerWritesIsCutShort() async throws {
        try await Self.withAuditLog { harness, path in
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let route = encoded("/data/list/testing?token=\(viewer)")
            _ = try await harness.client.post(
                "/v1/authorise/route/data-management-api?route=\(route)", body: Self.body, bearer: viewer)
            let longMethod = String(repeating: "M", count: 20_000)
            _ = try await harness.client.post(
                Paths.dataList + "&method=\(longMethod)", body: Self.body, bearer: viewer)
            #expect(try await harness.eventually { Self.records(in: path).count == 2 })
            let lines = Self.records(in: path)
            #expect(lines[0]["route"] as? String == "/data/list/testing")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!text.contains(viewer.split(separator: ".")[1]), "no part of the token")
            #expect((lines[1]["method"] as? String)?.utf8.count ?? .max <= 32 + 3)
            #expect((lines[1]["reason"] as? String)?.utf8.count ?? .max <= 1024 + 3)
        }
    }

    /// A C1 control (U+009B is the 8-bit CSI: an operator tailing the log would have it clear the
    /// screen or hide lines) or a line separator in the caller's route and method reaches the answer
    /// and the log escaped, and reads back as sent.
    @Test func controlCharactersAreEscaped() async throws {
        try await Self.withAuditLog { harness, path in
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let characters = ["\u{85}", "\u{9B}", "\u{9F}", "\u{2028}", "\u{2029}"]
            for character in characters {
                let answer = try await harness.client.post(
                    "/v1/authorise/route/data-management-api?route=\(encoded("/data/list/t" + character))"
                        + "&method=\(encoded("P" + character))",
                    bearer: viewer)
                #expect(!containsRawControl(answer.body))
                #expect(answer.reason == "method P\(character) not allowed on /data/list/{namespace}")
            }
            // nginx passes the original URI as the client sent it: raw bytes, which no client library
            // here sends, and which the in-process router is handed as they are.
            let gateway = try await harness.client.send(
                "GET", "/v1/gateway/data-management-api",
                headers: ["Authorization": "Bearer \(viewer)", "X-Original-URI": "/data/list/t\u{9B}", "X-Original-Method": "GET"])
            #expect(gateway.status == 403)
            #expect(try await harness.eventually { Self.records(in: path).count == characters.count + 1 })
            #expect(!containsRawControl(try Data(contentsOf: URL(fileURLWithPath: path))))
            let lines = Self.records(in: path)
            for (line, character) in zip(lines, characters) {
                #expect(line["route"] as? String == "/data/list/t" + character)
                #expect(line["method"] as? String == "P" + character)
                #expect(line["reason"] as? String == "method P\(character) not allowed on /data/list/{namespace}")
            }
            #expect(lines.last?["route"] as? String == "/data/list/t\u{9B}")
        }
    }

    /// UTF-8 of U+0080 to U+009F, U+2028 or U+2029, anywhere in `bytes`.
    func containsRawControl(_ bytes: Data) -> Bool {
        let bytes = Array(bytes)
        return bytes.indices.dropLast().contains { index in
            (bytes[index] == 0xC2 && (0x80...0x9F).contains(bytes[index + 1]))
                || (bytes[index] == 0xE2 && index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9))
        }
    }

    /// A method of a kilobyte is quoted in the reason as in the `method` field: its first 32 bytes.
    @Test func theReasonQuotesABoundedMethod() async throws {
        try await Self.withAuditLog { harness, path in
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let method = String(repeating: "M", count: 1023) + "é"
            let answer = try await harness.client.post(
                Paths.dataList + "&method=\(encoded(method))", body: Self.body, bearer: viewer)
            let expected = "method \(String(repeating: "M", count: 32))… not allowed on /data/list/{namespace}"
            #expect(answer.reason == expected)
            #expect(try await harness.eventually { Self.records(in: path).count == 1 })
            #expect(Self.records(in: path).first?["reason"] as? String == expected)
        }
    }

    @Test func everyDecisionIsRecordedWithWhoWhatAndWhy() async throws {
        try await Self.withAuditLog { harness, path in
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            _ = try await harness.client.post(Paths.dataList, body: Self.body, bearer: viewer)
            _ = try await harness.client.post(Paths.dataList, body: #"{"namespace": "lofar"}"#, bearer: nil)
            _ = try await harness.client.send(
                "GET", "/v1/gateway/data-management-api/data/list/testing", headers: ["Authorization": "Bearer \(viewer)"])
            #expect(try await harness.eventually { Self.records(in: path).count == 3 })

            let lines = Self.records(in: path)
            let allowed = try #require(lines.first)
            #expect(allowed["endpoint"] as? String == "authorise")
            #expect(allowed["service"] as? String == "data-management-api")
            #expect(allowed["type"] as? String == "route")
            #expect(allowed["version"] as? Int == 1)
            #expect(allowed["route"] as? String == "/data/list/{namespace}")
            #expect(allowed["route_template"] as? String == "/data/list/{namespace}")
            #expect(allowed["method"] as? String == "GET")
            #expect(allowed["is_authorised"] as? Bool == true)
            #expect(allowed["reason"] as? String == "GET /data/list/{namespace}: expression true")
            #expect(allowed["sub"] as? String == "tester")
            #expect(allowed["iss"] as? String == harness.issuerURL)
            #expect(allowed["token_source"] as? String == "header")
            #expect(allowed["latency_us"] is Int)
            #expect((allowed["time"] as? String)?.hasSuffix("Z") == true)

            #expect(lines[1]["reason"] as? String == "missing token")
            #expect(lines[1]["sub"] is NSNull)
            #expect(lines[2]["endpoint"] as? String == "gateway")
            #expect(lines[2]["route"] as? String == "/data/list/testing")

            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!text.contains(viewer), "the token never reaches the audit log")
        }
    }

    @Test func aSampleRateOfZeroTurnsTheLogOff() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await InProcessPolicyd.run(configure: { configuration, _ in
            configuration.auditDestination = .file(path)
            configuration.auditSampleRate = 0
        }) { harness in
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            _ = try await harness.client.post(Paths.dataList, body: Self.body, bearer: viewer)
            try await Task.sleep(for: .milliseconds(400))
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func jsonLogLinesCarryLevelMessageAndMetadata() throws {
        let lines = LockedLines()
        var handler = JSONLogHandler(label: "policyd") { lines.append($0) }
        handler.metadata["hb.request.id"] = "42"
        let logger = Logger(label: "policyd") { _ in handler }
        logger.warning("policy reload failed", metadata: ["problems": "2"])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("\n"))
        let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(record["level"] as? String == "warning")
        #expect(record["label"] as? String == "policyd")
        #expect(record["message"] as? String == "policy reload failed")
        #expect(record["problems"] as? String == "2")
        #expect(record["hb.request.id"] as? String == "42")
        #expect(record["time"] is String)
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
