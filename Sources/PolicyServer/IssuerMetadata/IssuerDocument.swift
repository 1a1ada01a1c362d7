import AsyncHTTPClient
import Foundation
import NIOCore

/// A JSON document fetched from an issuer: its discovery document or a key set. Bounded in size (far
/// above any real document, low enough that a hostile endpoint cannot exhaust memory), never
/// redirected (the client refuses redirects: one could lead from https to plain http).
enum IssuerDocument {
    static let maximumBytes = 1 << 20

    enum Failure: Error, Sendable, CustomStringConvertible {
        case httpStatus(Int, url: String)
        case transport(url: String, String)

        var description: String {
            switch self {
            case .httpStatus(let status, let url): "HTTP \(status) from \(url)"
            case .transport(let url, let error): "fetching \(url) failed: \(error)"
            }
        }
    }

    /// The body, and the `max-age` its response allows caching it for.
    static func get(_ url: URL, client: HTTPClient, timeout: Duration) async throws(Failure) -> (body: Data, maxAge: TimeInterval?) {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, timeout: TimeAmount(timeout))
            guard response.status == .ok else { throw Failure.httpStatus(Int(response.status.code), url: url.absoluteString) }
            body = try await response.body.collect(upTo: maximumBytes)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .transport(url: url.absoluteString, String(describing: error))
        }
        let maxAge = CacheControl.maxAge(response.headers[canonicalForm: "Cache-Control"].map(String.init))
        return (Data(body.readableBytesView), maxAge)
    }
}
