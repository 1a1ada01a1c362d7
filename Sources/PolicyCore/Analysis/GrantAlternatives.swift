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
///
/// Any rule is analysed, whatever the number of groups: the work follows the answer (its prime
/// implicants), not the 2^n combinations of the groups. What is bounded is the answer: a rule with
/// more alternatives than `limit` says how many instead of listing them.
public struct GrantAlternatives: Sendable, Equatable {
    public enum Unanalysed: Error, Sendable, Equatable {
        /// More alternatives than the limit: exactly `count` (`Int.max`: at least that many).
        case tooManyAlternatives(count: Int, limit: Int)
        /// With `not`: more prime implicants than `moreThan`, where the search stopped, before the
        /// redundant ones could be dropped; how many alternatives would remain is not known.
        case tooManyCandidates(moreThan: Int, limit: Int)
        /// The analysis stopped after `steps` steps (`stepsPerAlternative` times the limit).
        case tooLarge(steps: Int)
    }

    /// How many alternatives a rule lists at most, unless told otherwise (`--max-alternatives`).
    public static let defaultLimit = 1024
    /// Before the redundant ones are dropped, at most this many prime implicants for each
    /// alternative allowed.
    static let primesPerAlternative = 4
    /// At most this many steps (nodes of the decision diagram made, operations remembered, cubes
    /// found) for each alternative allowed: no rule, however written, runs away.
    static let stepsPerAlternative = 1000

    /// The steps an analysis listing at most `limit` alternatives may take.
    static func stepLimit(_ limit: Int) -> Int {
        let steps = max(limit, 1).multipliedReportingOverflow(by: stepsPerAlternative)
        return steps.overflow ? .max : steps.partialValue
    }

    /// Empty: nobody is ever granted. One unconditional alternative: everyone is. Nil when not
    /// listed (`unanalysed` says why).
    public let alternatives: [GrantAlternative]?
    public let unanalysed: Unanalysed?

    init(side: RuleSide, limit: Int = defaultLimit) {
        switch Self.analyse(side, limit: limit) {
        case .success(let alternatives): (self.alternatives, unanalysed) = (alternatives, nil)
        case .failure(let reason): (alternatives, unanalysed) = (nil, reason)
        }
    }

    private static func analyse(_ side: RuleSide, limit: Int) -> Result<[GrantAlternative], Unanalysed> {
        let variables = AnalysisVariables(named: side.groupVariables)
        let diagram = DecisionDiagram(stepLimit: stepLimit(limit))
        do {
            let function = try side.groupFunction(in: diagram, variables: variables)
            // Without `not`, the alternatives are the function's minimal sets of groups, which the
            // diagram counts without listing them: a long answer is known to be one at once.
            var sets = MinimalSets(diagram: diagram, variables: variables)
            if try sets.isMonotone(function) {
                let count = try sets.count(function)
                if count > limit { return .failure(.tooManyAlternatives(count: count, limit: limit)) }
            }
            let primeLimit = limit.multipliedReportingOverflow(by: primesPerAlternative)
            var cover = MinimalCover(diagram: diagram, variables: variables, primeLimit: primeLimit.overflow ? .max : primeLimit.partialValue)
            do {
                let cubes = try cover.of(function)
                guard cubes.count <= limit else { return .failure(.tooManyAlternatives(count: cubes.count, limit: limit)) }
                return .success(cubes.map { GrantAlternative(allOf: variables.names($0.positive), noneOf: variables.names($0.negative)) }.sorted())
            } catch let stopped as MinimalCover.TooManyPrimes {
                return .failure(.tooManyCandidates(moreThan: stopped.moreThan, limit: limit))
            }
        } catch {
            // The diagram's `Exhausted`, the one other error of the analysis.
            return .failure(.tooLarge(steps: diagram.stepLimit))
        }
    }
}
