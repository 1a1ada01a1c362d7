import Testing
@testable import PolicyCore

/// Group templates, parameters and the caller's groups (spec 2.2 and 2.5).
@Suite struct SubstitutionTests {
    let policy: Policy

    init() throws {
        policy = try loadPolicy(policySource(
            name: "dm",
            roles: #"""
                {
                  "any": [],
                  "viewer": ["data/namespaces/{namespace}/viewer"],
                  "admin": ["{root_group}/roles/admin"],
                  "slashed": ["/{root_group}/roles/slashed"],
                  "pair": ["projects/{project}/{site}"],
                  "blocked": ["/blocklist/{user}"],
                  "unicode": ["données/{namespace}"],
                  "trailing": ["teams/{team}/"]
                }
                """#,
            body: #"""
                "routes": {
                  "/v": {"GET": "viewer"},
                  "/admin": {"GET": "admin"},
                  "/slashed": {"GET": "slashed"},
                  "/pair": {"GET": "pair"},
                  "/unblocked": {"GET": "not blocked"},
                  "/unicode": {"GET": "unicode"},
                  "/trailing": {"GET": "trailing"},
                  "/anyone": {"GET": "any"},
                  "/nobody": {"GET": "not any"}
                }
                """#))
    }

    func allowed(_ route: String, _ params: String = "{}", groups: [String]) throws -> Bool {
        guard case .object(let members) = try JSONReader.parse(params) else { fatalError("params") }
        return policy.route(route, params: try Parameters(jsonObject: members), groups: groups).isAuthorised
    }

    @Test func stringsSubstituteAsThemselves() throws {
        #expect(try allowed("/v", #"{"namespace": "testing"}"#, groups: ["data/namespaces/testing/viewer"]))
        #expect(try !allowed("/v", #"{"namespace": "other"}"#, groups: ["data/namespaces/testing/viewer"]))
        #expect(try allowed("/v", #"{"namespace": " x "}"#, groups: ["data/namespaces/ x /viewer"]), "no trimming")
    }

    @Test(arguments: [
        (#"{"namespace": 42}"#, "42"), (#"{"namespace": -3}"#, "-3"), (#"{"namespace": 0}"#, "0"),
        (#"{"namespace": -0}"#, "0"), (#"{"namespace": 9223372036854775807}"#, "9223372036854775807"),
        (#"{"namespace": -9223372036854775808}"#, "-9223372036854775808"),
    ])
    func integersSubstituteInDecimal(params: String, rendered: String) throws {
        #expect(try allowed("/v", params, groups: ["data/namespaces/\(rendered)/viewer"]))
    }

    @Test(arguments: [
        (#"{"namespace": 2.5}"#, "2.5"), (#"{"namespace": 5.0}"#, "5.0"), (#"{"namespace": 5.0}"#, "5"),
        (#"{"namespace": 1e3}"#, "1e3"), (#"{"namespace": 1e3}"#, "1000"),
        (#"{"namespace": 9223372036854775808}"#, "9223372036854775808"),
        (#"{"namespace": true}"#, "true"), (#"{"namespace": null}"#, "null"), (#"{"namespace": null}"#, "None"),
        (#"{"namespace": ["x"]}"#, #"["x"]"#), (#"{"namespace": ["x"]}"#, "x"), (#"{"namespace": {"a": 1}}"#, #"{"a": 1}"#),
        (#"{"namespace": ""}"#, ""), (#"{"namespace": "a/b"}"#, "a/b"), (#"{"namespace": "{x}"}"#, "{x}"),
        (#"{"namespace": "a}"}"#, "a}"), (#"{}"#, "{namespace}"), (#"{"Namespace": "x"}"#, "x"),
    ])
    func unusableValuesMatchNothing(params: String, naive: String) throws {
        #expect(try !allowed("/v", params, groups: ["data/namespaces/\(naive)/viewer", "data/namespaces/{namespace}/viewer"]))
    }

    @Test func unusableParametersNeverGrantButNegationsStillEvaluate() throws {
        #expect(try allowed("/unblocked", "{}", groups: ["blocklist/{user}"]))
        #expect(try allowed("/unblocked", #"{"user": ""}"#, groups: ["blocklist/"]))
        #expect(try !allowed("/unblocked", #"{"user": "eve"}"#, groups: ["blocklist/eve"]))
    }

    @Test func everyParameterOfATemplateMustBeUsable() throws {
        #expect(try allowed("/pair", #"{"project": "p", "site": 7}"#, groups: ["projects/p/7"]))
        #expect(try !allowed("/pair", #"{"project": "p", "site": false}"#, groups: ["projects/p/false"]))
    }

    @Test func rootGroupIsThePolicysAndNeverARequestParameter() throws {
        #expect(try allowed("/admin", groups: ["services/dm/roles/admin"]))
        #expect(try !allowed("/admin", #"{"root_group": "mine"}"#, groups: ["mine/roles/admin"]))
        #expect(try allowed("/admin", #"{"root_group": "mine"}"#, groups: ["services/dm/roles/admin"]))
        let overridden = try loadPolicy(policySource(rootGroup: "storage/ops", body: #""routes": {"/a": {"GET": "admin"}}"#))
        #expect(overridden.route("/a", groups: ["storage/ops/roles/admin"]).isAuthorised)
        #expect(!overridden.route("/a", groups: ["services/svc/roles/admin"]).isAuthorised)
    }

    @Test func exactlyOneLeadingSlashIsRemovedFromBothSides() throws {
        #expect(try allowed("/admin", groups: ["/services/dm/roles/admin"]))
        #expect(try !allowed("/admin", groups: ["//services/dm/roles/admin"]))
        #expect(try allowed("/slashed", groups: ["services/dm/roles/slashed"]))
        #expect(try allowed("/slashed", groups: ["/services/dm/roles/slashed"]))
        let rooted = try loadPolicy(policySource(rootGroup: "/ops", body: #""routes": {"/a": {"GET": "admin"}, "/b": {"GET": "slashed"}}"#,
            ).replacingAll("\"admin\": [\"{root_group}/roles/admin\"]", "\"admin\": [\"{root_group}/roles/admin\"], \"slashed\": [\"/{root_group}/x\"]"))
        #expect(rooted.route("/a", groups: ["ops/roles/admin"]).isAuthorised, "'/ops/roles/admin' loses its one leading '/'")
        #expect(rooted.route("/b", groups: ["//ops/x"]).isAuthorised, "'//ops/x' keeps one '/', as does the caller's")
        #expect(!rooted.route("/b", groups: ["ops/x"]).isAuthorised)
    }

    @Test func aTrailingSlashStays() throws {
        #expect(try allowed("/trailing", #"{"team": "a"}"#, groups: ["teams/a/"]))
        #expect(try !allowed("/trailing", #"{"team": "a"}"#, groups: ["teams/a"]))
        #expect(try !allowed("/admin", groups: ["services/dm/roles/admin/"]))
    }

    @Test func comparisonIsExactBytes() throws {
        #expect(try !allowed("/admin", groups: ["Services/dm/roles/admin"]))
        #expect(try !allowed("/admin", groups: [" services/dm/roles/admin"]))
        #expect(try !allowed("/admin", groups: ["services/dm/roles/admin "]))
        #expect(try allowed("/unicode", #"{"namespace": "x"}"#, groups: ["donn\u{E9}es/x"]))
        #expect(try !allowed("/unicode", #"{"namespace": "x"}"#, groups: ["donne\u{301}es/x"]),
                "canonically equivalent is not equal")
        #expect(try !allowed("/v", "{\"namespace\": \"caf\u{E9}\"}", groups: ["data/namespaces/cafe\u{301}/viewer"]))
        #expect(try allowed("/v", "{\"namespace\": \"caf\u{E9}\"}", groups: ["data/namespaces/caf\u{E9}/viewer"]))
    }

    @Test func groupsDoNotInherit() throws {
        #expect(try !allowed("/admin", groups: ["services/dm/roles"]))
        #expect(try !allowed("/admin", groups: ["services/dm/roles/admin/sub"]))
        #expect(try !allowed("/admin", groups: ["services/dm/roles/admi"]))
    }

    @Test func aRoleWithNoGroupsHoldsForEveryCaller() throws {
        #expect(try allowed("/anyone", groups: []))
        #expect(try !allowed("/nobody", groups: ["anything"]))
    }

    @Test func manyGroupsAreOneLookup() throws {
        let groups = (0..<10_000).map { "noise/\($0)" } + ["services/dm/roles/admin"]
        #expect(try allowed("/admin", groups: groups))
        #expect(try !allowed("/admin", groups: Array(groups.dropLast())))
    }

    @Test func explanationsNameTheMatchedGroup() throws {
        let decision = policy.decide(
            RouteQuery(service: "dm", route: "/v", parameters: .strings(["namespace": "t"])),
            groups: CallerGroups(["/data/namespaces/t/viewer"]), explain: true)
        let explanation = try #require(decision.explanation)
        #expect(explanation.routeTemplate == "/v")
        #expect(explanation.roles == [RoleOutcome(name: "viewer", held: true, matchedGroup: "data/namespaces/t/viewer", candidates: ["data/namespaces/t/viewer"])])
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
