/// "What would grant it": for a denial by the expression, the fewest roles the caller would
/// need besides the ones they hold, found by trying every set of one, then two, then three of
/// the roles they lack. Adding a group only ever adds roles, so a set that allows is an answer;
/// supersets of an answer are not listed.
extension Policy {
    static let grantSearchDepth = 3

    func grantOptions(for expression: Int, held: [RoleOutcome], bindings: ParameterBindings) -> [[RoleGrant]] {
        let roleIndices = program.roles(of: expression)
        let heldRoles = Set(zip(roleIndices, held).filter { $0.1.held }.map(\.0))
        // Roles the caller lacks and could get: at least one template substitutes to a group.
        let obtainable: [(role: Int, groups: [String])] = roleIndices.compactMap { role in
            guard !heldRoles.contains(role) else { return nil }
            let groups = roles[role].templates.compactMap { $0.substituted(with: bindings) }
            return groups.isEmpty ? nil : (role, groups)
        }
        var answers: [[Int]] = []
        for size in 1...Self.grantSearchDepth where size <= obtainable.count {
            for combination in Self.combinations(of: obtainable.count, size: size) {
                let added = Set(combination.map { obtainable[$0].role })
                guard !answers.contains(where: { Set($0).isSubset(of: added) }) else { continue }
                if program.evaluate(expression, roleHolds: { heldRoles.contains($0) || added.contains($0) }) {
                    answers.append(combination.map { obtainable[$0].role })
                }
            }
        }
        return answers.map { roleSet in
            roleSet.map { role in
                RoleGrant(role: roles[role].name, groups: obtainable.first { $0.role == role }!.groups)
            }
        }
    }

    /// Every `size`-element subset of `0..<count`, in lexicographic order.
    static func combinations(of count: Int, size: Int) -> [[Int]] {
        guard size > 0 else { return [[]] }
        guard size <= count else { return [] }
        var result: [[Int]] = []
        var current: [Int] = []
        func extend(from start: Int) {
            if current.count == size {
                result.append(current)
                return
            }
            for next in start..<count where count - next >= size - current.count {
                current.append(next)
                extend(from: next + 1)
                current.removeLast()
            }
        }
        extend(from: 0)
        return result
    }
}
