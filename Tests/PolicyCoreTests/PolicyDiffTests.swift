import Testing
@testable import PolicyCore

/// `policyc diff`: the shipped data-management-api policy against edited copies lists exactly
/// the edits, each with who gains and who loses.
@Suite struct PolicyDiffTests {
    let shipped: String
    let admin = "services/data-management-api/roles/admin"
    let developer = "services/data-management-api/roles/developer"

    init() throws {
        shipped = try ShippedFiles.text("policies/data-management-api.json")
    }

    /// The shipped policy against a copy with `edits` applied, each of which must apply.
    func diff(_ edits: [(String, String)]) throws -> PolicyDiff {
        var edited = shipped
        for (old, new) in edits {
            try #require(edited.contains(old), "the edit must apply: \(old)")
            edited = edited.replacingOccurrences(of: old, with: new)
        }
        return PolicyDiff(old: try loadPolicy(shipped, file: "old.json"), new: try loadPolicy(edited, file: "new.json"))
    }

    @Test func anUnchangedCopyHasNoDifference() throws {
        let diff = try diff([])
        #expect(diff.change == .unchanged)
        #expect(diff.settings.isEmpty && diff.roles.isEmpty && diff.rules.isEmpty)
        #expect(diff.addedRoutes.isEmpty && diff.removedRoutes.isEmpty)
        #expect(!diff.widensAccess && !diff.narrowsAccess)
    }

    @Test func aRoleThatGainsAGroupWidensEveryRuleNamingIt() throws {
        let diff = try diff([(#""{root_group}/roles/developer""#, #""{root_group}/roles/developer", "{root_group}/roles/dev2""#)])
        #expect(diff.roles == [RoleChange(name: "developer", change: .changed, addedGroups: ["{root_group}/roles/dev2"], removedGroups: [])])
        #expect(diff.rules.map(\.rule.description) == ["GET /data/list", "GET /data/list/{namespace}", "GET /data/locate/{namespace}/{name}"])
        for rule in diff.rules {
            #expect(rule.change == .changed)
            #expect(rule.oldExpression == rule.newExpression)
            #expect(rule.access.groupsGaining == [["services/data-management-api/roles/dev2"]])
            #expect(rule.access.groupsLosing.isEmpty)
            #expect(rule.access.rolesGaining.isEmpty && rule.access.rolesLosing.isEmpty, "the expressions did not change")
        }
        #expect(diff.widensAccess && !diff.narrowsAccess)
    }

    @Test func anExpressionThatLosesARoleNarrows() throws {
        let diff = try diff([(#""GET": "admin or developer""#, #""GET": "admin""#)])
        #expect(diff.rules.count == 1)
        let rule = try #require(diff.rules.first)
        #expect(rule.rule == .route(template: "/data/list", method: "GET"))
        #expect(rule.oldExpression == "admin or developer" && rule.newExpression == "admin")
        #expect(rule.access.groupsLosing == [[developer]])
        #expect(rule.access.rolesLosing == [["developer"]])
        #expect(rule.access.groupsGaining.isEmpty && rule.access.rolesGaining.isEmpty)
        #expect(!diff.widensAccess && diff.narrowsAccess)
    }

    @Test func anAddedRouteGrantsItsExpression() throws {
        let diff = try diff([(#""/data/list": {"#, #""/data/stage/{namespace}": {"POST": "admin or namespace-owner"}, "/data/list": {"#)])
        #expect(diff.addedRoutes == ["/data/stage/{namespace}"] && diff.removedRoutes.isEmpty)
        let rule = try #require(diff.rules.first)
        #expect(diff.rules.count == 1)
        #expect(rule.change == .added && rule.oldExpression == nil)
        #expect(rule.access.groupsGaining == [["data/namespaces/{namespace}/owner"], [admin]])
        #expect(rule.access.rolesGaining == [["admin"], ["namespace-owner"]])
        #expect(diff.widensAccess && !diff.narrowsAccess)
    }

    @Test func aRemovedMethodLosesEveryoneItGranted() throws {
        let diff = try diff([(#""POST": "admin or namespace-viewer or namespace-editor or namespace-owner""#, "")])
        #expect(diff.removedRoutes.isEmpty, "the route stays, with no methods")
        let rule = try #require(diff.rules.first)
        #expect(diff.rules.count == 1)
        #expect(rule.rule == .route(template: "/data/move", method: "POST") && rule.change == .removed)
        #expect(rule.access.groupsLosing == [
            ["data/namespaces/{namespace}/editor"], ["data/namespaces/{namespace}/owner"],
            ["data/namespaces/{namespace}/viewer"], [admin],
        ])
        #expect(!diff.widensAccess && diff.narrowsAccess)
    }

    @Test func aRemovedRouteIsListed() throws {
        let diff = try diff([(#""/data/list": {"#, #""/data/unused": {"#)])
        #expect(diff.addedRoutes == ["/data/unused"] && diff.removedRoutes == ["/data/list"])
        #expect(diff.rules.map(\.change) == [.added, .removed])
    }

    @Test func aRootGroupChangeMovesEveryRootGroupTemplate() throws {
        let diff = try diff([(#""iam_subgroup_name": "data-management-api","#, #""iam_subgroup_name": "data-management-api", "root_group": "services/dm","#)])
        #expect(diff.settings == [SettingChange(setting: .rootGroup, old: "services/data-management-api", new: "services/dm")])
        #expect(diff.roles.isEmpty, "the templates are written as before")
        #expect(diff.rules.count == 5, "every expression names admin")
        let list = try #require(diff.rules.first { $0.rule == .route(template: "/data/list", method: "GET") })
        #expect(list.access.groupsGaining == [["services/dm/roles/admin"], ["services/dm/roles/developer"]])
        #expect(list.access.groupsLosing == [[admin], [developer]])
        #expect(list.access.rolesGaining.isEmpty)
        #expect(diff.widensAccess && diff.narrowsAccess)
    }

    @Test func wideningAndNarrowingAreToldApart() throws {
        let diff = try diff([
            (#""GET": "admin or developer""#, #""GET": "admin or developer or namespace-owner and namespace-editor""#),
            (
                "\"/data/locate/{namespace}/{name}\": {\n      \"GET\": \"admin or namespace-viewer or namespace-editor or namespace-owner or developer\"",
                "\"/data/locate/{namespace}/{name}\": {\n      \"GET\": \"admin or namespace-owner and not namespace-viewer\""
            ),
        ])
        let list = try #require(diff.rules.first { $0.rule == .route(template: "/data/list", method: "GET") })
        #expect(list.access.groupsGaining == [["data/namespaces/{namespace}/editor", "data/namespaces/{namespace}/owner"]], "a conjunction gains as one set")
        #expect(list.access.rolesGaining == [["namespace-editor", "namespace-owner"]])
        #expect(list.access.groupsLosing.isEmpty)
        let locate = try #require(diff.rules.first { $0.rule == .route(template: "/data/locate/{namespace}/{name}", method: "GET") })
        #expect(locate.access.groupsGaining.isEmpty)
        #expect(locate.access.groupsLosing == [
            ["data/namespaces/{namespace}/editor"], ["data/namespaces/{namespace}/viewer"], [developer],
        ])
        #expect(diff.widensAccess && diff.narrowsAccess)
    }

    @Test func aReorderedExpressionIsNoChangeInAccess() throws {
        let diff = try diff([(#""GET": "admin or developer""#, #""GET": "developer or (admin)""#)])
        let rule = try #require(diff.rules.first)
        #expect(diff.rules.count == 1 && rule.access.isNone)
        #expect(!diff.widensAccess && !diff.narrowsAccess)
    }

    @Test func tokenSettingsWidenWhenOtherTokensAreAccepted() throws {
        let diff = try diff([
            (#""expected_token_issuer": "https://ska-iam.stfc.ac.uk","#, #""expected_token_issuer": "https://other.example","#),
            (#""expected_service_token_scope": "data-management-api-service","#, ""),
        ])
        #expect(diff.settings.map(\.setting) == [.tokenIssuer, .serviceTokenScope])
        #expect(diff.settings.allSatisfy { $0.widensAccess })
        #expect(diff.settings.last?.new == nil && !diff.settings.last!.narrowsAccess)
        #expect(diff.rules.isEmpty && diff.widensAccess)
    }

    /// Another `action_parameter` has every request decided by another action (or none): it widens
    /// and narrows, and the rules' alternatives follow the parameters that still substitute.
    @Test func anotherActionParameterWidensAndNarrows() throws {
        let echo = try ShippedFiles.text("policies/plugin-echo.json")
        let edited = echo.replacingOccurrences(of: #""action_parameter": "service.method","#, with: "")
        try #require(edited != echo)
        let diff = PolicyDiff(old: try loadPolicy(echo, file: "old.json"), new: try loadPolicy(edited, file: "new.json"))
        #expect(diff.settings == [SettingChange(setting: .actionParameter, old: "service.method", new: "action")])
        #expect(diff.widensAccess && diff.narrowsAccess)
        #expect(diff.rules.isEmpty, "no template names either parameter: the rules grant the same groups")
        let unchanged = PolicyDiff(old: try loadPolicy(echo, file: "old.json"), new: try loadPolicy(echo, file: "new.json"))
        #expect(unchanged.change == .unchanged)
    }

    @Test func aBlockListDroppedFromAnExchangeGainsTheBlocked() throws {
        let exchange = try ShippedFiles.text("policies/exchange-data-management-api.json")
        let edited = exchange.replacingOccurrences(of: "service or user and not blocked", with: "service or user")
        let diff = PolicyDiff(old: try loadPolicy(exchange), new: try loadPolicy(edited))
        let rule = try #require(diff.rules.first)
        #expect(rule.rule == .exchange)
        #expect(rule.access.groupsGaining == [["services/data-management-api/blocked", "users"]])
        #expect(rule.access.rolesGaining == [["blocked", "user"]])
        #expect(rule.access.groupsLosing.isEmpty)
    }

    @Test func aRoleThatStopsHoldingForEveryoneLosesCallersWithoutItsGroup() throws {
        let source = policySource(roles: #"{"any": [], "admin": ["{root_group}/roles/admin"]}"#, body: #""routes": {"/a": {"GET": "any"}}"#)
        let edited = source.replacingOccurrences(of: #""any": []"#, with: #""any": ["members"]"#)
        let rule = try #require(PolicyDiff(old: try loadPolicy(source), new: try loadPolicy(edited)).rules.first)
        #expect(rule.access.groupsLosing == [[]], "a caller with none of the groups loses")
        #expect(rule.access.groupsGaining.isEmpty)
    }

    /// 17 groups and more are compared like any others; more gaining or losing sets than the limit
    /// are counted, not listed, and widening is still known exactly.
    @Test func largeRulesAreComparedAndLongAnswersCounted() throws {
        let names = (1...17).map { "r\($0)" }
        let roles = "{" + names.map { #""\#($0)": ["groups/\#($0)"]"# }.joined(separator: ", ") + "}"
        let old = policySource(roles: roles, body: #""routes": {"/a": {"GET": "\#(names.joined(separator: " or "))"}}"#)
        let new = policySource(roles: roles, body: #""routes": {"/a": {"GET": "\#(names.dropLast().joined(separator: " or "))"}}"#)
        let diff = PolicyDiff(old: try loadPolicy(old), new: try loadPolicy(new))
        let rule = try #require(diff.rules.first)
        #expect(rule.access.groupsLosing == [["groups/r17"]] && rule.access.rolesLosing == [["r17"]])
        #expect(rule.access.groupsGaining.isEmpty && !rule.access.mayWiden && !diff.widensAccess)
        let same = PolicyDiff(old: try loadPolicy(old), new: try loadPolicy(old))
        #expect(same.rules.isEmpty, "identical rules need no analysis")

        let pairs = "(r1 or r2) and (r3 or r4) and (r5 or r6) and (r7 or r8) and (r9 or r10)"
        let wide = policySource(roles: roles, body: #""routes": {"/a": {"GET": "\#(pairs)"}}"#)
        let counted = try #require(PolicyDiff(old: try loadPolicy(new), new: try loadPolicy(wide), limit: 10).rules.first)
        #expect(counted.access.groupsUnlisted == .tooMany(gaining: 0, losing: 16, limit: 10))
        #expect(counted.access.groupsLosing.isEmpty && counted.access.mayNarrow && !counted.access.mayWiden)
        #expect(counted.alternativesAdded == nil && counted.alternativesUnanalysed == .tooManyAlternatives(count: 16, limit: 10))
    }

    @Test func directoriesCompareTheLatestVersionOfEachPolicy() throws {
        let directory = TemporaryDirectory()
        directory.write("dm-v1.json", shipped)
        directory.write("dm-v2.json", shipped
            .replacingOccurrences(of: #""version_number": 1"#, with: #""version_number": 2"#)
            .replacingOccurrences(of: #""GET": "admin or developer""#, with: #""GET": "admin""#))
        directory.write("new.json", policySource(name: "new-api", type: "plugin", body: #""actions": {"read": "any"}"#))
        let old = try PolicyLoader().load(paths: [ShippedFiles.path("policies/data-management-api.json")])
        let diff = PolicySetDiff(old: old, new: try PolicyLoader().load(directory: directory.path))
        #expect(diff.policies.map(\.name) == ["new-api", "data-management-api"], "by type, then name")
        let added = diff.policies[0]
        #expect(added.change == .added && added.oldVersion == nil && added.newVersion == 1)
        #expect(added.rules.first?.access.groupsGaining == [[]], "'any' grants callers with no group")
        let changed = diff.policies[1]
        #expect(changed.oldVersion == 1 && changed.newVersion == 2)
        #expect(changed.rules.map(\.rule.description) == ["GET /data/list"])
        #expect(diff.widensAccess && diff.narrowsAccess)
        #expect(diff.json["widens"] == .bool(true))
        #expect(diff.json["policies"].map { if case .array(let items) = $0 { items.count } else { 0 } } == 2)
    }

    /// A caller may pin a version (`version=1`): a change to a version other than the latest changes
    /// what such callers get, and is compared too (it was not: the diff said "access unchanged" and
    /// `--fail-on-widening` passed while version 1 let everyone in; found by a probe).
    @Test func versionsBeyondTheLatestAreComparedWhenTheyChange() throws {
        func directory(_ versions: [Int: String]) throws -> PolicySet {
            let directory = TemporaryDirectory()
            for (version, expression) in versions {
                directory.write("v\(version).json", shipped
                    .replacingOccurrences(of: #""version_number": 1"#, with: #""version_number": \#(version)"#)
                    .replacingOccurrences(of: #""GET": "admin or developer""#, with: #""GET": "\#(expression)""#))
            }
            return try PolicyLoader().load(directory: directory.path)
        }
        let pinnedWidens = PolicySetDiff(
            old: try directory([1: "admin", 2: "admin"]), new: try directory([1: "admin or developer", 2: "admin"]))
        #expect(pinnedWidens.widensAccess)
        #expect(pinnedWidens.policies.map { "\($0.oldVersion ?? 0) -> \($0.newVersion ?? 0) \($0.change)" } == ["2 -> 2 unchanged", "1 -> 1 changed"])
        #expect(pinnedWidens.policies.last?.rules.first?.access.groupsGaining == [[developer]])

        let pinnedRemoved = PolicySetDiff(old: try directory([1: "admin", 2: "admin"]), new: try directory([2: "admin"]))
        #expect(pinnedRemoved.policies.map { "\($0.oldVersion ?? 0) -> \($0.newVersion ?? 0) \($0.change)" } == ["2 -> 2 unchanged", "1 -> 0 removed"])
        #expect(pinnedRemoved.narrowsAccess && !pinnedRemoved.widensAccess)

        let bumped = PolicySetDiff(old: try directory([1: "admin"]), new: try directory([1: "admin", 2: "admin or developer"]))
        #expect(bumped.policies.map { "\($0.oldVersion ?? 0) -> \($0.newVersion ?? 0) \($0.change)" } == ["1 -> 2 changed"], "an unchanged version 1 is not listed again")
    }

    @Test func minimalSetsAreTheSmallestThatHold() throws {
        let variables = AnalysisVariables(named: ["c", "b", "a"].map(ByteString.init))
        let diagram = DecisionDiagram(stepLimit: 1000)
        let (a, b, c) = try (
            diagram.variable(at: variables.level(of: ByteString("a"))), diagram.variable(at: variables.level(of: ByteString("b"))),
            diagram.variable(at: variables.level(of: ByteString("c"))))
        var sets = MinimalSets(diagram: diagram, variables: variables)
        func minimal(_ function: DecisionDiagram.Node) throws -> [[String]] {
            #expect(try sets.list(function, limit: 10).count == sets.count(function))
            return try sets.list(function, limit: 10).map { variables.names($0) }.sorted { ($0.count, $0.joined()) < ($1.count, $1.joined()) }
        }
        #expect(try minimal(diagram.or(diagram.and(a, b), c)) == [["c"], ["a", "b"]])
        #expect(try minimal(DecisionDiagram.never).isEmpty)
        #expect(try minimal(DecisionDiagram.always) == [[]])
        #expect(try minimal(diagram.and(a, diagram.not(b))) == [["a"]], "the others false")
        #expect(try minimal(diagram.not(a)) == [[]])
        #expect(try minimal(diagram.or(a, diagram.and(b, diagram.not(a)))) == [["a"], ["b"]])
        #expect(try minimal(diagram.and(diagram.or(a, b), diagram.not(diagram.and(a, b)))) == [["a"], ["b"]])
        #expect(try sets.isMonotone(diagram.or(diagram.and(a, b), c)) && !sets.isMonotone(diagram.not(a)))
        #expect(throws: MinimalSets.TooMany.self) { try sets.list(diagram.or(a, diagram.or(b, c)), limit: 2) }
    }
}
