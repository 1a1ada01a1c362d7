import PolicyCore

/// The body of a GMS search (spec 4.2): each group asked for that the caller holds, written as asked,
/// or with nothing asked every group the caller holds, written as IAM writes them without the leading
/// `/`; one name a line, CRLF after each, each name once. Only a name opencadc's client reads is
/// written (`GroupURI` takes `[A-Za-z0-9/_.~-]+` and refuses the whole answer for any other line), so
/// a group with any other byte is left out, counted, rather than break the answer. One hashed lookup
/// per group asked: the work is linear in the request and in the caller's groups.
struct GroupSearchAnswer {
    private(set) var body: [UInt8] = []
    /// Distinct groups asked for; 0 when every group held was.
    let asked: Int
    private(set) var answered = 0
    /// Groups held, and asked for, that were left out for their bytes.
    private(set) var leftOut = 0

    /// - Parameter asked: the distinct non-empty `group=` values, in the order first given; none asks
    ///   for every group held.
    init(asking asked: ByteStringSet, holder groups: CallerGroups) {
        self.asked = asked.count
        if asked.count == 0 {
            for group in groups.normalised { add(group) }
        } else {
            for index in 0..<asked.count where groups.holds(asked[index]) { add(asked[index]) }
        }
    }

    private mutating func add(_ name: ArraySlice<UInt8>) {
        guard !name.isEmpty, name.allSatisfy(Self.isNameByte) else {
            leftOut += 1
            return
        }
        body.append(contentsOf: name)
        body.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        answered += 1
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
