/// The groups a caller holds, normalised once (one leading `/` removed, nothing else touched) and
/// hashed, so each check of a role costs one lookup however many groups the caller has. Build
/// it once per token and keep it with the verified token (a class: shared, never changed).
public final class CallerGroups: Sendable {
    let table: ByteStringSet
    /// The groups as the caller presented them, for explanations.
    public let presented: [String]

    public init(_ groups: [String]) {
        self.presented = groups
        self.table = ByteStringSet(groups.map { GroupName.normalised($0.utf8) })
    }

    public var count: Int { table.count }
}

enum GroupName {
    /// Exactly one leading `/` goes: `//a` becomes `/a`, a trailing `/` stays.
    static func normalised<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bytes.SubSequence {
        bytes.first == UInt8(ascii: "/") ? bytes.dropFirst() : bytes[...]
    }
}
