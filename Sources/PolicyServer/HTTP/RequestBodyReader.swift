import Hummingbird
import NIOCore

enum RequestBodyReader {
    static func collect(_ request: Request, upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPProblem(.contentTooLarge, "the request body is larger than \(limit) bytes")
        }
    }
}
