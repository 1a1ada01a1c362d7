import CoreMetrics
import Foundation
import NIOConcurrencyHelpers
import PolicyCore

/// Where the audit log goes.
public enum AuditDestination: Sendable, Equatable {
    case standardOutput
    /// Appended to; created if missing.
    case file(String)
}

/// The decision audit log: one JSON line per decision (or per sampled decision), buffered and written
/// in batches, since a write per decision would cost more than the decision. `AuditFlushService`
/// writes the buffer out every `flushInterval` and at shutdown; a buffer past `flushBytes` is
/// written at once. A crash loses at most one interval's records. `written` counts the records
/// that reached the destination whole, so that records written can be held to decisions made.
final class AuditLog: Sendable {
    let sampleRate: Double
    private let descriptor: Int32
    /// `policyd_audit_records_total`.
    private let written: Counter
    private let buffer = NIOLockedValueBox<[UInt8]>([])
    static let flushBytes = 64 << 10
    static let flushInterval = Duration.milliseconds(200)

    /// Nil when `sampleRate` is 0 (the log is off).
    init?(sampleRate: Double, destination: AuditDestination, written: Counter) throws {
        guard sampleRate > 0 else { return nil }
        self.sampleRate = sampleRate
        self.written = written
        switch destination {
        case .standardOutput:
            descriptor = STDOUT_FILENO
        case .file(let path):
            descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard descriptor >= 0 else {
                throw ConfigurationError("audit log \(path): cannot open it for writing (\(String(cString: strerror(errno))))")
            }
        }
    }

    /// Records a decision, if it is sampled; `make` runs only then.
    func record(_ make: () -> AuditRecord) {
        guard sampleRate >= 1 || Double.random(in: 0..<1) < sampleRate else { return }
        let record = make()
        // Written straight into the buffer: a line of its own first was an allocation and a copy
        // per decision.
        let full = buffer.withLockedValue { buffer -> [UInt8]? in
            record.write(into: &buffer)
            guard buffer.count >= Self.flushBytes else { return nil }
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if let full { write(full) }
    }

    func flush() {
        let pending = buffer.withLockedValue { buffer -> [UInt8] in
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if !pending.isEmpty { write(pending) }
    }

    private func write(_ bytes: [UInt8]) {
        let reached = bytes.withUnsafeBytes { raw -> Int in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 {
                    if errno == EINTR { continue }
                    break  // Nowhere to report it but the log that failed, and the count; decisions go on.
                }
                offset += written
            }
            return offset
        }
        // A record is written once its newline is: the one raw newline it holds, its last byte.
        written.increment(by: Int64(bytes[..<reached].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }))
    }
}
