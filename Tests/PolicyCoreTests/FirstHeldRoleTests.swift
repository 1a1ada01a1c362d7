import Testing
@testable import PolicyCore

/// `Policy.firstHeldRole`: the role a shadow decision's difference is about (`allowing_role`), found
/// without making an explanation. It is the explanation's first held role, in the order the deciding
/// expression names its roles, and nil when no expression is read.
@Suite struct FirstHeldRoleTests {
    static let routes = try! loadPolicy(policySource(
        rootGroup: "svc",
        roles: #"{"admin": ["{root_group}/roles/admin"], "viewer": ["data/{ns}/viewer"], "blocked": ["blocked/{ns}"], "any": []}"#,
        body: #""routes": {"/data/{ns}": {"GET": "admin or viewer", "PUT": "viewer and not blocked", "DELETE": "not blocked"}, "/open": {"GET": "any"}}"#))
    static let exchange = try! loadPolicy(policySource(
        type: "exchange", rootGroup: "svc", roles: #"{"admin": ["{root_group}/roles/admin"], "member": ["members/{project}"]}"#,
        body: #""exchange": "member or admin""#))
    static let plugin = try! loadPolicy(policySource(
        type: "plugin", roles: #"{"reader": ["read/{id}"], "writer": ["write/{id}"], "by-action": ["actions/{action}"]}"#,
        body: #""action_parameter": "action", "actions": {"read": "reader or writer", "write": "by-action or writer"}"#))

    static func route(_ route: String, _ method: String = "GET") -> Query {
        .route(RouteQuery(service: "svc", route: route, method: method))
    }

    static func parameters(_ pairs: [(String, String)]) -> Parameters {
        Parameters(pairs.map { .init(name: $0.0, value: .string($0.1)) })
    }

    @Test func theFirstHeldRoleInTheExpressionsOrder() {
        let policy = Self.routes
        #expect(policy.firstHeldRole(Self.route("/data/ska"), groups: CallerGroups(["data/ska/viewer"])) == "viewer")
        // Both held: the one the expression names first, not the one that made it hold.
        #expect(policy.firstHeldRole(Self.route("/data/ska"), groups: CallerGroups(["data/ska/viewer", "svc/roles/admin"])) == "admin")
        #expect(policy.firstHeldRole(Self.route("/data/ska"), groups: CallerGroups(["data/other/viewer"])) == nil)
        #expect(policy.firstHeldRole(Self.route("/open"), groups: CallerGroups([])) == "any")
    }

    @Test func aRoleHeldUnderNotIsStillHeld() {
        // The expression denies, and the role is held: a wouldDeny difference names it as the
        // explanation does.
        let groups = CallerGroups(["data/ska/viewer", "blocked/ska"])
        #expect(Self.routes.firstHeldRole(Self.route("/data/ska", "PUT"), groups: groups) == "viewer")
        #expect(Self.routes.firstHeldRole(Self.route("/data/ska", "DELETE"), groups: groups) == "blocked")
        #expect(Self.routes.firstHeldRole(Self.route("/data/ska", "DELETE"), groups: CallerGroups([])) == nil)
    }

    @Test func nilWhenNoExpressionIsRead() {
        let admin = CallerGroups(["svc/roles/admin"])
        #expect(Self.routes.firstHeldRole(Self.route("/nowhere"), groups: admin) == nil)
        #expect(Self.routes.firstHeldRole(Self.route("/data/ska", "POST"), groups: admin) == nil)
        let conflicting = Query.route(RouteQuery(service: "svc", route: "/data/ska", parameters: Self.parameters([("ns", "other")])))
        #expect(Self.routes.firstHeldRole(conflicting, groups: admin) == nil)
        // A query of another type than the policy's.
        #expect(Self.exchange.firstHeldRole(Self.route("/data/ska"), groups: admin) == nil)
        #expect(Self.plugin.firstHeldRole(.plugin(PluginQuery(service: "svc", parameters: Self.parameters([("action", "delete")]))), groups: admin) == nil)
    }

    @Test func exchangesAndActionsBindTheirParameters() {
        let exchange = Query.exchange(ExchangeQuery(service: "svc", parameters: Self.parameters([("project", "p1")])))
        #expect(Self.exchange.firstHeldRole(exchange, groups: CallerGroups(["members/p1"])) == "member")
        #expect(Self.exchange.firstHeldRole(exchange, groups: CallerGroups(["members/p2"])) == nil)
        let read = Query.plugin(PluginQuery(service: "svc", parameters: Self.parameters([("action", "read"), ("id", "7")])))
        #expect(Self.plugin.firstHeldRole(read, groups: CallerGroups(["write/7"])) == "writer")
        // The selecting parameter is no parameter of the roles.
        let write = Query.plugin(PluginQuery(service: "svc", parameters: Self.parameters([("action", "write")])))
        #expect(Self.plugin.firstHeldRole(write, groups: CallerGroups(["actions/write"])) == nil)
    }

    /// Its definition: the explanation's first held role, for every query and caller here.
    @Test func agreesWithTheExplanation() {
        let callers = [[], ["data/ska/viewer"], ["svc/roles/admin"], ["blocked/ska"], ["data/ska/viewer", "blocked/ska", "svc/roles/admin"]]
        for method in ["GET", "PUT", "DELETE", "POST"] {
            for route in ["/data/ska", "/open", "/nowhere"] {
                for groups in callers.map(CallerGroups.init) {
                    let query = Self.route(route, method)
                    let explained = Self.routes.decide(query, groups: groups, explain: true).explanation?.roles.first(where: \.held)?.name
                    #expect(Self.routes.firstHeldRole(query, groups: groups) == explained, "\(method) \(route)")
                }
            }
        }
    }
}
