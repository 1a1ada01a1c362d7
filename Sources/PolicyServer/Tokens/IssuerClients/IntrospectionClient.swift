import AsyncHTTPClient
import Foundation
import NIOCore
import PolicyCore
import PolicyTokens

/// Asks an issuer about a token by OAuth 2.0 Token Introspection (RFC 7662): `POST token=…` to its
/// introspection endpoint, authenticated as the permissions client with HTTP Basic (§2.1). The answer's
/// `active` decides whether the token counts at all; its other members are checked, like a token's claims,
/// against each policy (`GroupAnswerCheck`).
struct IntrospectionClient: Sendable {
    let client: HTTPClient
    let credentials: ClientCredentials?
    let timeout: Duration

    func introspect(_ token: String, at url: URL) async -> Result<GroupAnswer, GroupLookupFailure> {
        // Configuration refuses introspection without credentials; this only guards against a caller
        // building the server by hand, and never sends a token without them.
        guard let credentials else {
            return .failure(.unusableURL(url.absoluteString, "no client credentials are configured"))
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: credentials.basicAuthorization)
        let form = "token=" + ClientCredentials.formEncoded(token) + "&token_type_hint=access_token"
        request.body = .bytes(ByteBuffer(string: form))

        let status: Int
        let body: [UInt8]
        switch await IssuerCall.perform(request, on: client, timeout: timeout) {
        case .failure(let failure): return .failure(failure)
        case .success(let answer): (status, body) = answer
        }
        // RFC 7662 §2.3: 401 when the client's authentication failed; INDIGO IAM (MITREid) answers 403
        // to a client that is not allowed to introspect.
        guard status != 401, status != 403 else { return .failure(.credentialsRefused(status, url: url.absoluteString)) }
        guard status == 200 else { return .failure(.httpStatus(status, url: url.absoluteString)) }
        let claims: [String: JSONValue]
        do {
            claims = try GroupAnswer.object(body)
        } catch {
            return .failure(.malformedAnswer(url: url.absoluteString, error.why))
        }
        switch claims["active"] {
        case .bool(true)?: return .success(.claims(TokenClaims(claims)))
        case .bool(false)?: return .success(.inactive(reason: "introspection: token not active"))
        default: return .failure(.malformedAnswer(url: url.absoluteString, "has no boolean 'active'"))
        }
    }
}
