#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A bare loopback TCP connection, for what an HTTP client library would not do: send a request
/// that is not valid HTTP, a head of tens of kilobytes (AsyncHTTPClient can trap when the answer
/// comes while it is still writing one), half a request and then nothing, or a request trickled
/// byte by byte. Non-blocking: waiting for the server is an async poll, never a blocked thread (a
/// blocked thread of the concurrency pool would starve the server under test).
struct RawConnection {
    struct Failed: Error { let call: String }

    private let descriptor: Int32

    /// - Parameter source: the client's own address; any of 127.0.0.0/8, which Linux routes on the
    ///   loopback interface, so that a test can be two clients with two addresses.
    init(port: Int, from source: String = "127.0.0.1") throws {
        guard let descriptor = connectedLoopbackSocket(port: port, from: source) else { throw Failed(call: "connect") }
        self.descriptor = descriptor
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    /// One request written byte for byte on a fresh connection, and its answer; nil when the server
    /// closed or reset the connection without one, or sent none within `seconds`.
    static func exchange(port: Int, _ request: String, seconds: Double = 10) async -> HTTPTestClient.Answer? {
        guard let connection = try? RawConnection(port: port) else { return nil }
        defer { connection.close() }
        guard await connection.sendAll(request, seconds: seconds) else { return nil }
        return try? await connection.readAnswer(seconds: seconds)
    }

    func close() {
        _ = Glibc.close(descriptor)
    }

    /// Sends the bytes at once; false once the server has closed the connection (or its buffer is full).
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        // MSG_NOSIGNAL: a server that closes early must not kill the test process with SIGPIPE.
        return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Sends every byte, waiting while the server's buffer is full; false when the server closed the
    /// connection first (it may have answered already: read the answer anyway).
    func sendAll(_ text: String, seconds: Double) async -> Bool {
        let bytes = Array(text.utf8)
        var sent = 0
        let deadline = Date().addingTimeInterval(seconds)
        while sent < bytes.count, Date() < deadline {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                sent += count
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                try? await Task.sleep(for: .milliseconds(5))
            } else {
                return true
            }
        }
        return sent == bytes.count
    }

    /// Whatever the server sends until it closes the connection, or nil when it has not closed it
    /// within `seconds`.
    func readUntilClosed(seconds: Double) async throws -> String? {
        try await read(seconds: seconds) { _ in false }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// What the server sends until `text` has arrived (everything received so far, `text` included),
    /// or nil when it has not within `seconds`: for an interim answer, which has no body.
    func read(untilReceiving text: String, seconds: Double) async throws -> String? {
        try await read(seconds: seconds) { String(decoding: $0, as: UTF8.self).contains(text) }
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// One answer: its head, and as much body as its `Content-Length` says (or until the server closes).
    func readAnswer(seconds: Double) async throws -> HTTPTestClient.Answer? {
        let received = try await read(seconds: seconds) { Self.parse($0, complete: true) != nil }
        return received.flatMap { Self.parse($0, complete: false) }
    }

    private func read(seconds: Double, until isEnough: ([UInt8]) -> Bool) async throws -> [UInt8]? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return received }
            if count > 0 {
                received += buffer[..<count]
                if isEnough(received) { return received }
            } else if errno == ECONNRESET {
                return received
            } else {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        return isEnough(received) ? received : nil
    }

    /// "HTTP/1.1 400 Bad Request\r\n…\r\n\r\nbody"; with `complete`, nil until the whole body is there.
    private static func parse(_ bytes: [UInt8], complete: Bool) -> HTTPTestClient.Answer? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<headEnd.lowerBound].split(separator: "\r\n")
        guard let statusLine = lines.first else { return nil }
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, let status = Int(fields[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = Data(text[headEnd.upperBound...].utf8)
        if complete, let length = headers["content-length"].flatMap(Int.init), body.count < length { return nil }
        if complete, headers["content-length"] == nil { return nil }
        return HTTPTestClient.Answer(status: status, headers: headers, body: body)
    }
}

/// A TCP socket connected to 127.0.0.1:`port` (blocking) from `source`, or nil; the caller closes it.
func connectedLoopbackSocket(port: Int, from source: String = "127.0.0.1") -> Int32? {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return nil }
    var local = sockaddr_in()
    local.sin_family = sa_family_t(AF_INET)
    local.sin_addr.s_addr = inet_addr(source)
    let bound = withUnsafePointer(to: &local) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else {
        _ = close(descriptor)
        return nil
    }
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

/// A loopback port held by a socket of the test's own until `release()`, so that no other server of
/// the suite (all bind port 0, from the same range) can take it in between. Not listening, it refuses
/// connections (an issuer that is down); listening, it takes them into its backlog and never answers
/// (an issuer whose every fetch waits for its timeout).
final class HeldLoopbackPort: Sendable {
    struct CannotHold: Error {}

    let port: Int
    private let descriptor: Mutex<Int32?>

    var url: String { "http://127.0.0.1:\(port)" }

    init(listening: Bool) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CannotHold() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let held = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
                    && (!listening || listen(descriptor, 64) == 0)
            }
        }
        guard held else {
            _ = close(descriptor)
            throw CannotHold()
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.descriptor = Mutex(descriptor)
    }

    /// Frees the port, for a server of the test's to bind it at once. Once only.
    func release() {
        if let descriptor = descriptor.withLock({ held in defer { held = nil }; return held }) {
            _ = close(descriptor)
        }
    }

    deinit { release() }
}
