/// The parameters of a JSON object: a request body, or a batch line's `params` (spec 2.6).
extension Parameters {
    /// The deepest level whose members are parameters: a top-level member is level 1,
    /// `service.parameters.ID` level 3. Deeper members contribute nothing.
    public static let maximumNestingLevel = 4

    /// How many bytes the names of nested members may total in one request, joined in full. A
    /// member's name is repeated in the name of every member below it: without a bound, one long
    /// name over many members would make reading quadratic.
    public static let maximumNestedNameBytes = 1 << 20

    /// A request whose nested names, joined, exceed `maximumNestedNameBytes`. It is refused whole,
    /// never read in part: a name left out could no longer be found reached two ways.
    public struct NamesTooLong: Error, Sendable, CustomStringConvertible {
        public var description: String {
            "the names of nested members, joined, total more than \(Parameters.maximumNestedNameBytes) bytes"
        }
    }

    /// The members of a JSON object, in order, each followed by the members of its value when that is
    /// an object: named by joining the names with `.` (`service.node`), down to level 4. Arrays are
    /// not entered; an object stays a parameter itself (not usable). A name reached more than once
    /// is `.repeated`. Linear in the members, the joined names bounded by `maximumNestedNameBytes`.
    public init(jsonObject members: [JSONMember]) throws(NamesTooLong) {
        var entries: [Entry] = []
        entries.reserveCapacity(members.count)
        var budget = Self.maximumNestedNameBytes
        try Self.append(members, prefix: nil, level: 1, to: &entries, budget: &budget)
        self.init(entries)
        markRepeatedNames()
    }

    private static func append(
        _ members: [JSONMember], prefix: String?, level: Int, to entries: inout [Entry], budget: inout Int
    ) throws(NamesTooLong) {
        for member in members {
            var name = member.key
            if let prefix {
                let length = prefix.utf8.count + 1 + member.key.utf8.count
                guard length <= budget else { throw NamesTooLong() }
                budget -= length
                name = prefix + "." + member.key
            }
            entries.append(Entry(name: name, value: ParameterValue(json: member.value)))
            if level < maximumNestingLevel, case .object(let children) = member.value {
                try append(children, prefix: name, level: level + 1, to: &entries, budget: &budget)
            }
        }
    }

    /// Makes every entry whose name another entry has too `.repeated` (spec 2.6: a name reached two
    /// ways matches nothing, whatever the values).
    public mutating func markRepeatedNames() {
        let pairs = RepeatedNames.pairs(count: entries.count) { entries[$0].name }
        for (first, later) in pairs {
            entries[first].value = .repeated
            entries[later].value = .repeated
        }
    }
}
