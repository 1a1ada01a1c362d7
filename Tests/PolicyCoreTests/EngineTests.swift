import Testing
@testable import PolicyCore

/// Policy lookup, versions, exchange and plugin decisions, and batch query lines.
@Suite struct EngineTests {
    let engine: DecisionEngine

    init() throws {
        let directory = TemporaryDirectory()
        directory.write("route-v1.json", policySource(name: "svc", version: "1", body: #""routes": {"/old": {"GET": "any"}}"#))
        directory.write("route-v2.json", policySource(name: "svc", version: "2", body: #""routes": {"/new": {"GET": "any"}}"#))
        directory.write("exchange.json", policySource(
            name: "svc", type: "exchange",
            roles: #"{"service": ["services/authn/roles/service"], "blocked": ["blocklist/{user}"], "member": ["{root_group}/roles/{site}/viewer"]}"#,
            body: #""exchange": "service and not blocked or member""#))
        directory.write("plugin.json", policySource(
            name: "store", type: "plugin", rootGroup: "storage/ops",
            roles: #"{"any": [], "reader": ["{root_group}/areas/{area}/read"], "by-action": ["acts/{action}"]}"#,
            body: #""actions": {"read": "reader", "stat": "any", "Purge": "by-action", "": "any"}"#))
        engine = DecisionEngine(policies: try PolicyLoader().load(directory: directory.path))
    }

    func decide(_ query: Query, _ groups: [String] = []) -> Decision {
        engine.decide(query, groups: CallerGroups(groups))
    }

    @Test func versionsSelectPolicies() {
        #expect(decide(.route(RouteQuery(service: "svc", route: "/new"))).isAuthorised)
        #expect(decide(.route(RouteQuery(service: "svc", route: "/old"))).reason == .noMatchingRoute)
        #expect(decide(.route(RouteQuery(service: "svc", version: .number(1), route: "/old"))).isAuthorised)
        #expect(decide(.route(RouteQuery(service: "svc", version: .number(3), route: "/new"))).reason == .noSuchPolicy)
    }

    @Test func serviceNamesAndTypesAreExact() {
        #expect(decide(.route(RouteQuery(service: "SVC", route: "/new"))).reason == .noSuchPolicy)
        #expect(decide(.route(RouteQuery(service: "svc ", route: "/new"))).reason == .noSuchPolicy)
        #expect(decide(.route(RouteQuery(service: "store", route: "/new"))).reason == .noSuchPolicy, "store has no route policy")
        #expect(decide(.exchange(ExchangeQuery(service: "store"))).reason == .noSuchPolicy)
    }

    @Test func versionSelectorsFromJSON() throws {
        func selector(_ json: String?) throws -> VersionSelector? { VersionSelector(json: try json.map { try JSONReader.parse($0) }) }
        #expect(try selector(nil) == .latest)
        #expect(try selector("null") == .latest)
        #expect(try selector(#""latest""#) == .latest)
        #expect(try selector("2") == .number(2))
        for unusable in ["2.0", "1e0", #""2""#, "0", "-1", "true", #""Latest""#, "[]", "99999999999999999999"] {
            #expect(try selector(unusable) == nil, "\(unusable)")
        }
    }

    @Test func versionSelectorsFromQueryStrings() {
        #expect(VersionSelector(queryValue: "latest") == .latest)
        #expect(VersionSelector(queryValue: "7") == .number(7))
        for unusable in ["", " 7", "7 ", "07", "7.0", "1e1", "-7", "0", "LATEST", "seven"] {
            #expect(VersionSelector(queryValue: unusable) == nil, "\(unusable)")
        }
    }

    @Test func exchangeDecisions() {
        let service = "services/authn/roles/service"
        #expect(decide(.exchange(ExchangeQuery(service: "svc")), [service]).isAuthorised)
        #expect(decide(.exchange(ExchangeQuery(service: "svc", parameters: .strings(["user": "eve"]))), [service, "blocklist/eve"]).reason ==
            .exchangeExpression(holds: false))
        #expect(decide(.exchange(ExchangeQuery(service: "svc", parameters: .strings(["site": "ska"]))), ["services/svc/roles/ska/viewer"]).isAuthorised)
    }

    @Test func pluginDecisions() {
        func plugin(_ params: Parameters, _ groups: [String] = []) -> Decision {
            decide(.plugin(PluginQuery(service: "store", parameters: params)), groups)
        }
        #expect(plugin(.strings(["action": "read", "area": "lofar"]), ["storage/ops/areas/lofar/read"]).isAuthorised)
        #expect(plugin(.strings(["action": "stat"])).reason == .actionExpression(action: "stat", holds: true))
        #expect(plugin(.strings(["action": "purge"])).reason == .missingOrUnknownAction, "actions are exact keys")
        #expect(plugin(.strings(["action": "READ"])).reason == .missingOrUnknownAction)
        #expect(plugin(Parameters()).reason == .missingOrUnknownAction)
        #expect(plugin(Parameters([.init(name: "action", value: .integer(1))])).reason == .missingOrUnknownAction)
        #expect(plugin(.strings(["action": "Purge"]), ["acts/Purge"]).reason == .actionExpression(action: "Purge", holds: false),
                "'action' selects the entry and is not a parameter")
        #expect(plugin(.strings(["action": ""])).isAuthorised, "an empty action name is a key like any other")
    }

    @Test func batchLinesIgnoreUnknownMembersAndTakeParametersFromParamsOnly() throws {
        let line = #"{"type": "route", "service": "svc", "version": 1, "route": "/old", "params": {}, "groups": [], "note": "x", "namespace": "ignored"}"#
        guard case .query(let query, _) = try BatchQuery.parse(line), case .route(let route) = query else {
            Issue.record("not a route query")
            return
        }
        #expect(route.parameters.isEmpty)
        #expect(route.version == .number(1))
        #expect(decide(query).isAuthorised)
    }

    @Test func batchLinesWithAnUnusableVersionAreDenied() throws {
        guard case .answered(let decision) = try BatchQuery.parse(#"{"type": "route", "service": "svc", "version": 1.0, "route": "/old"}"#) else {
            Issue.record("expected an immediate answer")
            return
        }
        #expect(!decision.isAuthorised)
    }

    @Test(arguments: [
        "not json", "[]", #"{"service": "svc"}"#, #"{"type": "routes", "service": "svc"}"#, #"{"type": "route"}"#,
        #"{"type": "route", "service": "svc"}"#, #"{"type": "route", "service": "svc", "route": 5}"#,
        #"{"type": "route", "service": "svc", "route": "/a", "params": []}"#,
        #"{"type": "route", "service": "svc", "route": "/a", "groups": "g"}"#,
        #"{"type": "route", "service": "svc", "route": "/a", "groups": [1]}"#,
        #"{"type": "route", "service": "svc", "route": "/a", "method": 1}"#,
    ])
    func linesThatAreNotQueries(line: String) {
        #expect(throws: BatchQuery.Invalid.self) { try BatchQuery.parse(line) }
    }
}
