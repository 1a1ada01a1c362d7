/// A JSON value as policyd needs it: object members keep their order (and duplicates, which the
/// readers reject where it matters), and numbers keep the literal they were written as, because
/// the parameter rules depend on it (`5` is usable, `5.0` and `1e3` are not).
public indirect enum JSONValue: Sendable, Equatable {
    case object([JSONMember])
    case array([JSONValue])
    case string(String)
    case number(JSONNumber)
    case bool(Bool)
    case null
}

public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A number exactly as written in the source.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    public let literal: String

    public init(literal: String) {
        self.literal = literal
    }

    public init(_ value: Int64) {
        self.literal = String(value)
    }

    /// The value when the literal is a JSON integer (no fraction, no exponent) within 64-bit range.
    public var integerValue: Int64? {
        isInteger ? Int64(literal) : nil
    }

    /// Written as a JSON integer: no fraction, no exponent.
    public var isInteger: Bool {
        !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }
    }

    public var description: String { literal }
}

extension JSONValue {
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// A short name for the kind of value, for diagnostics ("expected a string, found an array").
    public var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number(let number): number.integerValue == nil ? "a non-integer number" : "an integer"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
