import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One request written byte for byte on a fresh loopback connection, for requests AsyncHTTPClient
/// cannot send safely: with request heads of tens of kilobytes it can trap ("Waiting for response data
/// must start after request head was sent") when the answer comes while it is still writing.
enum RawHTTP {
    /// The answer (read until the server closes; send `Connection: close`); nil when the server closed or
    /// reset the connection without one.
    static func send(port: Int, _ request: String) async -> HTTPTestClient.Answer? {
        // Blocking socket calls on a thread of their own: on the concurrency pool they would starve the
        // server under test, whose handlers need that pool to answer.
        let bytes = Array(request.utf8)
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: exchange(port: port, bytes)) }.start()
        }
    }

    private static func exchange(port: Int, _ request: [UInt8]) -> HTTPTestClient.Answer? {
        guard let socket = connectedLoopbackSocket(port: port) else { return nil }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // MSG_NOSIGNAL: a server that closes early must not kill the test process with SIGPIPE.
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { break }
            sent += count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        // "HTTP/1.1 400 Bad Request\r\n…\r\n\r\nbody"
        let text = String(decoding: received, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
        let statusLine = text[..<headEnd.lowerBound].prefix(while: { $0 != "\r" })
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, let status = Int(fields[1]) else { return nil }
        return HTTPTestClient.Answer(status: status, headers: [:], body: Data(text[headEnd.upperBound...].utf8))
    }
}
