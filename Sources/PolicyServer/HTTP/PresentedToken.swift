import Foundation
import Hummingbird

/// The bearer token of a request: from `Authorization: Bearer …` and/or `?token=`. Anything but exactly
/// one distinct token is a denial reason, never an error status, so that callers which read only
/// `is_authorised` deny.
enum PresentedToken: Equatable {
    case token(String)
    case denied(reason: String)

    static let missing = PresentedToken.denied(reason: "missing token")
    static let conflicting = PresentedToken.denied(reason: "two different tokens given")
    static let notBearer = PresentedToken.denied(reason: "the Authorization header is not a Bearer token")

    init(headers: HTTPFields, query: QueryString) {
        var tokens: [String] = []
        for authorization in headers[values: .authorization] {
            guard let token = Self.bearerToken(authorization) else {
                self = .notBearer
                return
            }
            tokens.append(token)
        }
        tokens += query.values(named: "token")
        let distinct = tokens.filter { !$0.isEmpty }.reduce(into: [String]()) { distinct, token in
            if !distinct.contains(where: { $0.utf8.elementsEqual(token.utf8) }) { distinct.append(token) }
        }
        switch distinct.count {
        case 0: self = .missing
        case 1: self = .token(distinct[0])
        default: self = .conflicting
        }
    }

    /// RFC 6750 §2.1: the scheme is case-insensitive, one or more spaces follow it. Works on the UTF-8
    /// bytes: Foundation's trimming goes through UTF-16 and cost a fifth of a request's CPU.
    private static func bearerToken(_ header: String) -> String? {
        let bytes = header.utf8
        var start = bytes.startIndex
        while start != bytes.endIndex, Self.isBlank(bytes[start]) { start = bytes.index(after: start) }
        var schemeEnd = start
        while schemeEnd != bytes.endIndex, !Self.isBlank(bytes[schemeEnd]) { schemeEnd = bytes.index(after: schemeEnd) }
        guard bytes[start..<schemeEnd].elementsEqual("bearer".utf8, by: { Self.asciiLowercased($0) == $1 }) else {
            return nil
        }
        var tokenStart = schemeEnd
        while tokenStart != bytes.endIndex, Self.isBlank(bytes[tokenStart]) { tokenStart = bytes.index(after: tokenStart) }
        var tokenEnd = bytes.endIndex
        while tokenEnd != tokenStart, Self.isBlank(bytes[bytes.index(before: tokenEnd)]) { tokenEnd = bytes.index(before: tokenEnd) }
        return String(Substring(header.utf8[tokenStart..<tokenEnd]))
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
