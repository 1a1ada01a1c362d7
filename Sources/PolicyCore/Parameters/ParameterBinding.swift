/// One parameter with one value, as `policyc access what` finds them: `namespace` = `testing`.
/// Compared by bytes.
public struct ParameterBinding: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public static func == (lhs: ParameterBinding, rhs: ParameterBinding) -> Bool {
        lhs.name.hasSameBytes(as: rhs.name) && lhs.value.hasSameBytes(as: rhs.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ByteString(name))
        hasher.combine(ByteString(value))
    }

    public static func < (lhs: ParameterBinding, rhs: ParameterBinding) -> Bool {
        (ByteString(lhs.name), ByteString(lhs.value)) < (ByteString(rhs.name), ByteString(rhs.value))
    }

    public var description: String { "\(name) = \(value)" }
}

extension [ParameterBinding] {
    /// The value bound to `name` here, if any.
    func value(of name: String) -> String? {
        first { $0.name.hasSameBytes(as: name) }?.value
    }

    /// Both sets of bindings at once, or nil when they give one parameter two values.
    func merged(with other: [ParameterBinding]) -> [ParameterBinding]? {
        var result = self
        for binding in other {
            switch result.value(of: binding.name) {
            case nil: result.append(binding)
            case let value? where value.hasSameBytes(as: binding.value): continue
            default: return nil
            }
        }
        return result.sorted()
    }

    /// Whether a request whose parameters are these bindings has every one of `other`.
    func includes(_ other: [ParameterBinding]) -> Bool {
        other.allSatisfy { binding in value(of: binding.name).map { $0.hasSameBytes(as: binding.value) } ?? false }
    }

    /// Whether the two give one parameter two values.
    func conflicts(with other: [ParameterBinding]) -> Bool {
        other.contains { binding in value(of: binding.name).map { !$0.hasSameBytes(as: binding.value) } ?? false }
    }
}
