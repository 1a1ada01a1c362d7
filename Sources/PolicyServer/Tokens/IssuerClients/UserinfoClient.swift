import AsyncHTTPClient
import Foundation
import NIOCore
import PolicyTokens

/// Asks an issuer's OIDC userinfo endpoint (OIDC Core §5.3) for the claims of the caller, with the
/// caller's own (already verified) token as the bearer: no client credentials are involved, and the
/// answer holds what the token's scopes let the issuer release.
struct UserinfoClient: Sendable {
    let client: HTTPClient
    let timeout: Duration

    func userinfo(_ token: String, at url: URL) async -> Result<GroupAnswer, GroupLookupFailure> {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer " + token)

        let status: Int
        let body: [UInt8]
        switch await IssuerCall.perform(request, on: client, timeout: timeout) {
        case .failure(let failure): return .failure(failure)
        case .success(let answer): (status, body) = answer
        }
        // RFC 6750 §3.1: 401 for a token that is expired, revoked or otherwise not valid; 403 for one that
        // lacks the scope. Either way the issuer will not vouch for the token: a denial, not an outage.
        if status == 401 || status == 403 {
            return .success(.inactive(reason: "userinfo: the issuer refused the token (HTTP \(status))"))
        }
        guard status == 200 else { return .failure(.httpStatus(status, url: url.absoluteString)) }
        do {
            return .success(.claims(TokenClaims(try GroupAnswer.object(body))))
        } catch {
            // A signed or encrypted userinfo answer (application/jwt) lands here too: not supported.
            return .failure(.malformedAnswer(url: url.absoluteString, error.why))
        }
    }
}
