import Testing
@testable import PolicyCore

/// Each lint check: a policy that triggers it, and a good one that does not.
@Suite struct LintTests {
    func codes(_ files: [String: String]) -> [DiagnosticCode] {
        let directory = TemporaryDirectory()
        for (name, source) in files { directory.write(name, source) }
        return PolicyLinter().lint(paths: [directory.path]).map(\.code)
    }

    func codes(_ source: String) -> [DiagnosticCode] {
        codes(["policy.json": source])
    }

    let roles = #"{"any": [], "admin": ["{root_group}/roles/admin"], "viewer": ["ns/{namespace}/viewer"]}"#

    @Test func loadErrorsAreReportedAndLintingGoesOn() {
        let found = codes([
            "bad.json": policySource(name: "a", body: #""routes": {"/x": {"GET": "nobody"}}"#),
            "other.json": policySource(name: "b", roles: #"{"unused": ["g"]}"#, body: #""routes": {}"#),
        ])
        #expect(found.contains(.unknownRole))
        #expect(found.contains(.unusedRole), "the good file is still linted")
    }

    @Test func unusedRoles() {
        #expect(codes(policySource(roles: roles, body: #""routes": {"/a": {"GET": "admin"}}"#)).contains(.unusedRole))
        #expect(!codes(policySource(roles: roles, body: #""routes": {"/a": {"GET": "admin or viewer or any"}}"#)).contains(.unusedRole))
    }

    @Test func parametersThePathDoesNotCapture() {
        #expect(codes(policySource(roles: roles, body: #""routes": {"/a": {"GET": "viewer or any or admin"}}"#)).contains(.parameterNotInPath))
        #expect(!codes(policySource(roles: roles, body: #""routes": {"/a/{namespace}": {"GET": "viewer or any or admin"}}"#)).contains(.parameterNotInPath))
    }

    @Test func routesAGatewayCanNeverGrant() {
        let blocked = #"{"viewer": ["ns/{namespace}/viewer"], "blocked": ["blocked/{user}"], "admin": ["{root_group}/roles/admin"]}"#
        #expect(codes(policySource(roles: blocked, body: #""routes": {"/move": {"POST": "viewer"}}"#)).contains(.neverGrantedAtGateway))
        #expect(codes(policySource(roles: blocked, body: #""routes": {"/a/{namespace}": {"GET": "not blocked"}}"#)).contains(.neverGrantedAtGateway),
                "'not' over what the gateway cannot know grants nothing there")
        // Admin needs nothing from the request: the route can be granted at a gateway, to admins.
        #expect(!codes(policySource(roles: blocked, body: #""routes": {"/move": {"POST": "admin or viewer"}}"#)).contains(.neverGrantedAtGateway))
        #expect(!codes(policySource(roles: blocked, body: #""routes": {"/a/{namespace}": {"GET": "viewer"}}"#)).contains(.neverGrantedAtGateway))
    }

    @Test func ambiguousTemplates() {
        let bad = codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a/{x}": {"GET": "any"}, "/{y}/b": {"GET": "any"}}"#))
        #expect(bad.contains(.ambiguousTemplates))
        let good = codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a/{x}": {"GET": "any"}, "/b/{y}": {"GET": "any"}, "/a/{x}/c": {"GET": "any"}}"#))
        #expect(!good.contains(.ambiguousTemplates))
    }

    @Test func shadowedTemplatesAreNotes() {
        let directory = TemporaryDirectory()
        directory.write("p.json", policySource(roles: #"{"any": []}"#, body: #""routes": {"/a/{x}": {"GET": "any"}, "/a/b": {"GET": "any"}}"#))
        let found = PolicyLinter().lint(paths: [directory.path])
        #expect(found.map(\.code) == [.shadowedTemplate])
        #expect(found.first?.severity == .note)
        #expect(!codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a/{x}": {"GET": "any"}, "/b": {"GET": "any"}}"#)).contains(.shadowedTemplate))
    }

    @Test func methodsThatAreNotHTTPMethods() {
        #expect(codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a": {"GETS": "any"}}"#)).contains(.unknownMethod))
        #expect(!codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a": {"get": "any", "PATCH": "any"}}"#)).contains(.unknownMethod))
    }

    @Test(arguments: ["admin or not admin", "admin and not admin", "not any", "admin and not any", "(admin or viewer) and not (admin or viewer)"])
    func constantExpressions(expression: String) {
        #expect(codes(policySource(roles: roles, body: #""routes": {"/a/{namespace}": {"GET": "\#(expression)", "PUT": "viewer"}}"#)).contains(.constantExpression))
    }

    /// Roles that name the same group are not independent: `staff and not contractor`, both naming
    /// `org/staff`, can never be true, and `staff or not contractor` always is; `policyc access who`
    /// said `(nobody)` and `(any valid token)` while lint was silent (found by a probe).
    @Test(arguments: [
        ("staff and not contractor", "can never be true"),
        ("staff or not contractor", "always true"),
    ])
    func constantThroughASharedGroup(expression: String, says: String) throws {
        let directory = TemporaryDirectory()
        directory.write("p.json", policySource(
            roles: #"{"staff": ["org/staff"], "contractor": ["/org/staff"], "other": ["org/other"]}"#,
            body: #""routes": {"/a": {"GET": "\#(expression)", "PUT": "other"}}"#))
        let found = PolicyLinter().lint(paths: [directory.path])
        let constant = try #require(found.first { $0.code == .constantExpression })
        #expect(constant.message.contains(says), "\(constant.message)")
        #expect(constant.message.contains("org/staff"), "names the shared group: \(constant.message)")
        #expect(!codes(policySource(
            roles: #"{"staff": ["org/staff"], "contractor": ["org/contractors"]}"#,
            body: #""routes": {"/a": {"GET": "\#(expression)"}}"#)).contains(.constantExpression))
    }

    @Test(arguments: ["any", "admin", "admin or viewer", "not admin", "admin and not viewer", "any and admin"])
    func expressionsThatDependOnTheCaller(expression: String) {
        #expect(!codes(policySource(roles: roles, body: #""routes": {"/a/{namespace}": {"GET": "\#(expression)", "PUT": "viewer"}}"#)).contains(.constantExpression))
    }

    /// Braces in the root group are text, but every group printed with it reads as a parameter
    /// (found by a probe: `access who` printed `svc/{a}/admin`, which no request value fills).
    @Test func aRootGroupWithBraces() {
        let braced = policySource(rootGroup: "svc/{a}", roles: #"{"admin": ["{root_group}/admin"]}"#, body: #""routes": {"/a": {"GET": "admin"}}"#)
        #expect(codes(braced).contains(.rootGroupWithBraces))
        #expect(!codes(policySource(roles: #"{"admin": ["{root_group}/admin"]}"#, body: #""routes": {"/a": {"GET": "admin"}}"#)).contains(.rootGroupWithBraces))
    }

    @Test func everyoneRolesNotNamedAny() {
        #expect(codes(policySource(roles: #"{"everyone": []}"#, body: #""routes": {"/a": {"GET": "everyone"}}"#)).contains(.everyoneRoleNotNamedAny))
        #expect(!codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}"#)).contains(.everyoneRoleNotNamedAny))
    }

    @Test func versionGaps() {
        let gap = codes([
            "v1.json": policySource(version: "1", roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}"#),
            "v3.json": policySource(version: "3", roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}"#),
        ])
        #expect(gap == [.versionGap])
        let consecutive = codes([
            "v1.json": policySource(version: "1", roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}"#),
            "v2.json": policySource(version: "2", roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}"#),
        ])
        #expect(consecutive.isEmpty)
    }

    @Test func twoFilesWithOneIdentity() {
        let found = codes([
            "a.json": policySource(roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}"#),
            "b.json": policySource(roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}"#),
        ])
        #expect(found == [.duplicatePolicyIdentity])
    }

    @Test func unknownAndForeignMembers() {
        #expect(codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}, "rotues": {}"#)) == [.unknownMember])
        #expect(codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}, "exchange": "any""#)) == [.unknownMember])
        #expect(codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}, "description": "fine""#)).isEmpty)
    }

    @Test func actionParameterOutsidePluginPoliciesIsIgnoredWithAWarning() {
        #expect(codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a": {"GET": "any"}}, "action_parameter": "service.method""#)) == [.unknownMember])
        #expect(codes(policySource(type: "exchange", roles: #"{"any": []}"#, body: #""exchange": "any", "action_parameter": 3"#)) == [.unknownMember])
    }

    func plugin(_ actionParameter: String, roles: String = #"{"site": ["services/{service.node}/{service.type}/{service.uuid}"]}"#) -> String {
        policySource(name: "echo", type: "plugin", roles: roles, body: #""action_parameter": "\#(actionParameter)", "actions": {"GET": "site"}"#)
    }

    @Test(arguments: ["service.method", "service.path", "service.parameters.ID", "service.body.kind", "action"])
    func actionParametersCallersSend(name: String) {
        #expect(codes(plugin(name)).isEmpty, "\(name)")
    }

    @Test func anActionParameterNoKnownCallerSends() {
        #expect(codes(plugin("service.methd")) == [.unsentActionParameter])
        #expect(codes(plugin("verb")) == [.unsentActionParameter])
        let directory = TemporaryDirectory()
        directory.write("p.json", plugin("service.methd"))
        let found = PolicyLinter().lint(paths: [directory.path])
        #expect(found.first?.hint == "did you mean 'service.method'?")
        #expect(found.first?.location?.line == 9)
    }

    @Test func anActionParameterSentAsAnObject() {
        #expect(codes(plugin("service")) == [.unsentActionParameter])
        #expect(codes(plugin("service.parameters")) == [.unsentActionParameter])
        #expect(codes(plugin("target", roles: #"{"site": ["services/{target.node}"]}"#)) == [.unsentActionParameter])
    }

    @Test func aTemplateNamingTheActionParameterNeverSubstitutes() {
        #expect(codes(plugin("op", roles: #"{"site": ["ops/{op}/self"]}"#)) == [.actionParameterInTemplate])
        #expect(codes(policySource(name: "p", type: "plugin", roles: #"{"act": ["actions/{action}"]}"#, body: #""actions": {"read": "act"}"#))
            == [.actionParameterInTemplate])
        #expect(codes(policySource(name: "p", type: "plugin", roles: #"{"act": ["actions/{action}"]}"#,
                                   body: #""action_parameter": "service.method", "actions": {"read": "act"}"#)).isEmpty,
                "'action' is a parameter once another one selects")
    }

    @Test func roleNamesNoExpressionCanName() {
        #expect(codes(policySource(roles: #"{"any": [], "site viewer": ["g"]}"#, body: #""routes": {"/a": {"GET": "any"}}"#)).contains(.unreferenceableRole))
        #expect(codes(policySource(roles: #"{"any": [], "or": ["g"]}"#, body: #""routes": {"/a": {"GET": "any"}}"#)).contains(.unreferenceableRole))
        #expect(!codes(policySource(roles: #"{"any": [], "not:me": ["g"]}"#, body: #""routes": {"/a": {"GET": "any or not:me"}}"#)).contains(.unreferenceableRole))
    }

    @Test func routesWithoutMethods() {
        #expect(codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a": {}, "/b": {"GET": "any"}}"#)).contains(.routeWithoutMethods))
        #expect(!codes(policySource(roles: #"{"any": []}"#, body: #""routes": {"/b": {"GET": "any"}}"#)).contains(.routeWithoutMethods))
    }

    @Test func negatedRolesThatNeedAParameter() {
        let bad = codes(policySource(type: "exchange", roles: #"{"user": ["users"], "blocked": ["blocklist/{user}"]}"#, body: #""exchange": "user and not blocked""#))
        #expect(bad.contains(.negatedParameterRole))
        let doubleNegation = codes(policySource(type: "exchange", roles: #"{"user": ["users/{user}"]}"#, body: #""exchange": "not not user""#))
        #expect(!doubleNegation.contains(.negatedParameterRole))
        let good = codes(policySource(type: "exchange", roles: #"{"user": ["users"], "blocked": ["{root_group}/blocked"]}"#, body: #""exchange": "user and not blocked""#))
        #expect(!good.contains(.negatedParameterRole))
    }

    @Test func findingsPointAtTheirValue() {
        let directory = TemporaryDirectory()
        directory.write("p.json", policySource(roles: roles, body: #""routes": {"/a": {"GET": "admin or not admin", "PUT": "viewer or any"}}"#))
        let found = PolicyLinter().lint(paths: [directory.path])
        let constant = found.first { $0.code == .constantExpression }
        #expect(constant?.location == SourceLocation(line: 9, column: 28))
        #expect(constant?.severity == .warning)
    }

    @Test func theShippedPoliciesHaveNoErrors() {
        let found = PolicyLinter().lint(paths: [packageDirectory + "/policies"])
        #expect(!found.isEmpty, "the deck's policy has an unused role and a body parameter")
        #expect(!found.contains { $0.severity == .error })
    }
}
