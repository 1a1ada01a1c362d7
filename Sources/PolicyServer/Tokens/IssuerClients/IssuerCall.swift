import AsyncHTTPClient
import NIOCore

/// One request to an issuer's introspection or userinfo endpoint: the status and the body (up to 1 MiB:
/// an answer about one token is a few hundred bytes, and a hostile endpoint must not exhaust memory), or
/// why there is none. Redirects are never followed (the shared client refuses them): one could carry the
/// client secret or the caller's token from https to http.
enum IssuerCall {
    static func perform(
        _ request: HTTPClientRequest, on client: HTTPClient, timeout: Duration
    ) async -> Result<(status: Int, body: [UInt8]), GroupLookupFailure> {
        do {
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            let body = try await response.body.collect(upTo: IssuerDocument.maximumBytes)
            return .success((Int(response.status.code), Array(body.readableBytesView)))
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            // The client's own deadline equals the caller's (`Deadline.run`): whichever fires first,
            // the failure is the same timeout, not a transport error.
            return .failure(.timedOut(timeout))
        } catch {
            return .failure(.transport(url: request.url, Self.describe(error)))
        }
    }

    /// NIO's and AsyncHTTPClient's errors, briefly: they never hold the request's headers or body.
    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "..." : text
    }
}
