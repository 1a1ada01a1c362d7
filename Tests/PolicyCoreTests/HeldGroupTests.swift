import Testing
@testable import PolicyCore

/// Every group that `access who`, `diff`, and `eval --explain` ("holds through", "needs one of",
/// "would allow with") print must grant when a caller holds it exactly as printed. Spec 2.5
/// removes exactly one leading `/` from the template and from the caller's group before comparing,
/// so the template `///data/{ns}/owner` needs the group `///data/ska/owner`: printing the compared
/// form, `//data/ska/owner`, names a group that is refused.
@Suite struct HeldGroupTests {
    static let roles = #"""
        {"owner": ["///data/{ns}/owner"], "twice": ["//ops/{ns}"], "once": ["/plain/{ns}"], "bare": ["bare/{ns}"],
         "admin": ["{root_group}/roles/admin"], "blocked": ["//blocked/{ns}"]}
        """#
    static let roleNames = ["owner", "twice", "once", "bare", "admin", "blocked"]

    /// Rooted at `//svc`, so that `{root_group}/roles/admin` starts with two slashes too. One route
    /// a role, and rules mixing them.
    static func source(extra: String = "") -> String {
        let single = roleNames.map { #""/\#($0)/{ns}": {"GET": "\#($0)"}"# }.joined(separator: ", ")
        let mixed = #"""
            "/all/{ns}": {"GET": "owner or twice or once or bare or admin\#(extra)", "POST": "owner and twice and not blocked",
                          "PUT": "(owner or admin) and (once or twice)"}
            """#
        return policySource(rootGroup: "//svc", roles: roles, body: #""routes": {\#(single), \#(mixed)}"#)
    }

    let policy: Policy

    init() throws {
        policy = try loadPolicy(Self.source())
    }

    func decide(_ route: String, method: String = "GET", groups: [String]) -> Decision {
        policy.decide(RouteQuery(service: "svc", route: route, method: method), groups: CallerGroups(groups), explain: true)
    }

    @Test func everyAlternativeOfAccessWhoGrantsAsPrinted() throws {
        var checked = 0
        for rule in PolicyAccess(policy: policy).rules {
            guard case .route(let template, let method) = rule.rule else { continue }
            for alternative in try #require(rule.grants.alternatives) {
                let groups = alternative.allOf.map { $0.replacingOccurrences(of: "{ns}", with: "ska") }
                let route = template.replacingOccurrences(of: "{ns}", with: "ska")
                let decision = decide(route, method: method, groups: groups)
                #expect(decision.isAuthorised, "\(rule.rule): \(groups) → \(decision.reason)")
                checked += 1
            }
        }
        #expect(checked >= 12)
        let owner = try #require(PolicyAccess(policy: policy, filter: RuleFilter(route: "/owner/{ns}")).rules.first)
        #expect(owner.grants.alternatives == [GrantAlternative(allOf: ["///data/{ns}/owner"], noneOf: [])])
    }

    @Test func everyGroupExplainNeedsGrantsAsPrinted() {
        for role in Self.roleNames {
            let denied = decide("/\(role)/ska", groups: [])
            let candidates = denied.explanation?.roles.flatMap(\.candidates) ?? []
            #expect(candidates.count == 1)
            for group in candidates {
                #expect(decide("/\(role)/ska", groups: [group]).isAuthorised, "\(role): needs one of \(group)")
            }
        }
    }

    @Test func everyOptionOfWouldAllowGrantsAsPrinted() {
        for (method, groups) in [("GET", [String]()), ("POST", ["///data/ska/owner"]), ("PUT", [])] {
            let denied = decide("/all/ska", method: method, groups: groups)
            #expect(!denied.isAuthorised)
            let options = denied.explanation?.wouldGrant ?? []
            #expect(!options.isEmpty)
            for option in options {
                // Any one group of each role of the option: try each in turn.
                for choice in 0..<(option.map(\.groups.count).max() ?? 0) {
                    let added = option.map { $0.groups[min(choice, $0.groups.count - 1)] }
                    let decision = decide("/all/ska", method: method, groups: groups + added)
                    #expect(decision.isAuthorised, "\(method): would allow with \(added) → \(decision.reason)")
                }
            }
        }
    }

    @Test func theGroupThatMadeARoleHoldIsTheCallersOwn() {
        let decision = decide("/owner/ska", groups: ["///data/ska/owner"])
        #expect(decision.isAuthorised)
        #expect(decision.explanation?.roles.first?.matchedGroup == "///data/ska/owner")
        #expect(decide("/owner/ska", groups: ["//data/ska/owner"]).isAuthorised == false, "one slash only is removed")
        let plain = decide("/once/ska", groups: ["/plain/ska"])
        #expect(plain.explanation?.roles.first?.matchedGroup == "plain/ska", "a group held either way is printed without its slash")
    }

    @Test func everyGroupADiffGainsGrantsAsPrinted() throws {
        let old = try loadPolicy(policySource(rootGroup: "//svc", roles: Self.roles, body: #""routes": {"/all/{ns}": {"GET": "bare"}}"#))
        let diff = PolicyDiff(old: old, new: policy)
        let rule = try #require(diff.rules.first { $0.rule == .route(template: "/all/{ns}", method: "GET") })
        #expect(rule.access.groupsGaining.count == 4)
        for set in rule.access.groupsGaining {
            let groups = set.map { $0.replacingOccurrences(of: "{ns}", with: "ska") }
            #expect(decide("/all/ska", groups: groups).isAuthorised, "gains: \(set)")
        }
    }
}
