#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

func printError(_ line: String) {
    writeAll(Array((line + "\n").utf8), to: 2)
}

/// A line on standard output at once, unbuffered: for a server announcing where it listens.
func printNow(_ line: String) {
    writeAll(Array((line + "\n").utf8), to: 1)
}

private func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

/// Collects standard output and writes it in large pieces: a batch of a million answers should
/// not cost a million system calls. Whatever is left is written when it goes out of scope.
struct BufferedOutput: ~Copyable {
    private var buffer: [UInt8] = []

    init() {
        buffer.reserveCapacity(1 << 16)
    }

    mutating func writeLine(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 {
            writeAll(buffer, to: 1)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    deinit {
        writeAll(buffer, to: 1)
    }
}
