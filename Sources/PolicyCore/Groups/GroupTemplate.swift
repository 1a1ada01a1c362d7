/// An IAM group template of a role, such as `data/namespaces/{namespace}/viewer` or
/// `{root_group}/roles/admin`, split into literal text and parameter references.
public struct GroupTemplate: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rootGroup
    }

    public let text: String
    public let pieces: [Piece]

    public struct SyntaxError: Error, Equatable {
        /// Byte offset in the template text.
        public let offset: Int
        public let message: String
    }

    public init(parsing text: String) throws(SyntaxError) {
        self.text = text
        var pieces: [Piece] = []
        let bytes = Array(text.utf8)
        var literalStart = 0
        var offset = 0
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "{"):
                guard let close = bytes[(offset + 1)...].firstIndex(where: {
                    $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "{")
                }), bytes[close] == UInt8(ascii: "}") else {
                    throw SyntaxError(offset: offset, message: "'{' is not closed by '}'")
                }
                let name = bytes[(offset + 1)..<close]
                guard !name.isEmpty else {
                    throw SyntaxError(offset: offset, message: "'{}' names no parameter")
                }
                if let slash = name.firstIndex(of: UInt8(ascii: "/")) {
                    throw SyntaxError(offset: slash, message: "a parameter name cannot contain '/'")
                }
                if literalStart < offset {
                    pieces.append(.literal(String(decoding: bytes[literalStart..<offset], as: UTF8.self)))
                }
                let nameText = String(decoding: name, as: UTF8.self)
                pieces.append(nameText.hasSameBytes(as: "root_group") ? .rootGroup : .parameter(nameText))
                offset = close + 1
                literalStart = offset
            case UInt8(ascii: "}"):
                throw SyntaxError(offset: offset, message: "'}' has no matching '{'")
            default:
                offset += 1
            }
        }
        if literalStart < bytes.count {
            pieces.append(.literal(String(decoding: bytes[literalStart...], as: UTF8.self)))
        }
        self.pieces = pieces
    }

    /// The names of the parameters the template needs, in order of appearance.
    public var parameterNames: [String] {
        pieces.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
    }
}
