/// Where policyd takes one issuer's keys from.
enum KeyOrigin: Sendable, Equatable {
    /// A JWKS file read at start.
    case file(String)
    /// `--dev`: the development key set.
    case development
    /// A configured JWKS URL, fetched and refreshed.
    case url(String)
    /// The issuer's OpenID configuration, then its `jwks_uri`, fetched and refreshed.
    case discovery

    var isFetched: Bool {
        switch self {
        case .url, .discovery: true
        case .file, .development: false
        }
    }

    var name: String {
        switch self {
        case .file: "jwks_file"
        case .development: "development"
        case .url: "jwks_url"
        case .discovery: "discovery"
        }
    }
}
