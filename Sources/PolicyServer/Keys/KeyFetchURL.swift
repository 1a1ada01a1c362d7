import Foundation

/// The addresses keys may be fetched from. Keys decide whose tokens are believed, so they travel over
/// HTTPS; plain HTTP is accepted only to a loopback address, where nobody can sit in between.
enum KeyFetchURL {
    static func checked(_ text: String) throws(KeyFetchError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else {
            throw .unusableURL(text, "not an absolute URL")
        }
        switch scheme {
        case "https":
            return url
        case "http" where isLoopback(host):
            return url
        case "http":
            throw .unusableURL(text, "plain http is allowed only to a loopback address")
        default:
            throw .unusableURL(text, "only https is allowed")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
