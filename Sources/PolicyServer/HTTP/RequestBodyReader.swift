import Hummingbird
import NIOCore

enum RequestBodyReader {
    /// The whole body, refused (413) beyond `limit` bytes. How long it may take to arrive is bounded
    /// by `RequestReadDeadline`.
    static func collect(_ request: Request, upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPProblem(.contentTooLarge, "the request body is larger than \(limit) bytes")
        }
    }
}
