#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The answers of a batch, held until every line has been read: a line that is not a query stops
/// the run with nothing answered, whatever came before it. In memory up to `memoryLimit` bytes,
/// then in an unlinked temporary file, so that memory stays bounded however long the batch is.
public struct AnswerSpool: AnswerSink, ~Copyable {
    private var memory: [UInt8] = []
    private var file: Int32 = -1
    private let memoryLimit: Int

    /// The answers held in memory now, not yet in the file.
    var bytesInMemory: Int { memory.count }

    public init(memoryLimit: Int = 64 << 20) {
        self.memoryLimit = memoryLimit
    }

    deinit {
        if file >= 0 { close(file) }
    }

    public mutating func append(_ bytes: [UInt8]) throws {
        memory.append(contentsOf: bytes)
        guard memory.count >= memoryLimit else { return }
        if file < 0 { file = try Self.temporaryFile() }
        try Self.writeAll(memory, to: file)
        memory.removeAll(keepingCapacity: true)
    }

    /// Everything, to `output` (standard output: 1), in large writes.
    public consuming func deliver(to output: Int32) throws {
        if file >= 0 {
            guard lseek(file, 0, SEEK_SET) == 0 else { throw AnswerSpoolError.io }
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw AnswerSpoolError.io }
                if count == 0 { break }
                try Self.writeAll(Array(chunk[..<count]), to: output)
            }
        }
        try Self.writeAll(memory, to: output)
    }

    private static func temporaryFile() throws -> Int32 {
        var template = Array((NSTemporaryDirectory() + "/policyc-answers-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw AnswerSpoolError.io }
        // Gone from the directory at once: the file lives as long as the descriptor, crash or not.
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return descriptor
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw AnswerSpoolError.io }
                offset += written
            }
        }
    }
}

public enum AnswerSpoolError: Error {
    case io
}
