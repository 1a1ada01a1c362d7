/// Every role's group templates of one policy, laid out flat for deciding, as a trie is laid out as
/// an array of nodes: the pieces of every template in one array, the bytes of every literal and
/// parameter name in another, and ranges into them. Whether a role holds is then found by walking
/// plain values through buffer pointers, retaining only the parameter values it substitutes: a
/// `CompiledGroupTemplate` per template, each with its own arrays, was retained and released on
/// every check (removing that saved a tenth of a batch run's CPU; docs/performance.md).
struct RoleTemplateTable: Sendable {
    fileprivate struct Piece: Sendable {
        /// The literal's bytes, or the parameter's name, in `bytes`.
        let range: Range<Int>
        let isParameter: Bool
    }

    /// Per role, its templates' indices in `templatePieces`.
    private let roleTemplates: [Range<Int>]
    /// Per template, its pieces' indices in `pieces`.
    private let templatePieces: [Range<Int>]
    private let pieces: [Piece]
    private let bytes: [UInt8]

    init(_ roles: [Policy.Role]) {
        var roleTemplates: [Range<Int>] = []
        var templatePieces: [Range<Int>] = []
        var pieces: [Piece] = []
        var bytes: [UInt8] = []
        for role in roles {
            let firstTemplate = templatePieces.count
            for template in role.templates {
                let firstPiece = pieces.count
                for piece in template.pieces {
                    let start = bytes.count
                    switch piece {
                    case .literal(let range): bytes.append(contentsOf: template.literalBytes[range])
                    case .parameter(let name): bytes.append(contentsOf: name.utf8)
                    }
                    let isParameter = if case .parameter = piece { true } else { false }
                    pieces.append(Piece(range: start..<bytes.count, isParameter: isParameter))
                }
                templatePieces.append(firstPiece..<pieces.count)
            }
            roleTemplates.append(firstTemplate..<templatePieces.count)
        }
        self.roleTemplates = roleTemplates
        self.templatePieces = templatePieces
        self.pieces = pieces
        self.bytes = bytes
    }

    /// `body` with a checker of this policy's roles for one caller and one decision's parameters.
    func withChecker<Result>(
        groups: ByteStringSet, bindings: ParameterBindings, _ body: (RoleChecker) -> Result
    ) -> Result {
        roleTemplates.withUnsafeBufferPointer { roleTemplates in
            templatePieces.withUnsafeBufferPointer { templatePieces in
                pieces.withUnsafeBufferPointer { pieces in
                    bytes.withUnsafeBufferPointer { bytes in
                        bindings.captured.withUnsafeBufferPointer { captured in
                            bindings.supplied.entries.withUnsafeBufferPointer { supplied in
                                body(RoleChecker(
                                    roleTemplates: roleTemplates, templatePieces: templatePieces, pieces: pieces,
                                    bytes: bytes, groups: groups, captured: captured, supplied: supplied))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A `RoleTemplateTable` read for one decision; valid only inside `withChecker`. Plain values
/// only, so that handing it to each role's check copies it without a retain: the caller's table is
/// held by `withChecker`'s caller for as long as the checker lives.
struct RoleChecker {
    fileprivate let roleTemplates: UnsafeBufferPointer<Range<Int>>
    fileprivate let templatePieces: UnsafeBufferPointer<Range<Int>>
    fileprivate let pieces: UnsafeBufferPointer<RoleTemplateTable.Piece>
    fileprivate let bytes: UnsafeBufferPointer<UInt8>
    unowned(unsafe) let groups: ByteStringSet
    /// `ParameterBindings`' two lists: segments captured from the path first, then the supplied.
    fileprivate let captured: UnsafeBufferPointer<(name: String, value: String)>
    fileprivate let supplied: UnsafeBufferPointer<Parameters.Entry>

    /// Nil when the role does not hold; otherwise the index of the caller's group that made it
    /// hold, or -1 for a role every caller holds.
    func holds(_ role: Int) -> Int? {
        let templates = roleTemplates[role]
        if templates.isEmpty { return -1 }
        for template in templates {
            if let group = matchingGroup(templatePieces[template]) { return group }
        }
        return nil
    }

    /// At a gateway: true when one of the role's templates names one of the caller's groups;
    /// unknown when none does but one of them needs a parameter the request line lacks (the first
    /// such name is returned); else false.
    func truthAtGateway(of role: Int) -> (truth: Truth, missing: String?) {
        let templates = roleTemplates[role]
        if templates.isEmpty { return (.true, nil) }
        var missing: String?
        for template in templates {
            if let absent = firstAbsentParameter(templatePieces[template]) {
                if missing == nil { missing = String(decoding: absent, as: UTF8.self) }
                continue
            }
            if matchingGroup(templatePieces[template]) != nil { return (.true, nil) }
        }
        return (missing == nil ? .false : .unknown, missing)
    }

    /// The name of the template's first parameter that the decision has no value for at all.
    private func firstAbsentParameter(_ templatePieces: Range<Int>) -> UnsafeBufferPointer<UInt8>? {
        for index in templatePieces where pieces[index].isParameter {
            let name = UnsafeBufferPointer(rebasing: bytes[pieces[index].range])
            if parameter(named: name) == nil { return name }
        }
        return nil
    }

    /// The caller's group the template names once substituted, or nil when a parameter is missing
    /// or unusable, or the caller lacks the group: the substituted text is hashed and compared
    /// piece by piece, never built.
    private func matchingGroup(_ templatePieces: Range<Int>) -> Int? {
        var hasher = ByteHasher(seed: groups.seed)
        var length = 0
        for index in templatePieces {
            let piece = pieces[index]
            let text = UnsafeBufferPointer(rebasing: bytes[piece.range])
            if piece.isParameter {
                guard let value = parameter(named: text), value.isUsable else { return nil }
                hasher.combine(contentsOf: value.text.utf8)
                length += value.text.utf8.count
            } else {
                hasher.combine(contentsOf: text)
                length += text.count
            }
        }
        return groups.index(hash: hasher.finalized, length: length) { candidate in
            var position = 0
            for index in templatePieces {
                let piece = pieces[index]
                let text = UnsafeBufferPointer(rebasing: bytes[piece.range])
                let matched: Bool
                if piece.isParameter {
                    var value = parameter(named: text)!.text
                    matched = value.withUTF8 { Self.consume(candidate, at: &position, $0) }
                } else {
                    matched = Self.consume(candidate, at: &position, text)
                }
                guard matched else { return false }
            }
            return true
        }
    }

    /// `ParameterBindings.value(named:)`, over the lists in place.
    private func parameter(named name: UnsafeBufferPointer<UInt8>) -> ParameterValue? {
        for index in captured.indices where captured[index].name.hasSameBytes(as: name) { return .string(captured[index].value) }
        for index in supplied.indices where supplied[index].name.hasSameBytes(as: name) { return supplied[index].value }
        return nil
    }

    /// Whether `candidate` continues with `expected` at `position`, moving past it if so.
    @inline(__always)
    private static func consume(
        _ candidate: UnsafeBufferPointer<UInt8>, at position: inout Int, _ expected: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard position + expected.count <= candidate.count,
              bytesEqual(UnsafeBufferPointer(rebasing: candidate[position..<position + expected.count]), expected)
        else { return false }
        position += expected.count
        return true
    }
}
