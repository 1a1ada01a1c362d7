/// One way to be granted a rule: hold every group of `allOf` and none of `noneOf`. Groups are
/// group templates written as a caller must hold them: `{root_group}` substituted, request
/// parameters kept as `{name}`, and without a leading `/` unless the template, once one leading
/// `/` is removed, still starts with one (`GroupName.held`). Each list is sorted by bytes.
public struct GrantAlternative: Sendable, Hashable, Comparable {
    public let allOf: [String]
    public let noneOf: [String]

    public init(allOf: [String], noneOf: [String]) {
        self.allOf = allOf.sorted { ByteString($0) < ByteString($1) }
        self.noneOf = noneOf.sorted { ByteString($0) < ByteString($1) }
    }

    /// No condition: every caller with a valid token.
    public var isUnconditional: Bool { allOf.isEmpty && noneOf.isEmpty }

    /// Whether a caller meeting this alternative always meets `other` too.
    public func implies(_ other: GrantAlternative) -> Bool {
        Set(other.allOf.map(ByteString.init)).isSubset(of: allOf.map(ByteString.init))
            && Set(other.noneOf.map(ByteString.init)).isSubset(of: noneOf.map(ByteString.init))
    }

    /// Fewest conditions first, then by the groups' bytes.
    public static func < (lhs: GrantAlternative, rhs: GrantAlternative) -> Bool {
        func key(_ alternative: GrantAlternative) -> (Int, [ByteString], [ByteString]) {
            (alternative.allOf.count + alternative.noneOf.count, alternative.allOf.map(ByteString.init), alternative.noneOf.map(ByteString.init))
        }
        let left = key(lhs), right = key(rhs)
        if left.0 != right.0 { return left.0 < right.0 }
        if !left.1.elementsEqual(right.1) { return left.1.lexicographicallyPrecedes(right.1) }
        return left.2.lexicographicallyPrecedes(right.2)
    }

    public static func == (lhs: GrantAlternative, rhs: GrantAlternative) -> Bool {
        lhs.allOf.map(ByteString.init) == rhs.allOf.map(ByteString.init)
            && lhs.noneOf.map(ByteString.init) == rhs.noneOf.map(ByteString.init)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(allOf.map(ByteString.init))
        hasher.combine(noneOf.map(ByteString.init))
    }
}

/// Who a rule grants, exactly: the minimal alternatives of its expression over the group
/// templates its roles name. A caller is granted if and only if one alternative holds, where a
/// template is held when, substituted with the request's parameters, it is one of the caller's
/// groups (a template whose parameter is missing or unusable is held by nobody, so a `noneOf`
/// over it holds then). No alternative implies another, and none can be dropped.
///
/// Templates are taken as opaque: two different texts are two conditions, although a parameter
/// value can make them name one group (`{root_group}/roles/{site}/viewer` with `site` = `x` and
/// `services/s/roles/x/viewer`). The alternatives stay exact for every caller and parameters:
/// such a value only makes some combinations of conditions impossible.
public struct GrantAlternatives: Sendable, Equatable {
    public enum Unanalysed: Sendable, Equatable {
        /// The rule names more distinct group templates than the limit.
        case tooManyGroups(Int)
        /// The expression has more than `MinimalCover.primeLimit` prime alternatives.
        case tooManyAlternatives
    }

    public static let defaultVariableLimit = AccessChange.defaultVariableLimit

    /// Empty: nobody is ever granted. One unconditional alternative: everyone is. Nil when not
    /// analysed (`unanalysed` says why).
    public let alternatives: [GrantAlternative]?
    public let unanalysed: Unanalysed?

    init(side: RuleSide, variableLimit: Int = defaultVariableLimit) {
        let variables = Array(Set(side.groupVariables)).sorted()
        guard variables.count <= min(variableLimit, 20) else {
            alternatives = nil
            unanalysed = .tooManyGroups(variables.count)
            return
        }
        let index = Dictionary(uniqueKeysWithValues: variables.enumerated().map { ($1, $0) })
        guard let cover = MinimalCover.of(variableCount: variables.count, where: side.groupPredicate(variables: index)) else {
            alternatives = nil
            unanalysed = .tooManyAlternatives
            return
        }
        func names(_ mask: UInt32) -> [String] {
            variables.indices.filter { mask & UInt32(1) << $0 != 0 }.map { variables[$0].string }
        }
        alternatives = cover.map { GrantAlternative(allOf: names($0.positive), noneOf: names($0.negative)) }.sorted()
        unanalysed = nil
    }
}
