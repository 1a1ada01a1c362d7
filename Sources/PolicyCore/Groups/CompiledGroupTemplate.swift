/// A group template ready to compare: `{root_group}` already replaced by the policy's root
/// group, adjacent literals merged, and the one leading `/` already removed where the text
/// after substitution would start with it (a parameter value never can: it has no `/`).
/// Decisions read it through `RoleTemplateTable`, which lays a policy's templates out flat.
struct CompiledGroupTemplate: Sendable {
    enum Piece: Sendable {
        /// A range of `literalBytes`: a plain value, so walking the pieces retains nothing.
        case literal(Range<Int>)
        case parameter(String)
    }

    let source: GroupTemplate
    /// The bytes of every literal piece, end to end.
    let literalBytes: [UInt8]
    let pieces: [Piece]

    init(_ template: GroupTemplate, rootGroup: String) {
        source = template
        var merged: [[UInt8]?] = []  // nil for a parameter; adjacent literals merged
        var literal: [UInt8] = []
        var names: [String] = []
        for piece in template.pieces {
            switch piece {
            case .literal(let text): literal.append(contentsOf: text.utf8)
            case .rootGroup: literal.append(contentsOf: rootGroup.utf8)
            case .parameter(let name):
                if !literal.isEmpty { merged.append(literal) }
                literal = []
                merged.append(nil)
                names.append(name)
            }
        }
        if !literal.isEmpty { merged.append(literal) }
        if case .some(.some(let first)) = merged.first, first.first == UInt8(ascii: "/") {
            let rest = Array(first.dropFirst())
            if rest.isEmpty { merged.removeFirst() } else { merged[0] = rest }
        }
        var bytes: [UInt8] = []
        var pieces: [Piece] = []
        var nextName = names.makeIterator()
        for item in merged {
            if let literal = item {
                pieces.append(.literal(bytes.count..<bytes.count + literal.count))
                bytes.append(contentsOf: literal)
            } else {
                pieces.append(.parameter(nextName.next()!))
            }
        }
        literalBytes = bytes
        self.pieces = pieces
    }

    /// The group as a caller must hold it (`GroupName.held`): root group substituted, parameters
    /// left as `{name}`. Two templates with the same text name the same groups.
    var heldText: String {
        GroupName.held(pieces.map { piece in
            switch piece {
            case .literal(let range): String(decoding: literalBytes[range], as: UTF8.self)
            case .parameter(let name): "{\(name)}"
            }
        }.joined())
    }

    /// Nothing left once normalised: would match a caller's `/` group; refused at load.
    var isEmpty: Bool { pieces.isEmpty }

    /// The substituted group as a caller must hold it (`GroupName.held`), for explanations; nil
    /// when a parameter is unusable.
    func substituted(with parameters: ParameterBindings) -> String? {
        var bytes: [UInt8] = []
        for piece in pieces {
            switch piece {
            case .literal(let range): bytes.append(contentsOf: literalBytes[range])
            case .parameter(let name):
                guard let value = parameters.value(named: name), value.isUsable else { return nil }
                bytes.append(contentsOf: value.text.utf8)
            }
        }
        return GroupName.held(String(decoding: bytes, as: UTF8.self))
    }
}
