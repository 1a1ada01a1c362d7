public enum PolicyType: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case exchange, plugin, route

    public static func < (lhs: PolicyType, rhs: PolicyType) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    /// Position in `allCases`, for tables indexed by type.
    var ordinal: Int {
        switch self {
        case .exchange: 0
        case .plugin: 1
        case .route: 2
        }
    }
}

/// What makes a policy unique in a set: its type, its service name (compared as bytes) and its
/// version number.
public struct PolicyIdentity: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let type: PolicyType
    public let name: String
    public let version: Int

    public init(type: PolicyType, name: String, version: Int) {
        self.type = type
        self.name = name
        self.version = version
    }

    public static func == (lhs: PolicyIdentity, rhs: PolicyIdentity) -> Bool {
        lhs.type == rhs.type && lhs.version == rhs.version && lhs.name.hasSameBytes(as: rhs.name)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(ByteString(name))
        hasher.combine(version)
    }

    public static func < (lhs: PolicyIdentity, rhs: PolicyIdentity) -> Bool {
        (lhs.type, ByteString(lhs.name), lhs.version) < (rhs.type, ByteString(rhs.name), rhs.version)
    }

    public var description: String { "\(type) policy '\(name)' version \(version)" }
}

/// Which version of a policy a query asks for (spec 2.5): absent, null or `"latest"` mean the
/// highest; otherwise a positive JSON integer. Anything else is no usable version.
public enum VersionSelector: Sendable, Equatable, CustomStringConvertible {
    case latest
    case number(Int)

    /// From a JSON member of a query; nil when the value is no usable version.
    public init?(json: JSONValue?) {
        switch json {
        case nil, .null?:
            self = .latest
        case .string(let text)? where text.hasSameBytes(as: "latest"):
            self = .latest
        case .number(let number)?:
            guard let value = number.integerValue, value > 0, let version = Int(exactly: value) else { return nil }
            self = .number(version)
        default:
            return nil
        }
    }

    /// From a URL query value: `latest`, or the text of a positive JSON integer.
    public init?(queryValue text: String) {
        if text.hasSameBytes(as: "latest") {
            self = .latest
            return
        }
        // Digits only, no leading zero: the text of a positive JSON integer, nothing around it.
        let digits = text.utf8
        guard let first = digits.first, first != UInt8(ascii: "0"),
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let number = Int(text)
        else { return nil }
        self = .number(number)
    }

    public var description: String {
        switch self {
        case .latest: "latest"
        case .number(let number): String(number)
        }
    }
}
