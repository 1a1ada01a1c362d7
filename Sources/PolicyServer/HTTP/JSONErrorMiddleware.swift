import Hummingbird
import NIOCore
import NIOHTTP1

/// Every refusal leaves as `{"detail": "…"}` with its status, whatever raised it: our own problems,
/// the router's 404 for unknown paths, a request that does not decode (400, logged at debug: it is
/// the client's doing), or anything unexpected (a 500 that is logged without the request's query
/// string, where a token may travel).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as HTTPProblem {
            return problem.response
        } catch let error as HTTPError {
            let detail = error.body ?? error.status.reasonPhrase.lowercased()
            return HTTPProblem(error.status, detail, headers: error.headers).response
        } catch let error as any HTTPResponseError {
            return HTTPProblem(error.status, error.status.reasonPhrase.lowercased()).response
        } catch is NIOTooManyBytesError {
            return HTTPProblem(.contentTooLarge, "the request body is too large").response
        } catch let error as HTTPParserError {
            context.logger.debug("undecodable request", metadata: ["error": "\(error)"])
            return HTTPProblem.undecodableRequest(error).response
        } catch {
            context.logger.error(
                "unexpected error", metadata: ["error.type": "\(type(of: error))", "path": "\(request.uri.path)"])
            return HTTPProblem(.internalServerError, "internal error").response
        }
    }
}
