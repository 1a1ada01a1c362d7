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
/// written at once, by the thread whose record filled it. A crash loses at most one interval's
/// records. `written` counts the records that reached the destination whole, so that records
/// written can be held to decisions made.
///
/// Nothing is dropped or doubled on the way: one writer at a time takes the buffer and writes it
/// whole, so batches leave in the order their records were made and never interleave (two writes
/// to a pipe, standard output's usual destination, could split each other's records past 4 KiB),
/// and a destination that cannot take more yet (a non-blocking pipe, `EAGAIN`) is waited for, not
/// given up on: a decision that fills the buffer then waits too, as the slow reader makes it.
/// Only a destination that refuses the bytes (`ENOSPC`, `EPIPE`, `EIO`) loses that batch, counted
/// in `lost`.
final class AuditLog: Sendable {
    let sampleRate: Double
    private let descriptor: Int32
    /// `policyd_audit_records_total`.
    private let written: Counter
    /// `policyd_audit_records_lost_total`.
    private let lost: Counter
    /// Records not yet written: their bytes, and how many (so that a batch written whole is counted
    /// without looking at its bytes again).
    private struct Pending {
        var bytes: [UInt8] = []
        var records = 0
    }

    private let buffer = NIOLockedValueBox(Pending())
    /// Held while a batch is taken and written: one writer at a time, batches in order.
    private let writing = NIOLock()
    static let flushBytes = 64 << 10
    /// Room for a decision's record with its correlation members, so that writing it rarely grows it.
    static let typicalRecordBytes = 768
    static let flushInterval = Duration.milliseconds(200)

    /// Nil when `sampleRate` is 0 (the log is off).
    convenience init?(sampleRate: Double, destination: AuditDestination, written: Counter, lost: Counter) throws {
        guard sampleRate > 0 else { return nil }
        switch destination {
        case .standardOutput:
            self.init(sampleRate: sampleRate, descriptor: STDOUT_FILENO, written: written, lost: lost)
        case .file(let path):
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard descriptor >= 0 else {
                throw ConfigurationError("audit log \(path): cannot open it for writing (\(String(cString: strerror(errno))))")
            }
            self.init(sampleRate: sampleRate, descriptor: descriptor, written: written, lost: lost)
        }
    }

    /// On a descriptor already open (tests hand it a pipe's end).
    init(sampleRate: Double, descriptor: Int32, written: Counter, lost: Counter) {
        self.sampleRate = sampleRate
        self.descriptor = descriptor
        self.written = written
        self.lost = lost
    }

    /// Records a decision, if it is sampled; `make` runs only then.
    func record(_ make: () -> AuditRecord) {
        if let record = sampled(make) { write(record) }
    }

    /// A decision's record, made only if the decision is sampled (`--audit-sample`): for a record
    /// that is written later (after its shadow decision), and must not cost a decision that is not.
    func sampled(_ make: () -> AuditRecord) -> AuditRecord? {
        sampleRate >= 1 || Double.random(in: 0..<1) < sampleRate ? make() : nil
    }

    /// Writes a record already sampled (`sampled`).
    func write(_ record: AuditRecord) {
        // Made outside the lock, which is held for a copy only: made inside it, two event loops
        // writing records at once waited for each other (futex waits and wakes, 1.4% of a busy
        // server's samples), which cost more than the line's allocation.
        var line: [UInt8] = []
        line.reserveCapacity(Self.typicalRecordBytes)
        record.write(into: &line)
        let full = buffer.withLockedValue { pending in
            pending.bytes.append(contentsOf: line)
            pending.records += 1
            return pending.bytes.count >= Self.flushBytes
        }
        if full { flush() }
    }

    /// Writes out what the buffer holds, after any batch being written.
    func flush() {
        writing.withLock {
            let taken = buffer.withLockedValue { pending -> Pending in
                defer {
                    pending.bytes.removeAll(keepingCapacity: true)
                    pending.records = 0
                }
                return pending
            }
            if taken.records > 0 { write(taken) }
        }
    }

    private func write(_ batch: Pending) {
        let reached = batch.bytes.withUnsafeBytes { raw -> Int in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    waitUntilWritable()
                } else {
                    break  // Nowhere to report it but the log that failed, and the counts; decisions go on.
                }
            }
            return offset
        }
        // A record is written once its newline is: the one raw newline it holds, its last byte.
        let whole = reached == batch.bytes.count
            ? batch.records : batch.bytes[..<reached].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        written.increment(by: Int64(whole))
        if whole < batch.records { lost.increment(by: Int64(batch.records - whole)) }
    }

    private func waitUntilWritable() {
        var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        while poll(&ready, 1, -1) < 0, errno == EINTR {}
    }
}
