import Testing
@testable import PolicyCore

/// Decisions for a gateway, which sees the request line and never the body: a role that needs a
/// parameter the request line does not carry is not known to hold, and nothing unknown grants.
@Suite struct GatewayDecisionTests {
    let policy: Policy

    init() throws {
        policy = try loadPolicy(policySource(
            name: "data",
            roles: #"""
                {"any": [], "admin": ["{root_group}/roles/admin"], "viewer": ["ns/{namespace}/viewer"],
                 "blocked": ["blocked/{user}"], "mixed": ["ns/{namespace}/viewer", "ops/{ticket}"]}
                """#,
            body: #"""
                "routes": {
                  "/list/{namespace}": {"GET": "admin or viewer", "DELETE": "admin"},
                  "/move": {"POST": "admin or viewer"},
                  "/open/{namespace}": {"GET": "not blocked"},
                  "/both/{namespace}": {"GET": "viewer and not blocked"},
                  "/mixed/{namespace}": {"GET": "mixed"}
                }
                """#))
    }

    func ask(_ path: String, _ method: String = "GET", query: Parameters? = nil, groups: [String]) -> GatewayDecision {
        policy.decide(GatewayQuery(path: path, method: method, queryParameters: query), groups: CallerGroups(groups))
    }

    @Test func aParameterThePathCapturesDecides() {
        let allowed = ask("/list/testing", groups: ["ns/testing/viewer"])
        #expect(allowed.decision.isAuthorised)
        #expect(allowed.heldRoles == ["viewer"])
        #expect(!ask("/list/prod", groups: ["ns/testing/viewer"]).decision.isAuthorised)
    }

    /// The finding: the upstream reads `namespace` from its body, which the gateway never sees.
    @Test func aParameterFromNowhereDeniesWithItsReason() {
        let denied = ask("/move", "POST", groups: ["ns/testing/viewer"])
        #expect(!denied.decision.isAuthorised)
        #expect(denied.decision.reason.description
            == "parameter 'namespace' is not in the path: decide this route in the service with /v1/authorise")
        // The query is not the upstream's word unless the operator says so.
        let withQuery = ask("/move", "POST", query: nil, groups: ["ns/testing/viewer"])
        #expect(!withQuery.decision.isAuthorised)
        // A role that needs nothing from the request still grants.
        let admin = ask("/move", "POST", groups: ["services/data/roles/admin"])
        #expect(admin.decision.isAuthorised)
        #expect(admin.heldRoles == ["admin"])
    }

    @Test func notOverAnUnknownRoleNeverGrants() {
        let open = ask("/open/testing", groups: [])
        #expect(!open.decision.isAuthorised, "'not blocked' with no {user}: unknown, not true")
        #expect(open.decision.reason == .parameterNotAtGateway(name: "user", queryConsidered: false))
        // False is known without the parameter: `viewer and not blocked` fails on viewer alone.
        let both = ask("/both/testing", groups: [])
        #expect(both.decision.reason == .routeExpression(method: "GET", template: "/both/{namespace}", holds: false))
    }

    @Test func oneTemplateThatMatchesIsEnough() {
        #expect(ask("/mixed/testing", groups: ["ns/testing/viewer"]).decision.isAuthorised)
        #expect(ask("/mixed/testing", groups: []).decision.reason == .parameterNotAtGateway(name: "ticket", queryConsidered: false))
    }

    @Test func trustedQueryParametersCount() {
        let move = ask("/move", "POST", query: .strings(["namespace": "testing"]), groups: ["ns/testing/viewer"])
        #expect(move.decision.isAuthorised)
        let absent = ask("/move", "POST", query: Parameters(), groups: ["ns/testing/viewer"])
        #expect(absent.decision.reason == .parameterNotAtGateway(name: "namespace", queryConsidered: true))
        #expect(absent.decision.reason.description
            == "parameter 'namespace' is in neither the path nor the query: decide this route in the service with /v1/authorise")
    }

    @Test func aQueryParameterGivenTwiceWithDifferentValuesDenies() {
        let twice = ask("/move", "POST", query: .strings(["namespace": "testing", "namespace": "prod"]), groups: ["ns/testing/viewer"])
        #expect(twice.decision.reason == .repeatedParameter(name: "namespace"))
        let same = ask("/move", "POST", query: .strings(["namespace": "testing", "namespace": "testing"]), groups: ["ns/testing/viewer"])
        #expect(same.decision.isAuthorised)
        let conflict = ask("/list/testing", query: .strings(["namespace": "prod"]), groups: ["ns/testing/viewer"])
        #expect(conflict.decision.reason == .parameterConflict(name: "namespace"))
    }

    @Test func thePathIsAlwaysConcrete() {
        // The upstream would act on the literal '{namespace}': it is a segment, whose value is unusable.
        let literal = ask("/list/{namespace}", query: .strings(["namespace": "testing"]), groups: ["ns/testing/viewer"])
        #expect(!literal.decision.isAuthorised)
        #expect(ask("/move", "POST", groups: []).decision.reason != .noMatchingRoute)
    }

    @Test func theMethodIsCaseSensitive() {
        #expect(ask("/list/testing", "get", groups: ["ns/testing/viewer"]).decision.reason
            == .methodNotAllowed(method: "get", template: "/list/{namespace}"))
        #expect(!ask("/list/testing", "DELETE", groups: ["ns/testing/viewer"]).decision.isAuthorised)
    }

    @Test func bothMatchersAgree() throws {
        let pcre = try loadPolicy(policySource(
            name: "data", roles: #"{"viewer": ["ns/{namespace}/viewer"]}"#,
            body: #""routes": {"/list/{namespace}": {"GET": "viewer"}, "/list/all": {"GET": "viewer"}}"#), matcher: .pcre2)
        let answer = pcre.decide(GatewayQuery(path: "/list/all", method: "GET"), groups: CallerGroups(["ns/all/viewer"]))
        #expect(answer.decision.reason == .parameterNotAtGateway(name: "namespace", queryConsidered: false))
    }
}

/// Kleene's three-valued logic, as the gateway evaluates expressions.
@Suite struct TruthTests {
    @Test func operators() {
        let values: [Truth] = [.false, .unknown, .true]
        for a in values {
            for b in values {
                let and = a && b
                let or = a || b
                #expect(and == (a == .false || b == .false ? .false : (a == .true && b == .true ? .true : .unknown)))
                #expect(or == (a == .true || b == .true ? .true : (a == .false && b == .false ? .false : .unknown)))
            }
        }
        #expect(!Truth.unknown == .unknown)
        #expect(!Truth.true == .false)
    }
}
