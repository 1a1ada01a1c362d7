import Hummingbird
import NIOCore
import PolicyCore

extension Response {
    /// A JSON answer, written by PolicyCore's writer so numbers keep their literals.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let buffer = ByteBuffer(string: JSONWriter.string(value, style: .compact))
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: buffer))
    }

    /// A JSON answer already written as bytes.
    static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
