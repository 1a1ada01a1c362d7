/// Why a gateway does not decide on a path as spelled: the spelling is one that upstreams read
/// in different ways (decoded or not, a `;` path parameter stripped or kept, a dot segment
/// resolved or kept, white space trimmed, case folded), so whatever template policyd chose, the
/// upstream could serve another. Refused, it is denied; sent in canonical form, it is decided.
public struct UpstreamPathRefusal: Sendable, Equatable, Error {
    public enum Kind: Sendable, Equatable {
        /// The path does not start with `/`.
        case relative
        /// `//`, or a trailing `/`: proxies merge or strip them, routers do not.
        case emptySegment
        /// A `%` not followed by two hexadecimal digits.
        case invalidEscape
        /// The decoded segment is not UTF-8.
        case notUTF8
        /// `%64` for `d`: an unreserved character (RFC 3986 §2.3) is never escaped, and a router
        /// that compares raw bytes reads the segment as another.
        case needlessEscape(UInt8)
        /// `/`, `\` or `;` inside a segment, escaped (`%2F`) or, for `\` and `;`, as they are:
        /// decoders split at `%2F`, some servers take `\` for `/`, servlet containers strip `;…`.
        case separator(UInt8, escaped: Bool)
        /// `.` or `..`, as they are or escaped: normalising proxies resolve them, routers do not.
        case dotSegment
        /// A control character (C0, DEL or C1), as it is or escaped: servers truncate or reject them.
        case controlCharacter
        /// White space at the start or the end of a segment: some routers trim it.
        case surroundingWhitespace
        /// The segment equals a literal of the policy's templates ignoring case, but not byte for
        /// byte (or the policy spells that literal in more than one case): case-insensitive routers
        /// serve it as the literal.
        case caseVariant(literal: String)
    }

    /// 1 for the first segment.
    public let segment: Int
    public let kind: Kind

    public init(segment: Int, kind: Kind) {
        self.segment = segment
        self.kind = kind
    }

    /// What the spelling holds, in a few words: the path itself is the client's and is never quoted.
    func appendDetail(to output: inout [UInt8]) {
        func put(_ piece: String) { output.append(contentsOf: piece.utf8) }
        func character(_ byte: UInt8) -> String { String(Unicode.Scalar(byte)) }
        switch kind {
        case .relative: put("the path does not start with '/'"); return
        case .emptySegment: put("the path has an empty segment ('//' or a trailing '/')"); return
        default: break
        }
        put("segment "); put(String(segment)); put(" ")
        switch kind {
        case .relative, .emptySegment: break
        case .invalidEscape: put("has an invalid percent-escape")
        case .notUTF8: put("does not decode to UTF-8")
        case .needlessEscape(let byte):
            put("escapes '"); put(character(byte)); put("' as "); put(Self.escape(byte)); put(", which is never escaped")
        case .separator(let byte, true): put("holds an escaped '"); put(character(byte)); put("' ("); put(Self.escape(byte)); put(")")
        case .separator(let byte, false): put("holds a '"); put(character(byte)); put("'")
        case .dotSegment: put("is a dot segment ('.' or '..')")
        case .controlCharacter: put("holds a control character")
        case .surroundingWhitespace: put("starts or ends with white space")
        case .caseVariant(let literal): put("differs from the route literal '"); put(literal); put("' only in case")
        }
    }

    private static func escape(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }
}
