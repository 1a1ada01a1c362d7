import Foundation
import PolicyCore
import PolicyTokens

/// What an issuer said about one token, from its introspection or userinfo endpoint: the answer's claims,
/// or that the token is not active. Kept (by token) for reuse; checked against each policy's requirements
/// when a caller is made of it (`GroupAnswerCheck`).
enum GroupAnswer: Sendable {
    case claims(TokenClaims)
    /// `active: false` (RFC 7662 §2.2), or the userinfo endpoint refused the token; the reason says which.
    case inactive(reason: String)

    /// Why an answer's body cannot be read (`is not JSON`), completing "the answer of URL …".
    struct Unreadable: Error {
        let why: String
    }

    /// The members of a JSON object, read as strictly as a token's payload (RFC 8259, nesting bounded, the
    /// duplicate-member rule): the answer decides groups, and two `groups` members could be read either way.
    static func object(_ body: [UInt8]) throws(Unreadable) -> [String: JSONValue] {
        do {
            return try JSONReader.parseDictionary(body)
        } catch {
            switch error {
            case .syntax: throw Unreadable(why: "is not JSON")
            case .notAnObject: throw Unreadable(why: "is not a JSON object")
            case .repeatedName: throw Unreadable(why: "has a member twice")
            }
        }
    }
}
