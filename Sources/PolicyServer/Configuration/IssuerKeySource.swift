import Foundation

/// Where an issuer's keys come from when OIDC discovery is not wanted (`--issuer-jwks ISSUER=SOURCE`).
public enum IssuerKeySource: Sendable, Equatable, CustomStringConvertible {
    /// A JWKS document fetched (and refreshed) over HTTP(S).
    case url(String)
    /// A JWKS file read once at start.
    case file(String)

    /// `SOURCE` starting with `http://` or `https://` is a URL; `file://PATH` or anything else is a file.
    public init(_ source: String) {
        let lowered = source.lowercased()
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
            self = .url(source)
        } else if lowered.hasPrefix("file://") {
            self = .file(String(source.dropFirst("file://".count)))
        } else {
            self = .file(source)
        }
    }

    /// Splits `ISSUER=SOURCE` at the first `=`: issuer URLs practically never contain one, JWKS URLs
    /// with query strings do.
    public static func assignment(_ text: String) throws(ConfigurationError) -> (issuer: String, source: IssuerKeySource) {
        guard let equals = text.firstIndex(of: "=") else {
            throw ConfigurationError("issuer JWKS '\(text)': expected ISSUER=URL_OR_FILE")
        }
        let issuer = text[..<equals].trimmingCharacters(in: .whitespaces)
        let source = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !issuer.isEmpty, !source.isEmpty else {
            throw ConfigurationError("issuer JWKS '\(text)': both ISSUER and URL_OR_FILE are needed")
        }
        return (issuer, IssuerKeySource(source))
    }

    public var description: String {
        switch self {
        case .url(let url): url
        case .file(let path): path
        }
    }
}
