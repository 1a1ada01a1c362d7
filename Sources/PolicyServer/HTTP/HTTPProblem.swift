import Hummingbird
import PolicyCore

/// A request policyd refuses to answer with a decision: an HTTP status and a one-line `detail`.
struct HTTPProblem: Error, Sendable {
    let status: HTTPResponse.Status
    let detail: String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    static let noSuchPolicy = HTTPProblem(.notFound, "no such policy")

    /// A path policyd serves, asked with a method it does not answer there.
    static func methodNotAllowed(allowed: [HTTPRequest.Method]) -> HTTPProblem {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        return HTTPProblem(.methodNotAllowed, "method not allowed; use \(allow)", headers: [.allow: allow])
    }

    /// A body over `--max-body-bytes`: read too far, or announced by a `Content-Length` with
    /// `Expect: 100-continue` (`HTTP1ServerCodec`).
    static func bodyTooLarge(limit: Int) -> HTTPProblem {
        HTTPProblem(.contentTooLarge, "the request body is larger than \(limit) bytes")
    }

    /// The request's bytes did not decode (HTTP framing, a chunk size): the connection cannot be trusted
    /// to carry another request, so it is closed.
    static func undecodableRequest(_ error: any Error) -> HTTPProblem {
        HTTPProblem(
            .badRequest, "the request could not be read: \(type(of: error))", headers: [.connection: "close"])
    }

    /// `{"detail": …}`.
    var body: [UInt8] {
        Array(JSONWriter.string(.object([.init("detail", .string(detail))])).utf8)
    }

    var response: Response {
        var response = Response.json(bytes: body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}
