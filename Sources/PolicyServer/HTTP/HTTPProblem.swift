import Hummingbird

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

    /// The request's bytes did not decode (HTTP framing, a chunk size): the connection cannot be trusted
    /// to carry another request, so it is closed.
    static func undecodableRequest(_ error: any Error) -> HTTPProblem {
        HTTPProblem(
            .badRequest, "the request could not be read: \(type(of: error))", headers: [.connection: "close"])
    }

    var response: Response {
        var response = Response.json(.object([.init("detail", .string(detail))]), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}
