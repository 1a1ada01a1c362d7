import Hummingbird
import NIOCore

enum RequestBodyReader {
    /// The whole body, refused (413) beyond `limit` bytes. How long it may take to arrive is bounded
    /// by `RequestReadDeadline`. A body that cannot be read (a malformed chunked encoding, a connection
    /// closed halfway) is the client's doing: 400, never an internal error.
    static func collect(_ request: Request, upTo limit: Int) async throws(HTTPProblem) -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPProblem.bodyTooLarge(limit: limit)
        } catch {
            throw HTTPProblem.undecodableRequest(error)
        }
    }
}
