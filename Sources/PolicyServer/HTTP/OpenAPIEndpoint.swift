import Hummingbird
import NIOCore

/// `GET /v1/openapi.json`: the OpenAPI 3.1 document of the HTTP API (`OpenAPIDocument`), as written.
enum OpenAPIEndpoint {
    /// Made once, on the first request.
    private static let body = ByteBuffer(string: OpenAPIDocument.json)

    static func respond() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }
}
