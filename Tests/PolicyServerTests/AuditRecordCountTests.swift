import Foundation
import Metrics
import NIOConcurrencyHelpers
import PolicyCore
import PolicyDigest
@testable import PolicyServer
import Testing

/// `policyd_audit_records_total`: records that reached the audit log's destination whole, so that
/// records written can be held to decisions made.
@Suite struct AuditRecordCountTests {
    final class Count: CounterHandler, Sendable {
        private let total = NIOLockedValueBox<Int64>(0)
        var value: Int64 { total.withLockedValue { $0 } }
        func increment(by amount: Int64) { total.withLockedValue { $0 += amount } }
        func reset() { total.withLockedValue { $0 = 0 } }
    }

    static func record(_ index: Int) -> AuditRecord {
        AuditRecord(
            time: Date(), endpoint: "authorise", service: "svc", type: .route, version: 1, route: "/a/\(index)\n",
            routeTemplate: nil, method: "GET", decision: .denied(.noMatchingRoute), subject: "line\nbreak", issuer: nil,
            latency: .microseconds(3), policyRevision: PolicyRevision(of: PolicySet([])))
    }

    /// Each record counted once it is written, a buffer written at once past 64 KiB and the rest at
    /// the flush alike; a newline in a caller's text is escaped, so it counts nothing.
    @Test func recordsAreCountedWhenWritten() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let count = Count()
        let log = try #require(try AuditLog(sampleRate: 1, destination: .file(path), written: Counter(label: "t", dimensions: [], handler: count)))
        let records = 400
        for index in 0..<records { log.record { Self.record(index) } }
        #expect(count.value > 0, "past 64 KiB, written (and counted) without waiting for the flush")
        log.flush()
        #expect(count.value == Int64(records))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == records)
    }

    /// A destination that takes nothing (every write fails, `ENOSPC`): nothing counted.
    @Test func recordsNotWrittenAreNotCounted() throws {
        let count = Count()
        let log = try #require(try AuditLog(sampleRate: 1, destination: .file("/dev/full"), written: Counter(label: "t", dimensions: [], handler: count)))
        for index in 0..<10 { log.record { Self.record(index) } }
        log.flush()
        #expect(count.value == 0)
    }

    /// N decisions over HTTP, the Permissions API's and the gateway's, allowed, denied and refused,
    /// more than one buffer's worth: N records in the file, N counted, N decisions counted.
    @Test func recordsWrittenEqualDecisionsMade() async throws {
        try await AuditLogTests.withAuditLog { harness, path in
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let decisions = 240
            for index in 0..<decisions {
                switch index % 4 {
                case 0: _ = try await harness.client.post(Paths.dataList, body: AuditLogTests.body, bearer: viewer)
                case 1: _ = try await harness.client.post(Paths.dataList, body: #"{"namespace": "lofar"}"#, bearer: viewer)
                case 2: _ = try await harness.client.post(Paths.dataList, body: AuditLogTests.body, bearer: nil)
                default:
                    _ = try await harness.client.send(
                        "GET", "/v1/gateway/data-management-api/data/list/testing", headers: ["Authorization": "Bearer \(viewer)"])
                }
            }
            #expect(try await harness.eventually { AuditLogTests.records(in: path).count == decisions })
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            #expect(size > AuditLog.flushBytes, "a full buffer written at once, too")
            let metrics = String(decoding: try await harness.client.get("/metrics").body, as: UTF8.self)
            var recorded = 0.0, decided = 0.0
            for line in metrics.split(separator: "\n") {
                let value = Double(line.split(separator: " ").last ?? "") ?? 0
                if line.hasPrefix("policyd_audit_records_total ") { recorded += value }
                if line.hasPrefix("policyd_decisions_total{") { decided += value }
            }
            #expect(recorded == Double(decisions))
            #expect(decided == Double(decisions))
        }
    }
}
