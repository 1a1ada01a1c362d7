import Testing
@testable import PolicyCore

/// A route template added or removed beside one that shares paths with it moves those paths from
/// one rule to the other: `/a/b` removed beside `/a/{x}` leaves `/a/b` to `/a/{x}`'s rule. The diff
/// compares the two rules for those paths, so that a review gate sees who gains there (it reported
/// such a change as narrowing only, and `--fail-on-widening` let it pass: found by a probe).
@Suite struct PolicyDiffMovedPathsTests {
    func policy(_ routes: String) throws -> Policy {
        try loadPolicy("""
            {"name": "svc", "type": "route", "version_number": 1, "iam_subgroup_name": "svc",
             "expected_token_issuer": "https://issuer", "expected_token_audience": "svc",
             "roles": {"any": [], "admin": ["{root_group}/admin"], "staff": ["staff"]},
             "routes": \(routes)}
            """)
    }

    @Test func removingTheMoreSpecificTemplateWidensWhereTheGeneralOneGrantsMore() throws {
        let old = try policy(#"{"/a/{x}": {"GET": "any"}, "/a/b": {"GET": "admin"}}"#)
        let new = try policy(#"{"/a/{x}": {"GET": "any"}}"#)
        let diff = PolicyDiff(old: old, new: new)
        #expect(diff.widensAccess, "a caller with no group gains GET /a/b")
        let moved = try #require(diff.rules.first { $0.rule == .movedPaths(method: "GET", before: "/a/b", after: "/a/{x}") })
        #expect(moved.access.groupsGaining == [[]], "(no group)")
        #expect(moved.access.groupsLosing.isEmpty, "admin still has /a/b, through /a/{x}")
    }

    @Test func removingATemplateWithAConvertorMovesItsPathsToTheGeneralOne() throws {
        let old = try policy(#"{"/j/{n:int}": {"GET": "admin"}, "/j/{s}": {"GET": "any"}}"#)
        let new = try policy(#"{"/j/{s}": {"GET": "any"}}"#)
        #expect(PolicyDiff(old: old, new: new).widensAccess)
    }

    @Test func aMethodOnlyTheGeneralTemplateHasIsGainedOnTheMovedPaths() throws {
        let old = try policy(#"{"/a/{x}": {"GET": "staff", "POST": "staff"}, "/a/b": {"GET": "staff"}}"#)
        let new = try policy(#"{"/a/{x}": {"GET": "staff", "POST": "staff"}}"#)
        let diff = PolicyDiff(old: old, new: new)
        #expect(diff.widensAccess, "POST /a/b: no method before, staff now")
        #expect(diff.rules.contains { $0.rule == .movedPaths(method: "POST", before: "/a/b", after: "/a/{x}") && $0.access.groupsGaining == [["staff"]] })
        #expect(!diff.rules.contains { $0.rule == .movedPaths(method: "GET", before: "/a/b", after: "/a/{x}") }, "GET /a/b is decided as before")
    }

    @Test func addingAMoreSpecificTemplateTakesItsPathsFromTheGeneralOne() throws {
        let old = try policy(#"{"/a/{x}": {"GET": "admin"}}"#)
        let new = try policy(#"{"/a/{x}": {"GET": "admin"}, "/a/b": {"GET": "admin and not admin"}}"#)
        let diff = PolicyDiff(old: old, new: new)
        let moved = try #require(diff.rules.first { $0.rule == .movedPaths(method: "GET", before: "/a/{x}", after: "/a/b") })
        #expect(moved.access.groupsLosing == [["services/svc/admin"]], "admin loses GET /a/b")
        #expect(diff.narrowsAccess)
    }

    @Test func templatesThatShareNoPathMoveNothing() throws {
        let old = try policy(#"{"/a/{x}": {"GET": "any"}, "/b/c": {"GET": "admin"}, "/a/{x}/d": {"GET": "admin"}}"#)
        let new = try policy(#"{"/a/{x}": {"GET": "any"}}"#)
        #expect(!PolicyDiff(old: old, new: new).rules.contains { if case .movedPaths = $0.rule { true } else { false } })
        #expect(!PolicyDiff(old: old, new: new).widensAccess)
    }

    @Test func aGeneralTemplateRemovedBesideAMoreSpecificOneMovesNothing() throws {
        // `/a/b` won its paths before and still does; the other paths of `/a/{x}` go nowhere.
        let old = try policy(#"{"/a/{x}": {"GET": "admin"}, "/a/b": {"GET": "any"}}"#)
        let new = try policy(#"{"/a/b": {"GET": "any"}}"#)
        let diff = PolicyDiff(old: old, new: new)
        #expect(!diff.rules.contains { if case .movedPaths = $0.rule { true } else { false } })
        #expect(!diff.widensAccess)
    }

    @Test func aTemplateEndingInAPathConvertorIsAssumedToShareWhatItsPrefixAllows() throws {
        let old = try policy(#"{"/f/{p:path}": {"GET": "any"}, "/f/secret/x": {"GET": "admin"}, "/g/h": {"GET": "admin"}}"#)
        let new = try policy(#"{"/f/{p:path}": {"GET": "any"}}"#)
        let diff = PolicyDiff(old: old, new: new)
        #expect(diff.rules.contains { $0.rule == .movedPaths(method: "GET", before: "/f/secret/x", after: "/f/{p:path}") })
        #expect(!diff.rules.contains { $0.rule == .movedPaths(method: "GET", before: "/g/h", after: "/f/{p:path}") })
        #expect(diff.widensAccess)
    }
}
