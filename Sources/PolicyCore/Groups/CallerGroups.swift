/// The groups a caller holds, normalised once (one leading `/` removed, nothing else touched) and
/// hashed, so each check of a role costs one lookup however many groups the caller has. Build
/// it once per token and keep it with the verified token (a class: shared, never changed).
public final class CallerGroups: Sendable {
    let table: ByteStringSet

    public init(_ groups: [String]) {
        self.table = ByteStringSet(groups.map { GroupName.normalised($0.utf8) })
    }

    /// Hashed with `seed`: a holder of many callers draws one seed for all of them, since drawing one
    /// per caller is a system call on every token's first call.
    public init(_ groups: [String], seed: UInt64) {
        self.table = ByteStringSet(groups.map { GroupName.normalised($0.utf8) }, seed: seed)
    }

    /// Groups already normalised (one leading `/` removed), laid end to end in `storage`, each a range
    /// of it; hashed with `seed` (a reader of many callers picks one seed, not one per caller).
    init(normalisedStorage storage: [UInt8], ranges: [Range<Int>], seed: UInt64) {
        self.table = ByteStringSet(storage: storage, ranges: ranges, seed: seed)
    }

    public var count: Int { table.count }

    /// Whether the caller holds `group`, compared as a role's groups are: one leading `/` removed from
    /// both, then bytes.
    public func holds(_ group: some Collection<UInt8>) -> Bool {
        table.contains(GroupName.normalised(group))
    }

    /// Each group the caller holds, once, normalised (one leading `/` removed), in the order given.
    public var normalised: some Sequence<ArraySlice<UInt8>> {
        (0..<table.count).lazy.map { self.table[$0] }
    }
}

enum GroupName {
    /// Exactly one leading `/` goes: `//a` becomes `/a`, a trailing `/` stays.
    static func normalised<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bytes.SubSequence {
        bytes.first == UInt8(ascii: "/") ? bytes.dropFirst() : bytes[...]
    }

    /// The group a caller must hold to be normalised to `normalised`, as every output that names a
    /// group prints it: `normalised` itself (`data/x`, held as `data/x` or `/data/x`), unless it
    /// starts with `/`, when only one more `/` in front gives it (`//data/x` for `/data/x`: a caller
    /// holding `/data/x` is normalised to `data/x`).
    static func held(_ normalised: String) -> String {
        normalised.utf8.first == UInt8(ascii: "/") ? "/" + normalised : normalised
    }
}
