/// Splits a role expression into tokens (spec 2.1 and 2.5): `(`, `)`, the lower-case keywords
/// `or`, `and`, `not`, and role names `[A-Za-z0-9_][A-Za-z0-9_.:-]*`. Whitespace is space, tab,
/// CR or LF. Offsets are bytes of the expression's UTF-8.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        case openParenthesis, closeParenthesis
        case or, and, not
        case role(String)
        case end
    }

    let kind: Kind
    let span: Range<Int>

    var spelling: String {
        switch kind {
        case .openParenthesis: "'('"
        case .closeParenthesis: "')'"
        case .or: "keyword 'or'"
        case .and: "keyword 'and'"
        case .not: "keyword 'not'"
        case .role(let name): "role '\(name)'"
        case .end: "the end of the expression"
        }
    }
}

struct ExpressionLexer {
    struct InvalidCharacter: Error {
        let offset: Int
        let character: String
    }

    static func tokens(of source: String) throws(InvalidCharacter) -> [ExpressionToken] {
        let bytes = Array(source.utf8)
        var tokens: [ExpressionToken] = []
        var offset = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                offset += 1
            case UInt8(ascii: "("):
                tokens.append(ExpressionToken(kind: .openParenthesis, span: offset..<offset + 1))
                offset += 1
            case UInt8(ascii: ")"):
                tokens.append(ExpressionToken(kind: .closeParenthesis, span: offset..<offset + 1))
                offset += 1
            case _ where isRoleStart(byte):
                let start = offset
                while offset < bytes.count, isRoleContinuation(bytes[offset]) { offset += 1 }
                let word = String(decoding: bytes[start..<offset], as: UTF8.self)
                let kind: ExpressionToken.Kind =
                    switch word {
                    case "or": .or
                    case "and": .and
                    case "not": .not
                    default: .role(word)
                    }
                tokens.append(ExpressionToken(kind: kind, span: start..<offset))
            default:
                var end = offset + 1
                while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
                throw InvalidCharacter(
                    offset: offset, character: String(decoding: bytes[offset..<end], as: UTF8.self))
            }
        }
        tokens.append(ExpressionToken(kind: .end, span: bytes.count..<bytes.count))
        return tokens
    }

    private static func isRoleStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "_")
    }

    private static func isRoleContinuation(_ byte: UInt8) -> Bool {
        isRoleStart(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
            || byte == UInt8(ascii: "-")
    }

    /// Whether a whole string is one role name (not a keyword), as a role must be to be named.
    static func isRoleName(_ name: String) -> Bool {
        guard case .some(let tokens) = try? self.tokens(of: name), tokens.count == 2,
              case .role(let word) = tokens[0].kind
        else { return false }
        return word.hasSameBytes(as: name)
    }
}
