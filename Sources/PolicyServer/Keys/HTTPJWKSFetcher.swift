import AsyncHTTPClient
import Foundation
import PolicyTokens

/// Fetches issuers' JWKS documents over HTTP(S): from a configured URL, or from the `jwks_uri` of the
/// issuer's OpenID configuration (`IssuerDiscovery`, shared with the groups' endpoints). Every outcome
/// is recorded on the status board for `/health` and for the refresh schedule (which honours the JWKS
/// response's `Cache-Control: max-age`).
struct HTTPJWKSFetcher: JWKSFetcher {
    let client: HTTPClient
    let configuredURLs: [String: String]
    let discovery: IssuerDiscovery
    let board: IssuerKeyStatusBoard
    let metrics: PolicydMetrics
    let timeout: Duration
    let now: @Sendable () -> Date

    func fetchJWKS(forIssuer issuer: String) async throws -> Data {
        do {
            return try await fetchKeys(of: issuer, from: try await jwksURL(for: issuer))
        } catch {
            // The issuer may have moved its keys: its document is read again at the next try.
            if configuredURLs[issuer] == nil { discovery.forget(issuer) }
            board.recordFailure(issuer: issuer, error: Self.describe(error), at: now())
            metrics.recordKeyFetch(issuer: issuer, succeeded: false)
            throw error
        }
    }

    private func fetchKeys(of issuer: String, from url: URL) async throws(KeyFetchError) -> Data {
        let body: Data, maxAge: TimeInterval?
        do {
            (body, maxAge) = try await IssuerDocument.get(url, client: client, timeout: timeout)
        } catch {
            throw .document(error)
        }
        guard let keys = try? IssuerKeys(jwksJSON: body) else { throw .invalidKeySet(url: url.absoluteString) }
        guard !keys.keyIDs.isEmpty else { throw .noUsableKeys(url: url.absoluteString) }
        board.recordSuccess(issuer: issuer, keyIDs: Array(keys.keyIDs), maxAge: maxAge, at: now())
        metrics.recordKeyFetch(issuer: issuer, succeeded: true)
        return body
    }

    private func jwksURL(for issuer: String) async throws(KeyFetchError) -> URL {
        let text: String
        if let configured = configuredURLs[issuer] {
            text = configured
        } else {
            switch await discovery.configuration(of: issuer) {
            case .success(let configuration): text = configuration.jwksURI
            case .failure(let failure): throw .discovery(failure)
            }
        }
        do {
            return try IssuerURL.checked(text)
        } catch {
            throw .unusableURL(error)
        }
    }

    private static func describe(_ error: any Error) -> String {
        let text = (error as? KeyFetchError)?.description ?? String(describing: error)
        return text.count > 300 ? String(text.prefix(300)) + "..." : text
    }
}
