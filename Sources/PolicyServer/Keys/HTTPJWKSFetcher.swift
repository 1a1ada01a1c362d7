import AsyncHTTPClient
import Foundation
import NIOCore
import PolicyTokens

/// Fetches issuers' JWKS documents over HTTP(S): from a configured URL, or from the `jwks_uri` of the
/// issuer's OpenID configuration. Every outcome is recorded on the status board for `/health` and
/// for the refresh schedule (which honours the JWKS response's `Cache-Control: max-age`).
struct HTTPJWKSFetcher: JWKSFetcher {
    let client: HTTPClient
    let configuredURLs: [String: String]
    let board: IssuerKeyStatusBoard
    let metrics: PolicydMetrics
    let timeout: Duration
    let now: @Sendable () -> Date

    /// Far above any real key set, low enough that a hostile endpoint cannot exhaust memory.
    static let maximumDocumentBytes = 1 << 20

    func fetchJWKS(forIssuer issuer: String) async throws -> Data {
        do {
            let url = try await jwksURL(for: issuer)
            let (body, maxAge) = try await get(url)
            let keys: IssuerKeys
            do {
                keys = try IssuerKeys(jwksJSON: body)
            } catch {
                throw KeyFetchError.invalidKeySet(url: url.absoluteString)
            }
            guard !keys.keyIDs.isEmpty else { throw KeyFetchError.noUsableKeys(url: url.absoluteString) }
            board.recordSuccess(issuer: issuer, keyIDs: Array(keys.keyIDs), maxAge: maxAge, at: now())
            metrics.recordKeyFetch(issuer: issuer, succeeded: true)
            return body
        } catch {
            board.recordFailure(issuer: issuer, error: Self.describe(error), at: now())
            metrics.recordKeyFetch(issuer: issuer, succeeded: false)
            throw error
        }
    }

    private func jwksURL(for issuer: String) async throws -> URL {
        if let configured = configuredURLs[issuer] {
            return try KeyFetchURL.checked(configured)
        }
        let discovery = try KeyFetchURL.checked(OpenIDConfiguration.discoveryURL(forIssuer: issuer))
        let (body, _) = try await get(discovery)
        let configuration = try OpenIDConfiguration(json: body, from: discovery.absoluteString)
        guard IssuerIdentifier.same(configuration.issuer, issuer) else {
            throw KeyFetchError.discoveryNamesOtherIssuer(configuration.issuer)
        }
        return try KeyFetchURL.checked(configuration.jwksURI)
    }

    /// The body, and the `max-age` the response allows caching it for.
    private func get(_ url: URL) async throws -> (Data, TimeInterval?) {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        do {
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            guard response.status == .ok else {
                throw KeyFetchError.httpStatus(Int(response.status.code), url: url.absoluteString)
            }
            let body = try await response.body.collect(upTo: Self.maximumDocumentBytes)
            let maxAge = CacheControl.maxAge(response.headers[canonicalForm: "Cache-Control"].map(String.init))
            return (Data(body.readableBytesView), maxAge)
        } catch let error as KeyFetchError {
            throw error
        } catch {
            throw KeyFetchError.transport(url: url.absoluteString, String(describing: error))
        }
    }

    private static func describe(_ error: any Error) -> String {
        let text = (error as? KeyFetchError)?.description ?? String(describing: error)
        return text.count > 300 ? String(text.prefix(300)) + "..." : text
    }
}
