/// A parsed role expression (spec 2.1), with the byte range of every role name in the source
/// text so that checks can point at it.
public indirect enum RoleExpression: Sendable, Equatable, CustomStringConvertible {
    case role(String, span: Range<Int>)
    case not(RoleExpression)
    case and([RoleExpression])
    case or([RoleExpression])

    /// Fully parenthesised, so that tests and explanations show how it was grouped.
    public var description: String {
        switch self {
        case .role(let name, _): name
        case .not(let operand): "(not \(operand))"
        case .and(let operands): "(" + operands.map(\.description).joined(separator: " and ") + ")"
        case .or(let operands): "(" + operands.map(\.description).joined(separator: " or ") + ")"
        }
    }

    /// Every role reference, in source order.
    public var roleReferences: [(name: String, span: Range<Int>)] {
        switch self {
        case .role(let name, let span): [(name, span)]
        case .not(let operand): operand.roleReferences
        case .and(let operands), .or(let operands): operands.flatMap(\.roleReferences)
        }
    }
}
