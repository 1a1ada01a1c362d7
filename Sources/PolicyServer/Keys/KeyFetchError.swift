/// Why an issuer's keys could not be fetched; the description goes to `/health` and the log.
enum KeyFetchError: Error, Sendable, CustomStringConvertible {
    case unusableURL(String, String)
    case httpStatus(Int, url: String)
    case invalidDiscoveryDocument(url: String)
    case discoveryNamesOtherIssuer(String)
    case invalidKeySet(url: String)
    case noUsableKeys(url: String)
    case transport(url: String, String)

    var description: String {
        switch self {
        case .unusableURL(let url, let why): "cannot fetch \(url): \(why)"
        case .httpStatus(let status, let url): "HTTP \(status) from \(url)"
        case .invalidDiscoveryDocument(let url): "\(url) is not an OpenID configuration with a jwks_uri"
        case .discoveryNamesOtherIssuer(let issuer): "the discovery document names another issuer: \(issuer)"
        case .invalidKeySet(let url): "\(url) is not a JWKS document"
        case .noUsableKeys(let url): "\(url) holds no key that can verify signatures"
        case .transport(let url, let error): "fetching \(url) failed: \(error)"
        }
    }
}
