/// Why an issuer's keys could not be fetched; the description goes to `/health` and the log.
enum KeyFetchError: Error, Sendable, CustomStringConvertible {
    case unusableURL(IssuerURL.Unusable)
    case document(IssuerDocument.Failure)
    case discovery(IssuerDiscovery.Failure)
    case invalidKeySet(url: String)
    case noUsableKeys(url: String)

    var description: String {
        switch self {
        case .unusableURL(let unusable): unusable.description
        case .document(let failure): failure.description
        case .discovery(let failure): failure.description
        case .invalidKeySet(let url): "\(url) is not a JWKS document"
        case .noUsableKeys(let url): "\(url) holds no key that can verify signatures"
        }
    }
}
