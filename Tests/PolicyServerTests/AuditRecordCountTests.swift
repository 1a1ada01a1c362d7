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
        let log = try #require(try AuditLog(sampleRate: 1, destination: .file(path), written: Self.counter(count), lost: Self.counter(Count())))
        let records = 400
        for index in 0..<records { log.record { Self.record(index) } }
        #expect(count.value > 0, "past 64 KiB, written (and counted) without waiting for the flush")
        log.flush()
        #expect(count.value == Int64(records))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == records)
    }

    /// A destination that takes nothing (every write fails, `ENOSPC`): nothing counted as written,
    /// everything as lost.
    @Test func recordsNotWrittenAreNotCounted() throws {
        let count = Count(), lost = Count()
        let log = try #require(try AuditLog(sampleRate: 1, destination: .file("/dev/full"), written: Self.counter(count), lost: Self.counter(lost)))
        for index in 0..<10 { log.record { Self.record(index) } }
        log.flush()
        #expect(count.value == 0)
        #expect(lost.value == 10)
    }

    static func counter(_ handler: Count) -> Counter { Counter(label: "t", dimensions: [], handler: handler) }

    /// What a pipe's reader got, on a thread of its own, read until the writer's end is closed.
    final class PipeReader: @unchecked Sendable {
        private var bytes: [UInt8] = []
        private let done = DispatchSemaphore(value: 0)

        /// `slowly`: small reads with a pause between them, so that the pipe stays full.
        init(_ descriptor: Int32, after delay: TimeInterval = 0, slowly: Bool = false) {
            Thread.detachNewThread { [self] in
                Thread.sleep(forTimeInterval: delay)
                var chunk = [UInt8](repeating: 0, count: slowly ? 512 : 4096)
                while true {
                    let count = read(descriptor, &chunk, chunk.count)
                    if count <= 0 { break }
                    bytes.append(contentsOf: chunk[..<count])
                    if slowly { usleep(20) }
                }
                done.signal()
            }
        }

        var value: [UInt8] {
            done.wait()
            return bytes
        }
    }

    /// A pipe whose reader is slower than the writers: four threads each filling the buffer past
    /// 64 KiB, so that full buffers are written while the flush writes too. Every line read is one
    /// whole record, each record once: two writes at once into a pipe split each other's records.
    @Test func batchesNeverInterleaveInAPipe() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let count = Count(), lost = Count()
        let log = AuditLog(sampleRate: 1, descriptor: ends[1], written: Self.counter(count), lost: Self.counter(lost))
        let reader = PipeReader(ends[0], slowly: true)
        let writers = 4, records = 3000
        DispatchQueue.concurrentPerform(iterations: writers + 1) { writer in
            if writer == writers {
                for _ in 0..<50 { log.flush(); Thread.sleep(forTimeInterval: 0.002) }
                return
            }
            for index in 0..<records { log.record { Self.record(writer * records + index) } }
        }
        log.flush()
        close(ends[1])
        let lines = reader.value.split(separator: UInt8(ascii: "\n"))
        close(ends[0])
        let routes = lines.compactMap { line -> String? in
            guard case .object(let members)? = try? JSONReader.parse(Array(line)) else { return nil }
            return members.first { $0.key == "route" }?.value.stringValue
        }
        #expect(routes.count == lines.count, "every line one whole record")
        #expect(Set(routes).count == writers * records, "each record once")
        #expect(lines.count == writers * records)
        #expect(count.value == Int64(writers * records))
        #expect(lost.value == 0)
    }

    /// A non-blocking pipe that fills up (`EAGAIN`) is a slow reader, not a refusal: the writer waits
    /// until it can write, and nothing is lost.
    @Test func aFullNonBlockingPipeIsWaitedFor() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        let count = Count(), lost = Count()
        let log = AuditLog(sampleRate: 1, descriptor: ends[1], written: Self.counter(count), lost: Self.counter(lost))
        // The reader starts late: the pipe (64 KiB) is full long before.
        let reader = PipeReader(ends[0], after: 0.3)
        let records = 2000
        for index in 0..<records { log.record { Self.record(index) } }
        log.flush()
        close(ends[1])
        let lines = reader.value.split(separator: UInt8(ascii: "\n"))
        close(ends[0])
        #expect(lines.count == records)
        #expect(count.value == Int64(records))
        #expect(lost.value == 0)
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
