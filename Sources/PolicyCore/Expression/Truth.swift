/// A truth value that may not be known: Kleene's strong three-valued logic.
enum Truth: Sendable, Equatable {
    case `false`
    case unknown
    case `true`

    static prefix func ! (value: Truth) -> Truth {
        switch value {
        case .false: .true
        case .unknown: .unknown
        case .true: .false
        }
    }

    static func && (lhs: Truth, rhs: @autoclosure () -> Truth) -> Truth {
        if lhs == .false { return .false }
        let right = rhs()
        if right == .false { return .false }
        return lhs == .true && right == .true ? .true : .unknown
    }

    static func || (lhs: Truth, rhs: @autoclosure () -> Truth) -> Truth {
        if lhs == .true { return .true }
        let right = rhs()
        if right == .true { return .true }
        return lhs == .false && right == .false ? .false : .unknown
    }
}
