/// A request parameter's value, classified once by the rules of spec 2.5: a non-empty string
/// without `/`, `{` or `}`, or a JSON integer within 64 bits, can be substituted into a group
/// template; anything else makes the template that needs it match nothing.
public struct ParameterValue: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case string
        case integer
        /// null, booleans, non-integer or out-of-range numbers, arrays, objects.
        case other
        /// A name the request gives more than once (spec 2.6: `"a.b"` beside `{"a":{"b":…}}`): it
        /// matches nothing, whatever the values.
        case repeated
    }

    public let kind: Kind
    /// The string itself, or the integer in decimal (`-0` is `0`); for `.other`, JSON text; for
    /// `.repeated`, nothing.
    public let text: String
    public let isUsable: Bool

    public static func string(_ value: String) -> ParameterValue {
        ParameterValue(kind: .string, text: value, isUsable: isUsableText(value))
    }

    public static func integer(_ value: Int64) -> ParameterValue {
        ParameterValue(kind: .integer, text: String(value), isUsable: true)
    }

    public static let repeated = ParameterValue(kind: .repeated, text: "", isUsable: false)

    public init(json: JSONValue) {
        switch json {
        case .string(let value):
            self = .string(value)
        case .number(let number):
            if let integer = number.integerValue {
                self = .integer(integer)
            } else {
                self.init(kind: .other, text: number.literal, isUsable: false)
            }
        default:
            self.init(kind: .other, text: JSONWriter.string(json), isUsable: false)
        }
    }

    private init(kind: Kind, text: String, isUsable: Bool) {
        self.kind = kind
        self.text = text
        self.isUsable = isUsable
    }

    private static func isUsableText(_ value: String) -> Bool {
        !value.utf8.isEmpty && !value.utf8.contains {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}")
        }
    }

    /// Whether this value, given in the body or query, agrees with a segment captured from the
    /// path: a string with the same bytes, or an integer whose decimal rendering is the segment.
    public func agrees(withCaptured segment: String) -> Bool {
        (kind == .string || kind == .integer) && text.hasSameBytes(as: segment)
    }

    /// The value as JSON; null for a repeated name, which has no one value (explanations list those
    /// names apart).
    public var json: JSONValue {
        switch kind {
        case .string: .string(text)
        case .integer: .number(JSONNumber(literal: text))
        case .other: (try? JSONReader.parse(text)) ?? .null
        case .repeated: .null
        }
    }

    public var description: String { kind == .repeated ? "(given more than once)" : JSONWriter.string(json) }
}
