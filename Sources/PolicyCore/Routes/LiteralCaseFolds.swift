/// The literal segments of a policy's templates, case-folded: which path segments a
/// case-insensitive router (IIS, ASP.NET, some Java configurations) would take for a literal that
/// policyd, comparing bytes, would not. A gateway refuses such a segment rather than guess the
/// upstream's rule. Folding is Unicode's default lower-case mapping, so that `K` (Kelvin sign)
/// folds like `K`.
struct LiteralCaseFolds: Sendable {
    private let folded: ByteStringSet
    /// For each folded literal, its first spelling in the policy, and whether the policy spells it
    /// in more than one case (then even an exact segment is ambiguous).
    private let spellings: [(text: String, isOneOfSeveral: Bool)]

    init(templates: [RouteTemplate]) {
        var indexOf: [ByteString: Int] = [:]
        var spellings: [(text: String, isOneOfSeveral: Bool)] = []
        for template in templates {
            for case .literal(let text) in template.segments {
                let key = ByteString(bytes: Self.fold(text.utf8))
                if let index = indexOf[key] {
                    if !spellings[index].text.hasSameBytes(as: text) { spellings[index].isOneOfSeveral = true }
                } else {
                    indexOf[key] = spellings.count
                    spellings.append((text, false))
                }
            }
        }
        folded = ByteStringSet(spellings.map { Self.fold($0.text.utf8) })
        self.spellings = spellings
    }

    /// The literal `segment` is a case variant of: it folds to one, and either is not that literal
    /// byte for byte or the policy spells the literal in several cases.
    func literal(ofCaseVariant segment: ArraySlice<UInt8>) -> String? {
        guard let index = foldedIndex(of: segment) else { return nil }
        let spelling = spellings[index]
        return spelling.isOneOfSeveral || !spelling.text.utf8.elementsEqual(segment) ? spelling.text : nil
    }

    /// Every segment of every path a gateway decides comes through here: ASCII, the common case, is
    /// folded as it is hashed and compared, without a copy.
    private func foldedIndex(of segment: ArraySlice<UInt8>) -> Int? {
        guard !segment.contains(where: { $0 >= 0x80 }) else { return folded.index(of: Self.fold(segment)) }
        var hasher = ByteHasher(seed: folded.seed)
        for byte in segment { hasher.combine(asciiLowercased(byte)) }
        return folded.index(hash: hasher.finalized, length: segment.count) { candidate in
            candidate.elementsEqual(segment.lazy.map(asciiLowercased))
        }
    }

    private static func fold<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        guard bytes.contains(where: { $0 >= 0x80 }) else {
            return bytes.map(asciiLowercased)
        }
        return Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8)
    }
}
