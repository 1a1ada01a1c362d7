import Testing
@testable import PolicyCore

/// Spec 2.6, nested parameters: a body member whose value is an object contributes its members as
/// parameters named by joining names with `.`, down to level 4; a name reached two ways matches
/// nothing; values are usable as in 2.5. Asked through batch lines (`params`), as every caller's
/// body comes to the engine.
@Suite struct NestedParameterTests {
    static let engine: DecisionEngine = {
        let directory = TemporaryDirectory()
        directory.write("route.json", policySource(
            name: "cat",
            roles: #"{"owner": ["cat/{ns.name}/owner"], "deep": ["deep/{a.b.c.d}"], "deeper": ["deep/{a.b.c.d.e}"], "captured": ["cat/{ns.name}/captured"]}"#,
            body: #""routes": {"/x": {"GET": "owner", "PUT": "deep", "POST": "deeper"}, "/by/{ns.name}": {"GET": "captured"}}"#))
        directory.write("exchange.json", policySource(
            name: "swap", type: "exchange", roles: #"{"svc": ["services/{target.service}/exchangers"]}"#,
            body: #""exchange": "svc""#))
        directory.write("plugin.json", policySource(
            name: "legacy", type: "plugin", roles: #"{"member": ["teams/{project.id}/members"]}"#,
            body: #""actions": {"read": "member"}"#))
        return DecisionEngine(policies: try! PolicyLoader().load(directory: directory.path))
    }()

    static func decide(_ line: String) throws -> Decision {
        switch try BatchQuery.parse(line) {
        case .answered(let decision): return decision
        case .query(let query, let groups): return engine.decide(query, groups: groups)
        }
    }

    static func route(_ route: String, _ method: String = "GET", params: String, groups: [String]) throws -> Decision {
        let groupList = groups.map { "\"\($0)\"" }.joined(separator: ",")
        return try decide(
            #"{"type":"route","service":"cat","route":"\#(route)","method":"\#(method)","params":\#(params),"groups":[\#(groupList)]}"#)
    }

    @Test func nestedMembersSubstituteInEveryKindOfDecision() throws {
        #expect(try Self.route("/x", params: #"{"ns":{"name":"ska"}}"#, groups: ["cat/ska/owner"]).isAuthorised)
        #expect(try Self.decide(
            #"{"type":"exchange","service":"swap","params":{"target":{"service":"dm"}},"groups":["services/dm/exchangers"]}"#
        ).isAuthorised)
        #expect(try Self.decide(
            #"{"type":"plugin","service":"legacy","params":{"action":"read","project":{"id":7}},"groups":["teams/7/members"]}"#
        ).isAuthorised)
    }

    @Test func aDottedTopLevelMemberIsAParameterOfThatName() throws {
        #expect(try Self.route("/x", params: #"{"ns.name":"ska"}"#, groups: ["cat/ska/owner"]).isAuthorised)
    }

    @Test func membersCountDownToTheFourthLevel() throws {
        #expect(try Self.route("/x", "PUT", params: #"{"a":{"b":{"c":{"d":"v"}}}}"#, groups: ["deep/v"]).isAuthorised)
        #expect(!(try Self.route("/x", "POST", params: #"{"a":{"b":{"c":{"d":{"e":"v"}}}}}"#, groups: ["deep/v"]).isAuthorised),
                "level 5 contributes nothing")
        // The level-5 name given at level 4 (a dotted key) is an ordinary level-4 parameter.
        #expect(try Self.route("/x", "POST", params: #"{"a":{"b":{"c":{"d.e":"v"}}}}"#, groups: ["deep/v"]).isAuthorised)
    }

    @Test func arraysAreNotEntered() throws {
        #expect(!(try Self.route("/x", params: #"{"ns":[{"name":"ska"}]}"#, groups: ["cat/ska/owner"]).isAuthorised))
        #expect(!(try Self.route("/x", params: #"{"ns":{"name":["ska"]}}"#, groups: ["cat/ska/owner"]).isAuthorised))
    }

    @Test func theObjectItselfIsAnUnusableParameter() throws {
        let directory = TemporaryDirectory()
        directory.write("p.json", policySource(name: "o", roles: #"{"r": ["o/{ns}"]}"#, body: #""routes": {"/x": {"GET": "r"}}"#))
        let engine = DecisionEngine(policies: try PolicyLoader().load(directory: directory.path))
        guard case .query(let query, _) = try BatchQuery.parse(#"{"type":"route","service":"o","route":"/x","params":{"ns":{}}}"#) else {
            Issue.record("not a query")
            return
        }
        #expect(!engine.decide(query, groups: CallerGroups(["o/{}", "o/[object Object]"])).isAuthorised)
    }

    @Test(arguments: [
        #"{"ns":{"name":"ska"},"ns.name":"ska"}"#,
        #"{"ns.name":"ska","ns":{"name":"ska"}}"#,
        #"{"ns":{"name":"ska","name":"ska"}}"#,
        #"{"ns.name":"ska","ns.name":"ska"}"#,
    ])
    func aNameReachedTwoWaysMatchesNothing(params: String) throws {
        #expect(!(try Self.route("/x", params: params, groups: ["cat/ska/owner"]).isAuthorised))
    }

    @Test func aNameReachedTwoWaysDeeperMatchesNothing() throws {
        #expect(!(try Self.route("/x", "PUT", params: #"{"a":{"b.c":{"d":"v"}},"a.b":{"c":{"d":"v"}}}"#, groups: ["deep/v"]).isAuthorised))
        #expect(!(try Self.route("/x", "PUT", params: #"{"a":{"b":{"c.d":"v"}},"a.b.c":{"d":"v"}}"#, groups: ["deep/v"]).isAuthorised))
        // Each way alone is fine.
        #expect(try Self.route("/x", "PUT", params: #"{"a":{"b.c":{"d":"v"}}}"#, groups: ["deep/v"]).isAuthorised)
        #expect(try Self.route("/x", "PUT", params: #"{"a.b":{"c":{"d":"v"}}}"#, groups: ["deep/v"]).isAuthorised)
    }

    @Test func nestedValuesAreUsableAsInSpec25() throws {
        #expect(try Self.route("/x", params: #"{"ns":{"name":-0}}"#, groups: ["cat/0/owner"]).isAuthorised)
        for unusable in [#""a/b""#, #""""#, #""{x}""#, "2.5", "1e3", "true", "null"] {
            #expect(!(try Self.route("/x", params: #"{"ns":{"name":\#(unusable)}}"#, groups: ["cat/a/b/owner", "cat//owner", "cat/{x}/owner", "cat/2.5/owner", "cat/1e3/owner", "cat/true/owner", "cat/null/owner"]).isAuthorised), "\(unusable)")
        }
    }

    @Test func aCapturedDottedParameterFollowsTheConflictRule() throws {
        #expect(try Self.route("/by/ska", params: #"{"ns":{"name":"ska"}}"#, groups: ["cat/ska/captured"]).isAuthorised)
        #expect(try Self.route("/by/ska", params: #"{"ns":{"other":1}}"#, groups: ["cat/ska/captured"]).isAuthorised)
        #expect(try Self.route("/by/ska", params: #"{"ns":{"name":"lofar"}}"#, groups: ["cat/ska/captured"]).reason
            == .parameterConflict(name: "ns.name"))
        #expect(try Self.route("/by/7", params: #"{"ns":{"name":7}}"#, groups: ["cat/7/captured"]).isAuthorised)
        // Reached two ways: unusable whatever the values, so it agrees with no segment.
        #expect(try Self.route("/by/ska", params: #"{"ns":{"name":"ska"},"ns.name":"ska"}"#, groups: ["cat/ska/captured"]).reason
            == .parameterConflict(name: "ns.name"))
    }

    @Test func parametersReadFromAJSONObject() throws {
        let parameters = try Parameters(jsonObject: [
            JSONMember("service", .object([
                JSONMember("node", .string("SKAOSRC")),
                JSONMember("parameters", .object([JSONMember("ID", .string("test"))])),
                JSONMember("list", .array([.object([JSONMember("x", .string("y"))])])),
            ])),
            JSONMember("a", .object([JSONMember("b", .object([JSONMember("c", .object([JSONMember("d", .object([JSONMember("e", .string("x"))]))]))]))])),
        ])
        #expect(parameters.entries.map(\.name) == [
            "service", "service.node", "service.parameters", "service.parameters.ID", "service.list", "a", "a.b", "a.b.c", "a.b.c.d",
        ])
        #expect(parameters.value(named: "service.parameters.ID") == .string("test"))
        #expect(parameters.value(named: "service")?.isUsable == false)
        #expect(parameters.value(named: "a.b.c.d")?.isUsable == false)
    }

    @Test func everyEntryOfARepeatedNameIsMarked() throws {
        let parameters = try Parameters(jsonObject: [
            JSONMember("a.b", .string("x")), JSONMember("z", .integer(1)), JSONMember("a", .object([JSONMember("b", .string("x"))])),
        ])
        #expect(parameters.entries.map(\.name) == ["a.b", "z", "a", "a.b"])
        #expect(parameters.entries.map(\.value.kind) == [.repeated, .integer, .other, .repeated])
        #expect(parameters.value(named: "a.b")?.agrees(withCaptured: "x") == false)
    }

    @Test func repeatedNamesAmongManyAreFoundByHashing() throws {
        var members = (0..<100).map { JSONMember("p\($0)", .string("v")) }
        members.append(JSONMember("p", .object([JSONMember("42", .string("v"))])))
        members.append(JSONMember("p.42", .string("v")))
        let parameters = try Parameters(jsonObject: members)
        #expect(parameters.value(named: "p.42")?.kind == .repeated)
        #expect(parameters.value(named: "p42")?.kind == .string)
        #expect(parameters.entries.filter { $0.value.kind == .repeated }.count == 2)
    }

    /// A long member name repeated in every name below it would make reading quadratic: the joined
    /// names have a budget, and a request beyond it is refused, never cut short (a name cut off the
    /// list could no longer be found reached two ways).
    @Test func joinedNamesHaveABudget() throws {
        let long = String(repeating: "k", count: 64 << 10)
        let children = (0..<15).map { JSONMember("c\($0)", .integer(1)) }
        _ = try Parameters(jsonObject: [JSONMember(long, .object(children))])
        let many = (0..<17).map { JSONMember("c\($0)", .integer(1)) }
        #expect(throws: Parameters.NamesTooLong.self) { try Parameters(jsonObject: [JSONMember(long, .object(many))]) }
        let line = #"{"type":"route","service":"cat","route":"/x","params":{""# + long + #"":{"# +
            (0..<17).map { #""c\#($0)":1"# }.joined(separator: ",") + "}}}"
        #expect(throws: BatchQuery.Invalid.self) { try BatchQuery.parse(line) }
    }
}

extension JSONValue {
    static func integer(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }
}
