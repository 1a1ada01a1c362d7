/// The parameters a request supplies, in order of precedence: body members first, then query
/// parameters. A name may appear more than once (body and query); lookups take the first, and
/// the path-conflict check looks at every one, so no supplied value slips past it.
public struct Parameters: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var value: ParameterValue

        public init(name: String, value: ParameterValue) {
            self.name = name
            self.value = value
        }
    }

    public internal(set) var entries: [Entry]

    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    public static func strings(_ pairs: KeyValuePairs<String, String>) -> Parameters {
        Parameters(pairs.map { Entry(name: $0.key, value: .string($0.value)) })
    }

    /// Adds entries that rank below the present ones (query parameters after the body).
    public mutating func append(contentsOf lower: Parameters) {
        entries.append(contentsOf: lower.entries)
    }

    public mutating func append(name: String, value: ParameterValue) {
        entries.append(Entry(name: name, value: value))
    }

    public func value(named name: String) -> ParameterValue? {
        entries.withUnsafeBufferPointer { entries in
            for index in entries.indices where entries[index].name.hasSameBytes(as: name) { return entries[index].value }
            return nil
        }
    }

    public func removing(named name: String) -> Parameters {
        Parameters(entries.filter { !$0.name.hasSameBytes(as: name) })
    }

    public var isEmpty: Bool { entries.isEmpty }
}
