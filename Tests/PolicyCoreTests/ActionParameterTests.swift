import Testing
@testable import PolicyCore

/// Spec 2.6, `action_parameter`: which parameter selects a plugin policy's entry in `actions`; the
/// site gatekeepers' echo as the example.
@Suite struct ActionParameterTests {
    static let gatekeeperEcho = policySource(
        name: "echo", type: "plugin",
        roles: #"{"member": ["services/{service.node}/{service.type}/{service.uuid}"], "admin": ["{root_group}/roles/admin"], "by-method": ["methods/{service.method}"], "by-action": ["actions/{action}"]}"#,
        body: #""action_parameter": "service.method", "actions": {"GET": "member or admin", "POST": "by-method", "PUT": "by-action", "5": "admin"}"#)

    static let engine: DecisionEngine = {
        let directory = TemporaryDirectory()
        directory.write("echo.json", gatekeeperEcho)
        directory.write("plain.json", policySource(
            name: "plain", type: "plugin", roles: #"{"act": ["actions/{action}"], "any": []}"#,
            body: #""action_parameter": "action", "actions": {"read": "act", "ping": "any"}"#))
        return DecisionEngine(policies: try! PolicyLoader().load(directory: directory.path))
    }()

    /// The gatekeeper's body, with `method` (as JSON text, absent when nil) and more members of `service`.
    static func body(method: String?, node: String = #""SKAOSRC""#, extra: String = "") -> String {
        let method = method.map { #","method":\#($0)"# } ?? ""
        return #"{"service":{"node":\#(node),"type":"echo","uuid":"37ff3e9e","path":"/echo"\#(method),"parameters":{"ID":"test"},"body":{}}\#(extra)}"#
    }

    static func echo(_ params: String, groups: [String], service: String = "echo") throws -> Decision {
        let groupList = groups.map { "\"\($0)\"" }.joined(separator: ",")
        guard case .query(let query, let callerGroups) = try BatchQuery.parse(
            #"{"type":"plugin","service":"\#(service)","params":\#(params),"groups":[\#(groupList)]}"#)
        else { throw BatchQuery.Invalid(message: "answered without the policies") }
        return engine.decide(query, groups: callerGroups)
    }

    static let member = "services/SKAOSRC/echo/37ff3e9e"

    @Test func aGatekeeperMembersCallIsAGrant() throws {
        let decision = try Self.echo(Self.body(method: #""GET""#), groups: [Self.member])
        #expect(decision.isAuthorised)
        #expect(decision.reason == .actionExpression(action: "GET", holds: true))
        #expect(try Self.echo(Self.body(method: #""GET""#), groups: ["services/echo/roles/admin"]).isAuthorised)
    }

    @Test func othersAreDenied() throws {
        #expect(!(try Self.echo(Self.body(method: #""GET""#), groups: ["services/SKAOSRC/echo/other"]).isAuthorised))
        #expect(!(try Self.echo(Self.body(method: #""GET""#, node: #""""#), groups: ["services//echo/37ff3e9e", "services/echo/37ff3e9e"]).isAuthorised),
                "an empty node never substitutes")
    }

    @Test(arguments: [
        (#""get""#, "actions compare by bytes"), (#""Get""#, "no case folding"), (#""PATCH""#, "no such action"),
        ("5", "an integer is no action, though the key '5' exists"), ("null", "null"), (#"{"x":1}"#, "an object"),
        (#"["GET"]"#, "an array"),
    ])
    func aSelectorThatIsNotAKeyIsMissingOrUnknown(method: String, why: String) throws {
        #expect(try Self.echo(Self.body(method: method), groups: [Self.member, "services/echo/roles/admin"]).reason
            == .missingOrUnknownAction, "\(why)")
    }

    @Test func theDefaultSelectorIsNotConsultedOnceAnotherIsNamed() throws {
        #expect(try Self.echo(Self.body(method: nil, extra: #","action":"GET""#), groups: [Self.member]).reason == .missingOrUnknownAction)
    }

    @Test func aSelectorReachedTwoWaysSelectsNothing() throws {
        #expect(try Self.echo(Self.body(method: #""GET""#, extra: #","service.method":"GET""#), groups: [Self.member]).reason
            == .missingOrUnknownAction)
    }

    @Test func theSelectorIsNotAParameterButActionIs() throws {
        #expect(try Self.echo(Self.body(method: #""POST""#), groups: ["methods/POST"]).reason
            == .actionExpression(action: "POST", holds: false))
        #expect(try Self.echo(Self.body(method: #""PUT""#, extra: #","action":"go""#), groups: ["actions/go"]).reason
            == .actionExpression(action: "PUT", holds: true))
    }

    @Test func anExplicitDefaultBehavesAsTheDefault() throws {
        #expect(try Self.echo(#"{"action":"ping"}"#, groups: [], service: "plain").isAuthorised)
        #expect(!(try Self.echo(#"{"action":"read"}"#, groups: ["actions/read"], service: "plain").isAuthorised),
                "{action} selects, so it never substitutes")
    }

    @Test func theExplanationNamesTheSelector() throws {
        guard case .query(let query, let groups) = try BatchQuery.parse(
            #"{"type":"plugin","service":"echo","params":\#(Self.body(method: #""GET""#)),"groups":["\#(Self.member)"]}"#)
        else { return }
        let explanation = try #require(Self.engine.decide(query, groups: groups, explain: true).explanation)
        #expect(explanation.action == "GET")
        #expect(explanation.actionParameter == "service.method")
        #expect(explanation.parameters.value(named: "service.method") == nil)
        #expect(explanation.parameters.value(named: "service.node") == .string("SKAOSRC"))
        #expect(explanation.roles.first { $0.name == "member" }?.matchedGroup == Self.member)
    }

    // MARK: Loading

    static func plugin(actionParameter: String) -> String {
        policySource(name: "p", type: "plugin", body: #""action_parameter": \#(actionParameter), "actions": {"a": "any"}"#)
    }

    @Test(arguments: [#""action""#, #""service.method""#, #""a.b.c.d""#, #""ünï.x""#, #""a b""#])
    func wellFormedSelectorsLoad(text: String) throws {
        #expect(try loadPolicy(Self.plugin(actionParameter: text)).actionParameter == String(text.dropFirst().dropLast()))
    }

    @Test func theDefaultIsAction() throws {
        #expect(try loadPolicy(policySource(name: "p", type: "plugin", body: #""actions": {"a": "any"}"#)).actionParameter == "action")
        #expect(try loadPolicy(policySource(body: #""routes": {"/": {"GET": "any"}}"#)).actionParameter == nil)
    }

    @Test(arguments: [
        (#""a.b.c.d.e""#, "E0206", 11), (#"".a""#, "E0206", 24), (#""a.""#, "E0206", 26), (#""a..b""#, "E0206", 26),
        (#""""#, "E0203", 23), ("3", "E0202", 23), ("null", "E0202", 23), (#"["a"]"#, "E0202", 23),
    ])
    func malformedSelectorsAreLoadErrors(text: String, code: String, column: Int) {
        let found = diagnostics(Self.plugin(actionParameter: text))
        #expect(found.map(\.code.rawValue) == [code], "\(text)")
        #expect(found.first?.location?.line == 9, "\(text)")
        if code == "E0206", text != #""a.b.c.d.e""# { #expect(found.first?.location?.column == column, "\(text)") }
    }

    @Test func routeAndExchangePoliciesIgnoreIt() throws {
        _ = try loadPolicy(policySource(body: #""action_parameter": "a..b", "routes": {"/": {"GET": "any"}}"#))
        _ = try loadPolicy(policySource(type: "exchange", body: #""action_parameter": 7, "exchange": "any""#))
    }
}
