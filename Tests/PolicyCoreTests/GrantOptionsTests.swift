import Testing
@testable import PolicyCore

/// `eval --explain` for a denial: the fewest groups that would allow it.
@Suite struct GrantOptionsTests {
    let policy: Policy

    init() throws {
        policy = try loadPolicy(policySource(
            roles: #"{"any": [], "a": ["g/a"], "b": ["g/b"], "c": ["g/c/{x}"], "blocked": ["g/blocked"]}"#,
            body: #"""
                "routes": {
                  "/or": {"GET": "a or b"},
                  "/and": {"GET": "a and b"},
                  "/mixed": {"GET": "a and (b or c)"},
                  "/not": {"GET": "a and not blocked"},
                  "/param": {"GET": "c"}
                }
                """#))
    }

    func options(_ route: String, params: Parameters = Parameters(), groups: [String] = []) -> [[String]] {
        let decision = policy.decide(RouteQuery(service: "svc", route: route, parameters: params), groups: CallerGroups(groups), explain: true)
        return decision.explanation?.wouldGrant.map { $0.map { "\($0.role):\($0.groups.joined(separator: "|"))" } } ?? []
    }

    @Test func theAnswerCarriesTheOptionsOnce() throws {
        let decision = policy.decide(RouteQuery(service: "svc", route: "/or"), groups: CallerGroups([]), explain: true)
        let text = JSONWriter.string(decision.json(explain: true))
        #expect(text.components(separatedBy: #""would_grant""#).count == 2, "one member, not two: \(text)")
        let explanation = try JSONReader.parse(Array(text.utf8))
        guard case .object(let members) = explanation, case .object(let inner)? = members.first(where: { $0.key == "explanation" })?.value
        else {
            Issue.record("no explanation in \(text)")
            return
        }
        #expect(inner.filter { $0.key == "would_grant" }.count == 1)
    }

    @Test func anyOneRoleOfADisjunction() {
        #expect(options("/or") == [["a:g/a"], ["b:g/b"]])
    }

    @Test func everyRoleOfAConjunction() {
        #expect(options("/and") == [["a:g/a", "b:g/b"]])
        #expect(options("/and", groups: ["g/a"]) == [["b:g/b"]], "what the caller holds is not asked again")
    }

    @Test func onlyMinimalSets() {
        #expect(options("/mixed", params: .strings(["x": "1"])) == [["a:g/a", "b:g/b"], ["a:g/a", "c:g/c/1"]])
    }

    @Test func rolesWithUnusableParametersCannotBeOffered() {
        #expect(options("/mixed") == [["a:g/a", "b:g/b"]])
        #expect(options("/param").isEmpty)
    }

    @Test func aRoleThatMustBeMissingIsNoHelp() {
        #expect(options("/not", groups: ["g/a", "g/blocked"]).isEmpty)
        #expect(options("/not") == [["a:g/a"]])
    }

    /// A group two roles share gives both: `staff and not contractor`, where both roles name
    /// `org/staff`, is allowed by no added group, and `org/staff` was offered for `staff` (found by
    /// a probe: the caller holding it is still denied).
    @Test func aGroupTwoRolesShareGivesBoth() throws {
        let shared = try loadPolicy(policySource(
            roles: #"{"staff": ["org/staff", "org/staff-only"], "contractor": ["org/staff", "/org/contractors"], "guest": ["org/contractors"]}"#,
            body: #""routes": {"/x": {"GET": "staff and not contractor"}, "/y": {"GET": "contractor and not guest"}}"#))
        func options(_ route: String) -> [[String]] {
            let decision = shared.decide(RouteQuery(service: "svc", route: route), groups: CallerGroups([]), explain: true)
            return decision.explanation?.wouldGrant.map { $0.map { "\($0.role):\($0.groups.joined(separator: "|"))" } } ?? []
        }
        #expect(options("/x") == [["staff:org/staff-only"]], "org/staff gives contractor too")
        // `/org/contractors` is `org/contractors` once normalised, which gives guest too.
        #expect(options("/y") == [["contractor:org/staff"]])
        #expect(shared.decide(RouteQuery(service: "svc", route: "/x"), groups: CallerGroups(["org/staff-only"])).isAuthorised)
        #expect(shared.decide(RouteQuery(service: "svc", route: "/y"), groups: CallerGroups(["org/staff"])).isAuthorised)
    }

    @Test func allowedDecisionsOfferNothing() {
        #expect(options("/or", groups: ["g/a"]).isEmpty)
    }

    @Test func combinations() {
        #expect(Policy.combinations(of: 4, size: 2) == [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]])
        #expect(Policy.combinations(of: 2, size: 3).isEmpty)
    }
}

@Suite struct CompactAnswerTests {
    @Test func theDirectlyWrittenAnswerIsTheWritersOwn() throws {
        let policy = try loadPolicy(policySource(body: #""routes": {"/a \"quoted\"\\x": {"GET": "admin"}, "/b": {"GET": "any"}}"#))
        for route in ["/b", "/a \"quoted\"\\x", "/nowhere"] {
            for method in ["GET", "PO\"ST\n"] {
                let decision = policy.route(route, method: method, groups: [])
                #expect(decision.compactAnswer == JSONWriter.string(decision.json(explain: false)))
            }
        }
    }
}
