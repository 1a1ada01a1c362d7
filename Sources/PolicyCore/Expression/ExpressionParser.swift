/// Recursive descent over the grammar of spec 2.1:
/// ```
/// expr    := or
/// or      := and ( "or" and )*
/// and     := unary ( "and" unary )*
/// unary   := "not" unary | primary
/// primary := ROLE | "(" expr ")"
/// ```
public struct ExpressionParser {
    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        /// Byte offset of the offending token in the expression.
        public let offset: Int
        public let message: String
        public let isTooDeep: Bool

        public var description: String { "\(message) at offset \(offset)" }
    }

    /// Deeper nesting is refused at load: evaluation recurses, and must not be steerable.
    public static let maximumDepth = 100

    private let tokens: [ExpressionToken]
    private var position = 0
    private var depth = 0

    public static func parse(_ source: String) throws(SyntaxError) -> RoleExpression {
        let tokens: [ExpressionToken]
        do {
            tokens = try ExpressionLexer.tokens(of: source)
        } catch {
            throw SyntaxError(
                offset: error.offset, message: "unexpected character '\(error.character)'", isTooDeep: false)
        }
        var parser = ExpressionParser(tokens: tokens)
        let expression = try parser.parseOr()
        let next = parser.current
        guard next.kind == .end else {
            let message = next.kind == .closeParenthesis
                ? "unexpected ')' with no matching '('"
                : "expected 'and', 'or' or the end of the expression, found \(next.spelling)"
            throw SyntaxError(offset: next.span.lowerBound, message: message, isTooDeep: false)
        }
        return expression
    }

    private init(tokens: [ExpressionToken]) {
        self.tokens = tokens
    }

    private var current: ExpressionToken { tokens[position] }

    private mutating func descend() throws(SyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw SyntaxError(
                offset: current.span.lowerBound,
                message: "expression nested more than \(Self.maximumDepth) deep", isTooDeep: true)
        }
    }

    private mutating func parseOr() throws(SyntaxError) -> RoleExpression {
        var operands = [try parseAnd()]
        while current.kind == .or {
            position += 1
            operands.append(try parseAnd())
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func parseAnd() throws(SyntaxError) -> RoleExpression {
        var operands = [try parseUnary()]
        while current.kind == .and {
            position += 1
            operands.append(try parseUnary())
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    private mutating func parseUnary() throws(SyntaxError) -> RoleExpression {
        try descend()
        defer { depth -= 1 }
        if current.kind == .not {
            position += 1
            return .not(try parseUnary())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(SyntaxError) -> RoleExpression {
        let token = current
        switch token.kind {
        case .role(let name):
            position += 1
            return .role(name, span: token.span)
        case .openParenthesis:
            position += 1
            let inner = try parseOr()
            guard current.kind == .closeParenthesis else {
                throw SyntaxError(
                    offset: current.span.lowerBound,
                    message: "expected ')' to close '(', found \(current.spelling)",
                    isTooDeep: false)
            }
            position += 1
            return inner
        default:
            throw SyntaxError(
                offset: token.span.lowerBound,
                message: "expected a role name or '(', found \(token.spelling)", isTooDeep: false)
        }
    }
}
