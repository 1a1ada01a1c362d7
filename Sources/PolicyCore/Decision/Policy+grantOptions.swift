/// "What would grant it": for a denial by the expression, the fewest groups the caller would
/// need besides the ones they hold, found by trying every set of one, then two, then three of the
/// groups that give a role they lack. A group gives every role of the expression one of whose
/// templates names it, so groups are tried by what they give: one that two roles share gives both
/// (`staff and not contractor` is allowed by no group `contractor` shares with `staff`; such a
/// group was offered). Adding groups only ever adds roles, so a set that allows is an answer;
/// supersets of an answer are not listed.
extension Policy {
    static let grantSearchDepth = 3

    func grantOptions(for expression: Int, held: [RoleOutcome], bindings: ParameterBindings) -> [[RoleGrant]] {
        let roleIndices = program.roles(of: expression)
        let heldRoles = Set(zip(roleIndices, held).filter { $0.1.held }.map(\.0))
        let lacking = roleIndices.filter { !heldRoles.contains($0) }
        let groupsOfRole = Dictionary(uniqueKeysWithValues: lacking.map { role in
            (role, roles[role].templates.compactMap { $0.substituted(with: bindings) })
        })
        // Each group a lacking role names, with every lacking role it gives; groups that give the
        // same roles are one option (any one of them will do).
        var options: [(roles: [Int], groups: [String])] = []
        for role in lacking {
            for group in groupsOfRole[role] ?? [] {
                let gives = lacking.filter { other in (groupsOfRole[other] ?? []).contains { Self.sameGroup($0, group) } }
                if let index = options.firstIndex(where: { $0.roles == gives }) {
                    if !options[index].groups.contains(where: { Self.sameGroup($0, group) }) { options[index].groups.append(group) }
                } else {
                    options.append((gives, [group]))
                }
            }
        }
        var answers: [[Int]] = []
        for size in 1...Self.grantSearchDepth where size <= options.count {
            for combination in Self.combinations(of: options.count, size: size) {
                guard !answers.contains(where: { Set($0).isSubset(of: combination) }) else { continue }
                let added = Set(combination.flatMap { options[$0].roles })
                if program.evaluate(expression, roleHolds: { heldRoles.contains($0) || added.contains($0) }) {
                    answers.append(combination)
                }
            }
        }
        return answers.map { combination in
            combination.map { index in
                RoleGrant(role: options[index].roles.map { roles[$0].name }.joined(separator: ", "), groups: options[index].groups)
            }
        }
    }

    /// As a caller's group and a role's template compare: one leading `/` removed from each, then bytes.
    private static func sameGroup(_ a: String, _ b: String) -> Bool {
        GroupName.normalised(a.utf8).elementsEqual(GroupName.normalised(b.utf8))
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
