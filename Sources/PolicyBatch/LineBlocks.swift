#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A batch file (or standard input) read in large blocks, each cut after its last `\n`, so that a
/// block holds whole lines and memory stays bounded whatever the file's size: one block, and the
/// rest of a line that did not fit (a block grows only for a line longer than itself).
public struct LineBlocks: BatchInput, ~Copyable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8]
    /// Bytes at the start of `buffer` read but not yet handed out (the end of an unfinished line).
    private var carried = 0
    private var finished = false
    /// The number of the first line of the next block (1-based, blank lines counted).
    private(set) var nextLineNumber = 1

    /// The bytes the block buffer holds: `blockBytes`, or more after a line longer than that.
    var bufferBytes: Int { buffer.count }

    public init(descriptor: Int32, ownsDescriptor: Bool, blockBytes: Int = 8 << 20) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        buffer = [UInt8](repeating: 0, count: blockBytes)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    private static func newlines(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var position = bytes.baseAddress!
        let end = bytes.baseAddress! + bytes.count
        while position < end, let found = memchr(position, Int32(UInt8(ascii: "\n")), end - position) {
            count += 1
            position = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return count
    }

    public mutating func next(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws -> Bool {
        guard !finished else { return false }
        var filled = carried
        var end: Int?
        while end == nil {
            if filled == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            let count = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + filled, raw.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw BatchFailure.unreadable
            }
            if count == 0 {
                finished = true
                end = filled
                break
            }
            let searchFrom = filled
            filled += count
            if let newline = buffer[searchFrom..<filled].lastIndex(of: UInt8(ascii: "\n")) { end = newline + 1 }
        }
        let blockEnd = end!
        try buffer.withUnsafeBufferPointer { bytes in
            try body(UnsafeBufferPointer(rebasing: bytes[..<blockEnd]), nextLineNumber)
        }
        nextLineNumber += buffer.withUnsafeBufferPointer { Self.newlines(in: UnsafeBufferPointer(rebasing: $0[..<blockEnd])) }
        // Keep what follows the block's last line for the next one.
        carried = filled - blockEnd
        if carried > 0 { buffer.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: $0.baseAddress! + blockEnd, count: carried) } }
        return blockEnd > 0 || !finished
    }
}
