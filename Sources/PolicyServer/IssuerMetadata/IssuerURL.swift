import Foundation

/// The addresses policyd asks an issuer at: its discovery document, its keys, its introspection and
/// userinfo endpoints. Keys decide whose tokens are believed, and the other two carry the caller's
/// token and policyd's client secret, so they travel over HTTPS; plain HTTP is accepted only to a
/// loopback address, where nobody can sit in between.
enum IssuerURL {
    struct Unusable: Error, Sendable, CustomStringConvertible {
        let text: String
        let why: String

        var description: String { "cannot fetch \(text): \(why)" }
    }

    static func checked(_ text: String) throws(Unusable) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else {
            throw Unusable(text: text, why: "not an absolute URL")
        }
        switch scheme {
        case "https":
            return url
        case "http" where isLoopback(host):
            return url
        case "http":
            throw Unusable(text: text, why: "plain http is allowed only to a loopback address")
        default:
            throw Unusable(text: text, why: "only https is allowed")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
