/// A group template ready to compare: `{root_group}` already replaced by the policy's root
/// group, adjacent literals merged, and the one leading `/` already removed where the text
/// after substitution would start with it (a parameter value never can: it has no `/`).
struct CompiledGroupTemplate: Sendable {
    enum Piece: Sendable {
        case literal([UInt8])
        case parameter(String)
    }

    let source: GroupTemplate
    let pieces: [Piece]

    init(_ template: GroupTemplate, rootGroup: String) {
        source = template
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        for piece in template.pieces {
            switch piece {
            case .literal(let text): literal.append(contentsOf: text.utf8)
            case .rootGroup: literal.append(contentsOf: rootGroup.utf8)
            case .parameter(let name):
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = []
                pieces.append(.parameter(name))
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        if case .literal(let first)? = pieces.first, first.first == UInt8(ascii: "/") {
            let rest = Array(first.dropFirst())
            if rest.isEmpty { pieces.removeFirst() } else { pieces[0] = .literal(rest) }
        }
        self.pieces = pieces
    }

    /// The group as compared: root group substituted, one leading `/` removed, parameters
    /// left as `{name}`. Two templates with the same text name the same groups.
    var comparedText: String {
        pieces.map { piece in
            switch piece {
            case .literal(let bytes): String(decoding: bytes, as: UTF8.self)
            case .parameter(let name): "{\(name)}"
            }
        }.joined()
    }

    /// Nothing left once normalised: would match a caller's `/` group; refused at load.
    var isEmpty: Bool { pieces.isEmpty }

    /// The index of the caller's group this template names once substituted, or nil when a
    /// parameter is missing or unusable, or the caller lacks the group. Allocates nothing: the
    /// substituted text is hashed and compared piece by piece.
    func matchingGroup(in groups: CallerGroups, parameters: ParameterBindings) -> Int? {
        var hasher = ByteHasher(seed: groups.table.seed)
        var length = 0
        for piece in pieces {
            switch piece {
            case .literal(let bytes):
                hasher.combine(contentsOf: bytes)
                length += bytes.count
            case .parameter(let name):
                guard let value = parameters.value(named: name), value.isUsable else { return nil }
                hasher.combine(contentsOf: value.text.utf8)
                length += value.text.utf8.count
            }
        }
        return groups.table.index(hash: hasher.finalized, length: length) { candidate in
            var position = 0
            for piece in pieces {
                let matched: Bool
                switch piece {
                case .literal(let bytes):
                    matched = bytes.withUnsafeBufferPointer { consume(candidate, at: &position, $0) }
                case .parameter(let name):
                    var text = parameters.value(named: name)!.text
                    matched = text.withUTF8 { consume(candidate, at: &position, $0) }
                }
                guard matched else { return false }
            }
            return true
        }
    }

    /// Whether `candidate` continues with `expected` at `position`, moving past it if so.
    @inline(__always)
    private func consume(_ candidate: UnsafeBufferPointer<UInt8>, at position: inout Int, _ expected: UnsafeBufferPointer<UInt8>) -> Bool {
        guard position + expected.count <= candidate.count,
              bytesEqual(UnsafeBufferPointer(rebasing: candidate[position..<position + expected.count]), expected)
        else { return false }
        position += expected.count
        return true
    }

    /// The substituted group, for explanations; nil when a parameter is unusable.
    func substituted(with parameters: ParameterBindings) -> String? {
        var bytes: [UInt8] = []
        for piece in pieces {
            switch piece {
            case .literal(let literal): bytes.append(contentsOf: literal)
            case .parameter(let name):
                guard let value = parameters.value(named: name), value.isUsable else { return nil }
                bytes.append(contentsOf: value.text.utf8)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
