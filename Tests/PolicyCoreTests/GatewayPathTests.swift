import Testing
@testable import PolicyCore

/// The gateway decides on the path the upstream routes: decoded before it is matched, and refused
/// when upstreams would read the spelling in different ways. The finding: a global viewer was
/// denied `GET /nodes/dump` (admin only) but granted `GET /nodes/%64ump`, which uvicorn decodes and
/// Starlette serves as `/nodes/dump`.
@Suite struct GatewayPathTests {
    let siteCapabilities: Policy

    init() throws {
        siteCapabilities = try PolicyLoader().loadPolicy(
            bytes: Array(try ShippedFiles.text("policies/site-capabilities-api.json").utf8),
            file: "site-capabilities-api.json").get()
    }

    static let viewer = ["services/site-capabilities-api/roles/viewer"]

    func ask(_ policy: Policy, _ path: String, _ method: String = "GET", groups: [String]) -> Decision {
        policy.decide(GatewayQuery(path: path, method: method), groups: CallerGroups(groups)).decision
    }

    @Test(arguments: ["/nodes/%64ump", "/nodes/dum%70", "/nodes/%64%75%6D%70", "/nodes/%64%75%6d%70"])
    func aNeedlessEscapeOfALiteralGrantsNothing(path: String) {
        #expect(!ask(siteCapabilities, "/nodes/dump", groups: Self.viewer).isAuthorised)
        let spelled = ask(siteCapabilities, path, groups: Self.viewer)
        #expect(!spelled.isAuthorised)
        guard case .ambiguousPath(let refusal) = spelled.reason else {
            Issue.record("\(path): \(spelled.reason)")
            return
        }
        #expect(refusal.segment == 2)
    }

    @Test func theReasonSaysWhatIsAmbiguousWithoutQuotingThePath() {
        #expect(ask(siteCapabilities, "/nodes/%64ump", groups: Self.viewer).reason.description
            == "ambiguous path: segment 2 escapes 'd' as %64, which is never escaped (upstreams read such a spelling in different ways: send the path in canonical form)")
    }

    /// Each kind of spelling that upstreams read in different ways, and the words that say so.
    @Test(arguments: [
        ("/nodes/DUMP", "segment 2 differs from the route literal 'dump' only in case"),
        ("/Nodes/abc", "segment 1 differs from the route literal 'nodes' only in case"),
        ("/nodes/dump;x", "segment 2 holds a ';'"),
        ("/nodes/dump%3Bx", "segment 2 holds an escaped ';' (%3B)"),
        ("/nodes/a%2Fb", "segment 2 holds an escaped '/' (%2F)"),
        ("/nodes/a%2fb", "segment 2 holds an escaped '/' (%2F)"),
        ("/nodes/a\\b", "segment 2 holds a '\\'"),
        ("/nodes/a%5Cb", "segment 2 holds an escaped '\\' (%5C)"),
        ("/nodes/dump/sites/..", "segment 4 is a dot segment ('.' or '..')"),
        ("/nodes/%2e%2e/nodes", "segment 2 escapes '.' as %2E, which is never escaped"),
        ("/nodes/.%2E", "segment 2 escapes '.' as %2E, which is never escaped"),
        ("/nodes/./abc", "segment 2 is a dot segment ('.' or '..')"),
        ("/nodes/dump%20", "segment 2 starts or ends with white space"),
        ("/nodes/%20dump", "segment 2 starts or ends with white space"),
        ("/nodes/dump%C2%A0", "segment 2 starts or ends with white space"),
        ("/nodes/dump%09", "segment 2 holds a control character"),
        ("/nodes/dump%00", "segment 2 holds a control character"),
        ("/nodes/a%C2%9Bb", "segment 2 holds a control character"),
        ("/nodes/dump%zz", "segment 2 has an invalid percent-escape"),
        ("/nodes/dump%4", "segment 2 has an invalid percent-escape"),
        ("/nodes/%FF", "segment 2 does not decode to UTF-8"),
        ("/nodes//dump", "the path has an empty segment ('//' or a trailing '/')"),
        ("/nodes/dump/", "the path has an empty segment ('//' or a trailing '/')"),
        ("/nodes/%7Eabc", "segment 2 escapes '~' as %7E, which is never escaped"),
    ])
    func ambiguousSpellingsAreRefusedWithTheirReason(path: String, detail: String) {
        for groups in [Self.viewer, ["services/site-capabilities-api/roles/admin"]] {
            let answer = ask(siteCapabilities, path, groups: groups)
            #expect(!answer.isAuthorised, "\(path)")
            #expect(answer.reason.description.hasPrefix("ambiguous path: \(detail) ("), "\(path): \(answer.reason)")
        }
    }

    @Test func theCanonicalSpellingIsDecided() {
        #expect(ask(siteCapabilities, "/nodes/abc", groups: Self.viewer).isAuthorised)
        #expect(ask(siteCapabilities, "/nodes/dump", groups: ["services/site-capabilities-api/roles/admin"]).isAuthorised)
        // Escapes that are needed are read: the value is the decoded segment.
        let escaped = ask(siteCapabilities, "/nodes/a%20b%3Fc", groups: ["services/site-capabilities-api/roles/a b?c/viewer"])
        #expect(escaped.isAuthorised, "\(escaped.reason)")
    }

    /// Literals and convertors compare with the decoded segment, as the upstream's router does.
    @Test(arguments: RouteMatcherKind.allCases)
    func literalsAndConvertorsSeeTheDecodedSegment(matcher: RouteMatcherKind) throws {
        let policy = try loadPolicy(policySource(
            name: "jobs", roles: #"{"admin": ["{root_group}/roles/admin"], "owner": ["jobs/{name}/owner"]}"#,
            body: #"""
                "routes": {
                  "/files/caf\u00e9": {"GET": "admin"},
                  "/files/{name}": {"GET": "owner"},
                  "/jobs/{job_id:int}": {"GET": "admin"},
                  "/jobs/{name}": {"GET": "owner"}
                }
                """#), matcher: matcher)
        // `caf%C3%A9` is `café` to the upstream: the literal's route, not the parameter's.
        let cafe = ask(policy, "/files/caf%C3%A9", groups: ["jobs/café/owner"])
        #expect(cafe.reason == .routeExpression(method: "GET", template: "/files/café", holds: false), "\(matcher)")
        // An escaped digit is needless, so refused; `/jobs/12` itself is the int route's.
        guard case .ambiguousPath = ask(policy, "/jobs/%312", groups: ["jobs/12/owner"]).reason else {
            Issue.record("\(matcher): /jobs/%312 was decided")
            return
        }
        #expect(ask(policy, "/jobs/12", groups: ["jobs/12/owner"]).reason
            == .routeExpression(method: "GET", template: "/jobs/{job_id:int}", holds: false))
        // A captured `%25` is a `%`, decoded once: `%2564` is the value `%64`, never `d`.
        #expect(ask(policy, "/jobs/%2564", groups: ["jobs/%64/owner"]).isAuthorised, "\(matcher)")
        #expect(!ask(policy, "/jobs/%2564", groups: ["jobs/d/owner"]).isAuthorised, "\(matcher)")
    }

    /// A policy that spells one literal in two cases: a case-insensitive upstream may serve either,
    /// so neither spelling is decided at the gateway.
    @Test func aLiteralSpelledInTwoCasesIsAlwaysAmbiguous() throws {
        let policy = try loadPolicy(policySource(
            name: "cases", body: #""routes": {"/Report": {"GET": "admin"}, "/report": {"GET": "any"}}"#))
        for path in ["/report", "/Report", "/REPORT"] {
            guard case .ambiguousPath(let refusal) = ask(policy, path, groups: []).reason else {
                Issue.record("\(path) was decided")
                continue
            }
            #expect(refusal.segment == 1)
        }
    }

    /// The Permissions API keeps spec 2.5's raw reading: the service names its own route.
    @Test func thePermissionsAPIStillComparesRawSegments() {
        let decision = siteCapabilities.route("/nodes/%64ump", method: "GET", groups: Self.viewer)
        #expect(decision.reason == .routeExpression(method: "GET", template: "/nodes/{node_name}", holds: true))
    }
}
