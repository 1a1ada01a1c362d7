#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A bare loopback TCP connection, for what an HTTP client library would not do: send half a request
/// and then nothing, or trickle it byte by byte.
struct RawConnection {
    struct Failed: Error { let call: String }

    private let descriptor: Int32

    init(port: Int) throws {
        guard let descriptor = connectedLoopbackSocket(port: port) else { throw Failed(call: "connect") }
        self.descriptor = descriptor
        // Non-blocking, so that waiting for the server is an async poll, never a blocked thread.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    func close() {
        _ = Glibc.close(descriptor)
    }

    /// Sends the bytes; false once the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Whatever the server sends until it closes the connection, or nil when it has not closed it
    /// within `seconds`.
    func readUntilClosed(seconds: Double) async throws -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return String(decoding: received, as: UTF8.self) }
            if count > 0 {
                received += buffer[..<count]
            } else if errno == ECONNRESET {
                return String(decoding: received, as: UTF8.self)
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        return nil
    }
}

/// A TCP socket connected to 127.0.0.1:`port` (blocking), or nil; the caller closes it.
func connectedLoopbackSocket(port: Int) -> Int32? {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else {
        _ = close(descriptor)
        return nil
    }
    return descriptor
}

/// A port nothing listens on now (bound, then released), for a server that starts later.
func freeLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
        }
    }
    guard bound else { throw RawConnection.Failed(call: "bind") }
    return Int(UInt16(bigEndian: address.sin_port))
}
