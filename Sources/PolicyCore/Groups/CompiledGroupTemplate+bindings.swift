extension CompiledGroupTemplate {
    /// Every assignment of the template's parameters under which it names `group` (normalised:
    /// one leading `/` removed), each value usable as spec 2.2 requires (non-empty, no `/`, `{`
    /// or `}`). Empty when no assignment does; one empty assignment for a template without
    /// parameters that is `group`. `{a}-{b}` names `x-y-z` two ways, and both are returned.
    func bindings(naming group: ArraySlice<UInt8>) -> [[ParameterBinding]] {
        var found: Set<[ParameterBinding]> = []
        match(piece: 0, at: group.startIndex, in: group, bound: [], into: &found)
        return found.sorted { $0.lexicographicallyPrecedes($1) }
    }

    private func match(
        piece index: Int, at position: Int, in group: ArraySlice<UInt8>, bound: [ParameterBinding],
        into found: inout Set<[ParameterBinding]>
    ) {
        guard index < pieces.count else {
            if position == group.endIndex { found.insert(bound.sorted()) }
            return
        }
        switch pieces[index] {
        case .literal(let range):
            let literal = literalBytes[range]
            guard group[position...].starts(with: literal) else { return }
            match(piece: index + 1, at: position + literal.count, in: group, bound: bound, into: &found)
        case .parameter(let name):
            if let value = bound.value(of: name) {
                guard group[position...].starts(with: value.utf8) else { return }
                match(piece: index + 1, at: position + value.utf8.count, in: group, bound: bound, into: &found)
                return
            }
            var end = position
            while end < group.endIndex {
                let byte = group[end]
                // A longer value would hold this byte too: no usable value goes past it.
                if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") { break }
                end += 1
                // Values end on a character boundary: the caller's group is text.
                if end < group.endIndex, group[end] & 0xC0 == 0x80 { continue }
                let value = String(decoding: group[position..<end], as: UTF8.self)
                match(piece: index + 1, at: end, in: group, bound: bound + [ParameterBinding(name: name, value: value)], into: &found)
            }
        }
    }
}
