import Foundation
import Testing
@testable import PolicyCore

/// `policyc access`: the alternatives of each rule and the grants of given groups, held to the
/// engine itself on the shipped and the conformance policies.
@Suite struct AccessTests {
    /// Every policy (every version) of the shipped and the conformance directories.
    static let policies: [Policy] = {
        let shipped = try! PolicyLoader().load(directory: ShippedFiles.path("policies"))
        let conformance = try! PolicyLoader().load(directory: conformanceDirectory + "/policies")
        return shipped.policies + conformance.policies
    }()

    static var rules: [(policy: Policy, rule: PolicyAccess.Rule)] {
        policies.flatMap { policy in PolicyAccess(policy: policy).rules.map { (policy, $0) } }
    }

    // MARK: The engine agrees

    @Test func everyRuleIsAnalysed() {
        let rules = Self.rules
        #expect(rules.count > 130)
        for (policy, rule) in rules {
            let alternatives = rule.grants.alternatives ?? []
            #expect(rule.grants.alternatives != nil, "\(policy.identity) \(rule.rule)")
            for (index, alternative) in alternatives.enumerated() {
                for (other, implied) in alternatives.enumerated() where other != index {
                    #expect(!alternative.implies(implied), "minimal: \(policy.identity) \(rule.rule)")
                }
            }
        }
    }

    /// Each alternative, realised with a distinct value for every parameter and the groups of its
    /// `allOf`, is granted by `Policy.decide`.
    @Test func everyAlternativeRealisedIsGranted() throws {
        var checked = 0
        for (policy, rule) in Self.rules {
            let alternatives = try #require(rule.grants.alternatives)
            let names = Self.parameterNames(alternatives)
            let values = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, "value\($0)x") })
            for alternative in alternatives {
                let groups = alternative.allOf.map { Self.substitute($0, values)! }
                let decision = Self.decide(policy, rule.rule, values: values, groups: groups)
                #expect(decision.isAuthorised, "\(policy.identity) \(rule.rule): \(alternative) with \(values) → \(decision.reason)")
                checked += 1
            }
        }
        #expect(checked > 300)
    }

    /// Every conformance query the engine grants meets one alternative of its rule, with the
    /// query's parameters (captured ones first, as the engine takes them) substituted.
    @Test(arguments: ConformanceTests.cases)
    func everyGrantedConformanceQueryMeetsAnAlternative(cases: ConformanceTests.Cases) throws {
        let set = try PolicyLoader().load(directory: cases.directory + "/policies")
        let engine = DecisionEngine(policies: set)
        let lines = try cases.lines("queries.jsonl")
        var granted = 0
        for line in lines {
            guard case .query(let query, let groups) = try BatchQuery.parse(line) else { continue }
            let decision = engine.decide(query, groups: groups, explain: true)
            guard decision.isAuthorised, let explanation = decision.explanation else { continue }
            granted += 1
            let policy = try #require(engine.policy(for: query))
            let ruleIdentity: RuleDiff.Rule = if let template = explanation.routeTemplate {
                .route(template: template, method: explanation.method!)
            } else if let action = explanation.action {
                .action(action)
            } else {
                .exchange
            }
            let rule = try #require(PolicyAccess(policy: policy).rules.first { $0.rule.isSame(as: ruleIdentity) })
            var values: [String: String] = [:]
            for entry in explanation.parameters.entries where entry.value.isUsable && values[entry.name] == nil {
                values[entry.name] = entry.value.text
            }
            // The caller's groups as the engine holds them: normalised already.
            let held = Set((0..<groups.table.count).map { ByteString(bytes: Array(groups.table[$0])) })
            let alternatives = try #require(rule.grants.alternatives)
            #expect(alternatives.contains { Self.holds($0, groups: held, values: values) }, "\(line)")
        }
        #expect(granted == (try cases.lines("answers.jsonl")).filter { $0.contains(#""is_authorised": true"#) }.count)
    }

    /// Random callers and parameters, from values that make different templates name one group:
    /// the engine grants exactly when an alternative holds, and exactly when a grant of `access
    /// what` for those groups admits the parameters.
    @Test func randomCallersAreGrantedIffAnAlternativeHolds() throws {
        var generator = SplitMix64(seed: 20261202)
        let pool = ["a", "b"]
        var trials = 0
        for (policy, rule) in Self.rules {
            let alternatives = try #require(rule.grants.alternatives)
            let atoms = Set(alternatives.flatMap { $0.allOf + $0.noneOf })
            let names = Self.parameterNames(alternatives)
            for _ in 0..<100 {
                var values: [String: String] = [:]
                for name in names where Bool.random(using: &generator) || Bool.random(using: &generator) {
                    values[name] = pool.randomElement(using: &generator)!
                }
                // Groups: atoms substituted with values of their own (or the request's), and noise.
                var groups: [String] = ["noise/\(Int.random(in: 0..<3, using: &generator))"]
                for atom in atoms where Bool.random(using: &generator) {
                    var own = values
                    for name in names where Bool.random(using: &generator) { own[name] = pool.randomElement(using: &generator)! }
                    if let group = Self.substitute(atom, own) {
                        groups.append(Bool.random(using: &generator) ? "/" + group : group)
                    }
                }
                let decision = Self.decide(policy, rule.rule, values: values, groups: groups)
                let held = Set(groups.map(Self.normalised))
                let meets = alternatives.contains { Self.holds($0, groups: held, values: values) }
                #expect(decision.isAuthorised == meets, "\(policy.identity) \(rule.rule) groups \(groups) values \(values)")
                let bindings = values.map { ParameterBinding(name: $0.key, value: $0.value) }.sorted()
                let grants = try #require(AccessQuery(groups: groups).grants(rule))
                #expect(decision.isAuthorised == grants.contains { $0.admits(bindings) },
                        "what: \(policy.identity) \(rule.rule) groups \(groups) values \(values)")
                trials += 1
            }
        }
        #expect(trials > 13000)
    }

    // MARK: Alternatives

    @Test func theDecksListRouteIsFiveSingleGroups() throws {
        let policy = try #require(Self.policies.first { $0.name == "data-management-api" && $0.type == .route })
        let rule = try #require(PolicyAccess(policy: policy, filter: RuleFilter(route: "/data/list/testing")).rules.first)
        #expect(rule.rule == .route(template: "/data/list/{namespace}", method: "GET"))
        #expect(rule.grants.alternatives == [
            "data/namespaces/{namespace}/editor", "data/namespaces/{namespace}/owner", "data/namespaces/{namespace}/viewer",
            "services/data-management-api/roles/admin", "services/data-management-api/roles/developer",
        ].map { GrantAlternative(allOf: [$0], noneOf: []) })
        let json = JSONWriter.string(PolicyAccess.json([PolicyAccess(policy: policy, filter: RuleFilter(route: "/data/move", method: "post"))]))
        #expect(json.hasPrefix(#"{"policies":[{"type":"route","name":"data-management-api","version":1,"rules":[{"route":"/data/move","method":"POST","grants":[{"all_of":["data/namespaces/{namespace}/editor"],"none_of":[]}"#))
    }

    func alternatives(_ expression: String, roles: String) throws -> [GrantAlternative]? {
        let policy = try loadPolicy(policySource(type: "exchange", roles: roles, body: #""exchange": "\#(expression)""#))
        return PolicyAccess(policy: policy).rules.first?.grants.alternatives
    }

    @Test func aNegatedRoleNeedsEachOfItsGroupsAbsent() throws {
        let roles = #"{"user": ["users"], "blocked": ["{root_group}/blocked", "/blocklist/{user}"]}"#
        #expect(try alternatives("user and not blocked", roles: roles) == [
            GrantAlternative(allOf: ["users"], noneOf: ["blocklist/{user}", "services/svc/blocked"])
        ])
    }

    @Test func everyoneIsOneEmptyAlternativeAndNobodyNone() throws {
        let roles = #"{"any": [], "admin": ["{root_group}/roles/admin"]}"#
        #expect(try alternatives("any or admin", roles: roles) == [GrantAlternative(allOf: [], noneOf: [])])
        #expect(try alternatives("not any", roles: roles) == [])
        #expect(try alternatives("admin and not admin", roles: roles) == [])
        #expect(try alternatives("not admin", roles: roles) == [GrantAlternative(allOf: [], noneOf: ["services/svc/roles/admin"])])
    }

    /// `a and b or not a and c` has the prime `b and c` too, which the other two cover.
    @Test func redundantPrimesAreDropped() throws {
        let roles = #"{"a": ["a"], "b": ["b"], "c": ["c"]}"#
        #expect(try alternatives("a and b or not a and c", roles: roles) == [
            GrantAlternative(allOf: ["a", "b"], noneOf: []), GrantAlternative(allOf: ["c"], noneOf: ["a"]),
        ])
    }

    @Test func rolesSharingATemplateShareItsCondition() throws {
        let roles = #"{"a": ["x", "/y"], "b": ["y", "z"]}"#
        #expect(try alternatives("a and b", roles: roles) == [
            GrantAlternative(allOf: ["y"], noneOf: []), GrantAlternative(allOf: ["x", "z"], noneOf: []),
        ])
    }

    /// Parity has 2^(n-1) prime alternatives of n conditions each, none redundant: 512 of 10
    /// groups are listed; 2,048 of 12 are more than the default limit, and counted; 8,192 of 14 are
    /// more primes than four times the limit, where the search stops and says so.
    @Test func moreAlternativesThanTheLimitAreCountedNotListed() throws {
        func parity(_ names: ArraySlice<String>) -> String {
            guard names.count > 1 else { return names.first! }
            let middle = names.startIndex + names.count / 2
            let left = parity(names[..<middle]), right = parity(names[middle...])
            return "((\(left)) and not (\(right)) or not (\(left)) and (\(right)))"
        }
        func grants(_ count: Int, limit: Int = GrantAlternatives.defaultLimit) throws -> GrantAlternatives {
            let names = (0..<count).map { "r\($0)" }
            let roles = "{" + names.map { #""\#($0)": ["g/\#($0)"]"# }.joined(separator: ", ") + "}"
            let policy = try loadPolicy(policySource(type: "exchange", roles: roles, body: #""exchange": "\#(parity(names[...]))""#))
            return try #require(PolicyAccess(policy: policy, limit: limit).rules.first).grants
        }
        let ten = try grants(10)
        #expect(ten.alternatives?.count == 512)
        #expect(ten.alternatives?.allSatisfy { $0.allOf.count + $0.noneOf.count == 10 && $0.allOf.count % 2 == 1 } == true)
        let twelve = try grants(12)
        #expect(twelve.alternatives == nil)
        #expect(twelve.unanalysed == .tooManyAlternatives(count: 2048, limit: 1024))
        #expect(try grants(12, limit: 2048).alternatives?.count == 2048)
        let fourteen = try grants(14)
        #expect(fourteen.unanalysed == .tooManyCandidates(moreThan: 4096, limit: 1024))
        #expect("\(fourteen.unanalysed!)".contains("more than 4096 prime implicants"))
    }

    /// Without `not`, every prime is needed: past the primes the search takes, the alternatives are
    /// counted on the diagram, not listed: 2^40 of them for `(a1 or b1) and … and (a40 or b40)`.
    @Test func aLargeAnswerWithoutNotIsCountedExactly() throws {
        let pairs = (1...40).map { "(a\($0) or b\($0))" }
        let roles = "{" + (1...40).flatMap { [#""a\#($0)": ["a/\#($0)"]"#, #""b\#($0)": ["b/\#($0)"]"#] }.joined(separator: ", ") + "}"
        let policy = try loadPolicy(policySource(type: "exchange", roles: roles, body: #""exchange": "\#(pairs.joined(separator: " and "))""#))
        let grants = try #require(PolicyAccess(policy: policy).rules.first).grants
        #expect(grants.unanalysed == .tooManyAlternatives(count: 1 << 40, limit: 1024))
    }

    /// `(a0 or … or a23) and (a0 and b0 or … or a23 and b23)`: read as written, the diagram would
    /// test every `a` before any `b` and double with each pair, past its steps; the larger operand is
    /// read first, and the 24 alternatives come at once.
    @Test func theDiagramReadsTheLargestOperandFirst() throws {
        let indices = 0..<24
        let roles = "{" + indices.flatMap { [#""a\#($0)": ["a/\#($0)"]"#, #""b\#($0)": ["b/\#($0)"]"#] }.joined(separator: ", ") + "}"
        let expression = "(" + indices.map { "a\($0)" }.joined(separator: " or ") + ") and ("
            + indices.map { "a\($0) and b\($0)" }.joined(separator: " or ") + ")"
        let policy = try loadPolicy(policySource(type: "exchange", roles: roles, body: #""exchange": "\#(expression)""#))
        let alternatives = try #require(PolicyAccess(policy: policy).rules.first?.grants.alternatives)
        #expect(Set(alternatives) == Set(indices.map { GrantAlternative(allOf: ["a/\($0)", "b/\($0)"], noneOf: []) }))
    }

    /// A rule that would need more steps than its budget stops, and says so: never a wrong answer.
    @Test func anAnalysisPastItsStepsStopsAndSaysSo() throws {
        let pairs = (1...11).map { "(a\($0) and b\($0))" }
        let roles = "{" + (1...11).flatMap { [#""a\#($0)": ["a/\#($0)"]"#, #""b\#($0)": ["b/\#($0)"]"#] }.joined(separator: ", ") + "}"
        let policy = try loadPolicy(policySource(type: "exchange", roles: roles, body: #""exchange": "\#(pairs.joined(separator: " or "))""#))
        #expect(try #require(PolicyAccess(policy: policy, limit: 11).rules.first).grants.alternatives?.count == 11)
        let side = RuleSide(policy: policy, expression: policy.ruleSides[0].side.expression, source: "")
        let diagram = DecisionDiagram(stepLimit: 30)
        #expect(throws: DecisionDiagram.Exhausted.self) {
            try side.groupFunction(in: diagram, variables: AnalysisVariables(named: side.groupVariables))
        }
    }

    /// Two texts are two conditions, even where a value makes them one group: the answer stays
    /// exact (a caller meeting neither alternative is denied), only that combination cannot occur.
    @Test func templatesAreOpaqueAndStillExact() throws {
        let roles = #"{"site-viewer": ["{root_group}/roles/{site}/viewer"], "banned": ["services/svc/roles/a/viewer"]}"#
        let policy = try loadPolicy(policySource(type: "exchange", roles: roles, body: #""exchange": "site-viewer and not banned""#))
        let alternatives = try #require(PolicyAccess(policy: policy).rules.first?.grants.alternatives)
        #expect(alternatives == [GrantAlternative(allOf: ["services/svc/roles/{site}/viewer"], noneOf: ["services/svc/roles/a/viewer"])])
        let group = "services/svc/roles/a/viewer"
        let decision = policy.decide(ExchangeQuery(service: "svc", parameters: .strings(["site": "a"])), groups: CallerGroups([group]))
        #expect(!decision.isAuthorised)
        #expect(!Self.holds(alternatives[0], groups: [ByteString(group)], values: ["site": "a"]))
    }

    /// In a plugin decision `action` picks the entry and is no parameter: `{action}` names nothing.
    @Test func aPluginTemplateNeedingActionNamesNothing() throws {
        let roles = #"{"ops": ["ops/{action}"], "admin": ["admin"]}"#
        let policy = try loadPolicy(policySource(type: "plugin", roles: roles, body: #""actions": {"run": "ops or admin", "skip": "not ops"}"#))
        let rules = PolicyAccess(policy: policy).rules
        #expect(rules.map(\.grants.alternatives) == [[GrantAlternative(allOf: ["admin"], noneOf: [])], [GrantAlternative(allOf: [], noneOf: [])]])
        #expect(policy.decide(PluginQuery(service: "svc", parameters: .strings(["action": "skip"])), groups: CallerGroups(["ops/skip"])).isAuthorised)
    }

    /// With `action_parameter`, the selecting parameter names nothing and `action` is a parameter
    /// like any other (spec 2.6); nested parameters are kept as `{service.node}`.
    @Test func aPluginTemplateNeedingItsActionParameterNamesNothing() throws {
        let roles = #"{"ops": ["ops/{service.method}"], "by-action": ["acts/{action}"], "site": ["services/{service.node}"]}"#
        let policy = try loadPolicy(policySource(
            type: "plugin", roles: roles, body: #""action_parameter": "service.method", "actions": {"GET": "ops or by-action or site"}"#))
        let rules = PolicyAccess(policy: policy).rules
        #expect(rules.map(\.grants.alternatives) == [[
            GrantAlternative(allOf: ["acts/{action}"], noneOf: []), GrantAlternative(allOf: ["services/{service.node}"], noneOf: []),
        ]])
        let grants = AccessQuery(groups: ["services/SKAOSRC", "ops/GET"]).grants(rules[0])
        #expect(grants?.map(\.values) == [[ParameterBinding(name: "service.node", value: "SKAOSRC")]])
    }

    @Test func aRouteFilterTakesTemplatesPathsAndMethods() throws {
        let policy = try #require(Self.policies.first { $0.name == "data-management-api" && $0.type == .route })
        func rules(_ filter: RuleFilter) -> [String] { PolicyAccess(policy: policy, filter: filter).rules.map(\.rule.description) }
        #expect(rules(RuleFilter(route: "/data/locate/testing/a.fits")) == ["GET /data/locate/{namespace}/{name}"])
        #expect(rules(RuleFilter(method: "post")) == ["POST /data/move"])
        #expect(rules(RuleFilter(route: "/data/list", method: "")) == ["GET /data/list"])
        #expect(rules(RuleFilter(route: "/nowhere")).isEmpty)
        #expect(rules(RuleFilter(action: "read")).isEmpty)
    }

    // MARK: What given groups are granted

    @Test func aNamespaceViewerIsGrantedTheirNamespace() throws {
        let policy = try #require(Self.policies.first { $0.name == "data-management-api" && $0.type == .route })
        let query = AccessQuery(groups: ["/data/namespaces/testing/viewer"])
        let granted = PolicyAccess(policy: policy).rules.compactMap { rule -> (String, [ParameterGrant])? in
            let grants = query.grants(rule)!
            return grants.isEmpty ? nil : (rule.rule.description, grants)
        }
        #expect(granted.map(\.0) == [
            "GET /data/download/{storage_area_uuid}/{namespace}/{name}", "GET /data/list/{namespace}",
            "GET /data/locate/{namespace}/{name}", "POST /data/move",
        ])
        for (_, grants) in granted {
            #expect(grants.map(\.values) == [[ParameterBinding(name: "namespace", value: "testing")]])
            #expect(grants.allSatisfy { $0.excluded.isEmpty && $0.refusedByConvertor.isEmpty })
        }
        let admin = AccessQuery(groups: ["services/data-management-api/roles/admin"])
        #expect(PolicyAccess(policy: policy).rules.allSatisfy { admin.grants($0)!.map(\.isUnconditional) == [true] })
    }

    @Test func aBlockedGroupIsAnExclusion() throws {
        let roles = #"{"service": ["services/authn-api/roles/service"], "blocked": ["/blocklist/{user}"]}"#
        let policy = try loadPolicy(policySource(type: "exchange", roles: roles, body: #""exchange": "service and not blocked""#))
        let rule = try #require(PolicyAccess(policy: policy).rules.first)
        let grants = try #require(AccessQuery(groups: ["services/authn-api/roles/service", "blocklist/bob", "blocklist/eve"]).grants(rule))
        #expect(grants.map(\.values) == [[]])
        #expect(grants.first?.excluded == [[ParameterBinding(name: "user", value: "bob")], [ParameterBinding(name: "user", value: "eve")]])
        #expect(grants.first?.admits([]) == true, "no user: the spec's fail-open under not")
        #expect(grants.first?.admits([ParameterBinding(name: "user", value: "bob")]) == false)
    }

    @Test func aTemplateCanNameAGroupSeveralWays() throws {
        let roles = #"{"pair": ["pairs/{a}-{b}"]}"#
        let policy = try loadPolicy(policySource(type: "exchange", roles: roles, body: #""exchange": "pair""#))
        let rule = try #require(PolicyAccess(policy: policy).rules.first)
        let grants = try #require(AccessQuery(groups: ["pairs/x-y-z"]).grants(rule))
        #expect(grants.map(\.values) == [
            [ParameterBinding(name: "a", value: "x"), ParameterBinding(name: "b", value: "y-z")],
            [ParameterBinding(name: "a", value: "x-y"), ParameterBinding(name: "b", value: "z")],
        ])
    }

    @Test func valuesAConvertorRefusesAreMarked() throws {
        let roles = #"{"owner": ["jobs/{job_id}/owner"]}"#
        let policy = try loadPolicy(policySource(roles: roles, body: #""routes": {"/jobs/{job_id:int}": {"GET": "owner"}}"#))
        let rule = try #require(PolicyAccess(policy: policy).rules.first)
        #expect(AccessQuery(groups: ["jobs/42/owner"]).grants(rule)?.map(\.refusedByConvertor) == [[]])
        #expect(AccessQuery(groups: ["jobs/abc/owner"]).grants(rule)?.map(\.refusedByConvertor) == [["job_id"]])
    }

    // MARK: diff --access

    @Test func aDiffListsTheAlternativesGainedAndLost() throws {
        let shipped = try ShippedFiles.text("policies/data-management-api.json")
        let edited = shipped.replacingOccurrences(
            of: #""POST": "admin or namespace-viewer or namespace-editor or namespace-owner""#,
            with: #""POST": "admin or namespace-owner and not namespace-viewer""#)
        let diff = PolicyDiff(old: try loadPolicy(shipped, file: "old.json"), new: try loadPolicy(edited, file: "new.json"))
        let rule = try #require(diff.rules.first)
        #expect(rule.alternativesAdded == [
            GrantAlternative(allOf: ["data/namespaces/{namespace}/owner"], noneOf: ["data/namespaces/{namespace}/viewer"])
        ])
        #expect(rule.alternativesRemoved == ["editor", "owner", "viewer"].map {
            GrantAlternative(allOf: ["data/namespaces/{namespace}/\($0)"], noneOf: [])
        })
    }

    // MARK: Helpers

    static func parameterNames(_ alternatives: [GrantAlternative]) -> [String] {
        let texts = alternatives.flatMap { $0.allOf + $0.noneOf }
        return Array(Set(texts.flatMap { try! GroupTemplate(parsing: $0).parameterNames })).sorted()
    }

    /// An alternative's template text with values substituted; nil when one is missing.
    static func substitute(_ text: String, _ values: [String: String]) -> String? {
        var result = ""
        for piece in try! GroupTemplate(parsing: text).pieces {
            switch piece {
            case .literal(let literal): result += literal
            case .parameter(let name):
                guard let value = values[name] else { return nil }
                result += value
            case .rootGroup: preconditionFailure("alternatives have {root_group} substituted")
            }
        }
        return result
    }

    /// A random formula of the given roles, in their order: `and`, `or` and `not`, nested.
    static func randomFormula(_ names: ArraySlice<String>, using generator: inout SplitMix64) -> String {
        let text: String
        if names.count == 1 {
            text = names.first!
        } else {
            let middle = names.startIndex + Int.random(in: 1..<names.count, using: &generator)
            let left = randomFormula(names[..<middle], using: &generator), right = randomFormula(names[middle...], using: &generator)
            text = "(\(left) \(Bool.random(using: &generator) ? "and" : "or") \(right))"
        }
        return Int.random(in: 0..<4, using: &generator) == 0 ? "not \(text)" : text
    }

    /// Evaluates a formula of `randomFormula` (fully parenthesised, `not` prefixed) by hand.
    static func evaluate(_ formula: String, role: (String) -> Bool) -> Bool {
        var tokens = formula.replacingOccurrences(of: "(", with: " ( ").replacingOccurrences(of: ")", with: " ) ")
            .split(separator: " ").map(String.init)[...]
        func term() -> Bool {
            let token = tokens.removeFirst()
            switch token {
            case "not": return !term()
            case "(":
                let left = term()
                let op = tokens.removeFirst()
                let right = term()
                tokens.removeFirst()  // ")"
                return op == "and" ? left && right : left || right
            default: return role(token)
            }
        }
        return term()
    }

    /// The cover by the truth table, over at most eight variables: every prime implicant, then,
    /// from the most specific (most conditions, then by the variables' numbers), each one covered
    /// by the others kept dropped.
    static func truthTableCover(variableCount: Int, holds: (Int) -> Bool) -> [(positive: Int, negative: Int)] {
        let points = (0..<(1 << variableCount)).filter(holds)
        func allows(_ cube: (positive: Int, negative: Int), _ point: Int) -> Bool {
            point & cube.positive == cube.positive && point & cube.negative == 0
        }
        func isImplicant(_ cube: (positive: Int, negative: Int)) -> Bool {
            (0..<(1 << variableCount)).allSatisfy { !allows(cube, $0) || holds($0) }
        }
        var cubes: [(positive: Int, negative: Int)] = []
        for code in 0..<Int(pow(3, Double(variableCount))) {
            var positive = 0, negative = 0, rest = code
            for bit in 0..<variableCount {
                if rest % 3 == 1 { positive |= 1 << bit } else if rest % 3 == 2 { negative |= 1 << bit }
                rest /= 3
            }
            cubes.append((positive, negative))
        }
        let primes = cubes.filter { cube in
            isImplicant(cube) && (0..<variableCount).allSatisfy { bit in
                (cube.positive | cube.negative) & 1 << bit == 0
                    || !isImplicant((cube.positive & ~(1 << bit), cube.negative & ~(1 << bit)))
            }
        }
        func bits(_ mask: Int) -> [Int] { (0..<variableCount).filter { mask & 1 << $0 != 0 } }
        func precedes(_ left: (positive: Int, negative: Int), _ right: (positive: Int, negative: Int)) -> Bool {
            let leftCount = bits(left.positive).count + bits(left.negative).count
            let rightCount = bits(right.positive).count + bits(right.negative).count
            if leftCount != rightCount { return leftCount < rightCount }
            if bits(left.positive) != bits(right.positive) { return bits(left.positive).lexicographicallyPrecedes(bits(right.positive)) }
            return bits(left.negative).lexicographicallyPrecedes(bits(right.negative))
        }
        var kept = primes
        for candidate in primes.sorted(by: { precedes($1, $0) }) {
            let others = kept.filter { $0 != candidate }
            if points.filter({ allows(candidate, $0) }).allSatisfy({ point in others.contains { allows($0, point) } }) {
                kept = others
            }
        }
        #expect(points.allSatisfy { point in kept.contains { allows($0, point) } })
        return kept
    }

    static func normalised(_ group: String) -> ByteString {
        ByteString(bytes: Array(GroupName.normalised(Array(group.utf8))))
    }

    /// The alternative's meaning, read independently of the engine: each `allOf` template,
    /// substituted, is a group held; each `noneOf` one is not (or needs a missing parameter).
    static func holds(_ alternative: GrantAlternative, groups: Set<ByteString>, values: [String: String]) -> Bool {
        alternative.allOf.allSatisfy { substitute($0, values).map { groups.contains(ByteString($0)) } ?? false }
            && alternative.noneOf.allSatisfy { !(substitute($0, values).map { groups.contains(ByteString($0)) } ?? false) }
    }

    static func decide(_ policy: Policy, _ rule: RuleDiff.Rule, values: [String: String], groups: [String]) -> Decision {
        var parameters = Parameters(values.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: .string($0.value)) })
        let version = VersionSelector.number(policy.version)
        switch rule {
        case .route(let template, let method):
            return policy.decide(
                RouteQuery(service: policy.name, version: version, route: template, method: method, parameters: parameters),
                groups: CallerGroups(groups))
        case .exchange:
            return policy.decide(ExchangeQuery(service: policy.name, version: version, parameters: parameters), groups: CallerGroups(groups))
        case .action(let name):
            let selector = policy.actionParameter!
            parameters = parameters.removing(named: selector)
            parameters.append(name: selector, value: .string(name))
            return policy.decide(PluginQuery(service: policy.name, version: version, parameters: parameters), groups: CallerGroups(groups))
        case .movedPaths:
            preconditionFailure("a diff's rule, never one of access's")
        }
    }
}
