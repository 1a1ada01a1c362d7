import Foundation
import Testing
@testable import PolicyCore

/// Every load error, each at the line and column of the value it concerns.
@Suite struct PolicyLoaderTests {
    func only(_ source: String) -> Diagnostic? {
        let found = diagnostics(source)
        #expect(found.count == 1, "\(found)")
        return found.first
    }

    @Test func theDecksPolicyLoads() throws {
        let policy = try loadPolicy(String(contentsOfFile: conformanceDirectory + "/policies/data-management-api.json", encoding: .utf8))
        #expect(policy.identity == PolicyIdentity(type: .route, name: "data-management-api", version: 1))
        #expect(policy.rootGroup == "services/data-management-api")
        #expect(policy.expectedServiceTokenScope == "data-management-api-service")
        #expect(policy.routeTemplates.count == 5)
    }

    @Test func jsonSyntaxErrorsComeFromJanssonWithLineAndColumn() {
        let diagnostic = only("{\n  \"name\": \"x\",\n  \"type\": route\n}")
        #expect(diagnostic?.code == .jsonSyntax)
        #expect(diagnostic?.location?.line == 3)
        #expect(diagnostic?.description.hasPrefix("test.json:3:") == true)
        #expect(diagnostic?.description.contains("error[E0101]: invalid JSON") == true)
    }

    @Test func duplicateKeysAreSyntaxErrors() {
        let diagnostic = only(#"{"name": "a", "name": "b"}"#)
        #expect(diagnostic?.code == .jsonSyntax)
        #expect(diagnostic?.message.contains("duplicate") == true)
    }

    /// What jansson refuses beyond JSON, the one reading refuses too, and jansson words it, as ever.
    @Test(arguments: [
        ("5", "1:1", "'[' or '{' expected near '5'"),
        (#""x""#, "1:3", #"'[' or '{' expected near '"x"'"#),
        (#"{"x": "a\u0000b"}"#, "1:16", #"\u0000 is not allowed without JSON_ALLOW_NUL near '"a\u0000b"'"#),
        (#"{"x\u0000": 1}"#, "1:10", #"NUL byte in object key not supported near '"x\u0000"'"#),
        (#"{"x": 123456789012345678901234567890}"#, "1:36", "too big integer"),
        (#"{"x": 1e400}"#, "1:11", "real number overflow near '1e400'"),
        (#"{"x": {"y": 1, "y": 2}}"#, "1:18", #"duplicate object key near '"y"'"#),
    ])
    func janssonWordsWhatPolicyFilesMayNotHold(_ source: String, _ location: String, _ message: String) {
        let diagnostic = only(source)
        #expect(diagnostic?.code == .jsonSyntax)
        #expect(diagnostic?.location?.description == location)
        #expect(diagnostic?.message == "invalid JSON: " + message)
    }

    /// jansson would take nesting to 2048; the one reading takes 256 (recursion is bounded by it),
    /// and says so, with the place. (Before, such a file loaded, but its findings had no position.)
    @Test func nestingDeeperThanTheReadingTakesIsRefusedWhereItIs() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let diagnostic = only(policySource(body: #""routes": {}, "x": "# + deep))
        #expect(diagnostic?.code == .jsonSyntax)
        #expect(diagnostic?.message == "invalid JSON: nesting deeper than 256")
        #expect(diagnostic?.location == SourceLocation(line: 9, column: 277))
    }

    /// Numbers stay as the file writes them: a finding quotes `1e3`, not the `1000.0` it reads as.
    @Test func findingsQuoteNumbersAsWritten() {
        #expect(only(policySource(version: "1e3", body: #""routes": {}"#))?.message
            == "'version_number' must be a positive integer, found 1e3")
    }

    @Test func aPolicyIsAnObject() {
        #expect(only("[1, 2]")?.code == .notAnObject)
    }

    @Test(arguments: ["name", "type", "iam_subgroup_name", "expected_token_issuer", "expected_token_audience", "version_number", "roles", "routes"])
    func missingFieldsAreReported(field: String) throws {
        let complete = policySource(body: #""routes": {"/a": {"GET": "any"}}"#)
        var document = try JSONReader.parse(complete)
        guard case .object(let members) = document else { return }
        document = .object(members.filter { $0.key != field })
        let diagnostic = only(JSONWriter.string(document, style: .pretty))
        #expect(diagnostic?.code == .missingField)
        #expect(diagnostic?.message.contains("'\(field)'") == true)
        #expect(diagnostic?.location == SourceLocation(line: 1, column: 1))
    }

    @Test func eachTypeNeedsItsOwnSection() {
        #expect(only(policySource(type: "exchange", body: #""actions": {}"#))?.message.contains("'exchange'") == true)
        #expect(only(policySource(type: "plugin", body: #""exchange": "any""#))?.message.contains("'actions'") == true)
    }

    @Test func wrongFieldTypesPointAtTheValue() {
        let source = policySource(body: #""routes": {"/a": {"GET": "any"}}, "expected_service_token_scope": 7"#)
        let diagnostic = only(source)
        #expect(diagnostic?.code == .wrongFieldType)
        #expect(diagnostic?.message == "'expected_service_token_scope' must be a string, found an integer")
        #expect(diagnostic?.location == SourceLocation(line: 9, column: 69))
    }

    @Test func emptyStringsAreRefused() {
        let diagnostic = only(policySource(rootGroup: "", body: #""routes": {}"#))
        #expect(diagnostic?.code == .emptyField)
        #expect(diagnostic?.location == SourceLocation(line: 8, column: 17))
    }

    @Test func unknownTypes() {
        let diagnostic = only(policySource(type: "Route", body: #""routes": {}"#))
        #expect(diagnostic?.code == .unknownPolicyType)
        #expect(diagnostic?.location == SourceLocation(line: 3, column: 11))
    }

    @Test(arguments: ["0", "-1", "1.0", "1e0", "\"1\"", "null", "true"])
    func versionNumbersArePositiveIntegers(version: String) {
        let diagnostic = only(policySource(version: version, body: #""routes": {}"#))
        #expect(diagnostic?.code == .invalidVersionNumber)
        #expect(diagnostic?.location == SourceLocation(line: 4, column: 21))
    }

    @Test func versionNumbersBeyond64BitsAreJanssonErrors() {
        #expect(only(policySource(version: "99999999999999999999", body: #""routes": {}"#))?.code == .jsonSyntax)
    }

    @Test func rolesAreObjectsOfArraysOfStrings() {
        #expect(only(policySource(roles: "[]", body: #""routes": {}"#))?.code == .wrongFieldType)
        let notArray = only(policySource(roles: #"{"a": "x"}"#, body: #""routes": {}"#))
        #expect(notArray?.code == .wrongFieldType)
        #expect(notArray?.location == SourceLocation(line: 8, column: 18))
        let notString = only(policySource(roles: #"{"a": ["x", 3]}"#, body: #""routes": {}"#))
        #expect(notString?.code == .wrongFieldType)
        #expect(notString?.location == SourceLocation(line: 8, column: 24))
    }

    @Test(arguments: [
        ("a/{b", 3, "'{' is not closed by '}'"),
        ("a/{b{c}}", 3, "'{' is not closed by '}'"),
        ("a/b}", 4, "'}' has no matching '{'"),
        ("a/{}", 3, "'{}' names no parameter"),
    ])
    func malformedGroupTemplatesPointAtTheBrace(template: String, offset: Int, message: String) {
        let diagnostic = only(policySource(roles: #"{"a": ["\#(template)"]}"#, body: #""routes": {}"#))
        #expect(diagnostic?.code == .malformedGroupTemplate)
        #expect(diagnostic?.message.hasSuffix(message) == true)
        #expect(diagnostic?.location == SourceLocation(line: 8, column: 19 + offset))
    }

    @Test(arguments: ["", "/"])
    func groupTemplatesNameAGroup(template: String) {
        #expect(only(policySource(roles: #"{"a": ["\#(template)"]}"#, body: #""routes": {}"#))?.code == .emptyGroupTemplate)
    }

    @Test func expressionSyntaxErrorsPointAtTheTokenInTheFile() {
        let source = policySource(body: #""routes": {"/a": {"GET": "admin or or any"}}"#)
        let diagnostic = only(source)
        #expect(diagnostic?.code == .expressionSyntax)
        #expect(diagnostic?.location == SourceLocation(line: 9, column: 38))
        #expect(diagnostic?.description ==
            "test.json:9:38: error[E0301]: in expression 'admin or or any': expected a role name or '(', found keyword 'or'; hint: expressions are role names joined by 'or', 'and', 'not' and parentheses")
    }

    @Test func unknownRolesPointAtTheRoleAndSuggestTheClosest() {
        let source = policySource(body: #""routes": {"/a": {"GET": "any or admn"}}"#)
        let diagnostic = only(source)
        #expect(diagnostic?.code == .unknownRole)
        #expect(diagnostic?.location == SourceLocation(line: 9, column: 36))
        #expect(diagnostic?.hint == "did you mean 'admin'?")
    }

    @Test func everyUnknownRoleIsReported() {
        let found = diagnostics(policySource(body: #""routes": {"/a": {"GET": "x or y", "POST": "z"}}"#))
        #expect(found.map(\.code) == [.unknownRole, .unknownRole, .unknownRole])
    }

    @Test func rolesAreCaseSensitive() {
        #expect(only(policySource(body: #""routes": {"/a": {"GET": "Admin"}}"#))?.code == .unknownRole)
    }

    @Test func expressionsAreStrings() {
        #expect(only(policySource(body: #""routes": {"/a": {"GET": ["admin"]}}"#))?.code == .wrongFieldType)
    }

    @Test func tooDeepExpressions() {
        let deep = String(repeating: "not ", count: 200) + "any"
        #expect(only(policySource(body: #""routes": {"/a": {"GET": "\#(deep)"}}"#))?.code == .expressionTooDeep)
    }

    @Test(arguments: [
        ("a", DiagnosticCode.malformedRouteTemplate, 0),
        ("/a/", .malformedRouteTemplate, 2),
        ("/a//b", .malformedRouteTemplate, 2),
        ("//", .malformedRouteTemplate, 0),
        ("/a?b", .malformedRouteTemplate, 2),
        ("/a#b", .malformedRouteTemplate, 2),
        ("/a%20b", .malformedRouteTemplate, 2),
        ("/{name}.fits", .malformedRouteTemplate, 1),
        ("/x{name}", .malformedRouteTemplate, 2),
        ("/{}", .malformedRouteTemplate, 1),
        ("/{a", .malformedRouteTemplate, 1),
        ("/a}", .malformedRouteTemplate, 2),
        ("/{a{b}}", .malformedRouteTemplate, 1),
        ("/{root_group}", .rootGroupRouteParameter, 1),
        ("/{a}/x/{a}", .duplicateRouteParameter, 7),
    ])
    func malformedRouteTemplates(template: String, code: DiagnosticCode, offset: Int) {
        let diagnostic = only(policySource(body: #""routes": {"\#(template)": {"GET": "any"}}"#))
        #expect(diagnostic?.code == code)
        // The template starts at column 15 of line 9, after `  "routes": {"`.
        #expect(diagnostic?.location == SourceLocation(line: 9, column: 15 + offset), "\(template)")
    }

    @Test func templatesDifferingOnlyInParameterNamesAreReportedAtTheSecond() {
        let source = policySource(body: """
            "routes": {
                "/a/{x}": {"GET": "any"},
                "/b": {"GET": "any"},
                "/a/{y}": {"GET": "any"}
              }
            """)
        let diagnostic = only(source)
        #expect(diagnostic?.code == .indistinctRouteTemplates)
        #expect(diagnostic?.location == SourceLocation(line: 12, column: 5))
        #expect(diagnostic?.message == "route template '/a/{y}' differs from '/a/{x}' only in parameter names")
    }

    @Test func methodsEqualOnceUpperCasedAreReportedAtTheSecond() {
        let diagnostic = only(policySource(body: #""routes": {"/a": {"GET": "any", "get": "admin"}}"#))
        #expect(diagnostic?.code == .duplicateMethod)
        #expect(diagnostic?.location == SourceLocation(line: 9, column: 35))
        #expect(diagnostic?.message == "method 'get' is the same as 'GET' once upper-cased")
    }

    /// Every diagnostic is one line: a line break the policy's text holds (a JSON `\n` in an
    /// expression) is written as an escape (it broke the line, found by a probe).
    @Test func aDiagnosticQuotingALineBreakIsOneLine() {
        let diagnostic = only(policySource(body: #""routes": {"/a": {"GET": "any or\n bogus\u0085"}}"#))
        let line = diagnostic?.description ?? ""
        #expect(!line.contains("\n") && !line.unicodeScalars.contains("\u{85}"), "\(line)")
        #expect(line.contains(#"'any or\n bogus\u{85}'"#), "\(line)")
    }

    /// The message names both keys as written: it used to name the first one upper-cased, which
    /// read `'GET' is the same as 'GET'` when the lower-case one came first.
    @Test func aDuplicateMethodIsNamedAsWritten() {
        let diagnostic = only(policySource(body: #""routes": {"/a": {"get": "any", "GET": "admin"}}"#))
        #expect(diagnostic?.code == .duplicateMethod)
        #expect(diagnostic?.message == "method 'GET' is the same as 'get' once upper-cased")
    }

    /// Found by the policy-loader fuzzer (fixtures/fuzz/regressions): PCRE2 caps a compiled
    /// pattern's size, and the loader used to trap on its refusal.
    @Test func routesTooLargeForPCRE2AreADiagnosticNotACrash() throws {
        let source = policySource(body: #""routes": {"/\#(String(repeating: "a", count: 32_760))": {"GET": "any"}}"#)
        switch PolicyLoader(matcherKind: .pcre2).loadPolicy(bytes: Array(source.utf8), file: "big.json") {
        case .success:
            Issue.record("PCRE2 accepted a pattern past its limit; the test no longer shows the refusal")
        case .failure(let error):
            let diagnostic = try #require(error.diagnostics.first)
            #expect(error.diagnostics.count == 1)
            #expect(diagnostic.code == .routesTooLargeForMatcher)
            #expect(diagnostic.location == SourceLocation(line: 9, column: 3))
            #expect(diagnostic.message.contains("PCRE2 refused the policy's route pattern"), "\(diagnostic.message)")
        }
        // The trie has no such limit.
        #expect(try loadPolicy(source, matcher: .trie).route("/" + String(repeating: "a", count: 32_760), groups: []).isAuthorised)
    }

    @Test func methodKeysAreUpperCasedAtLoad() throws {
        let policy = try loadPolicy(policySource(body: #""routes": {"/a": {"post": "any"}}"#))
        #expect(policy.route("/a", method: "POST", groups: []).isAuthorised)
        #expect(policy.route("/a", method: "pOsT", groups: []).isAuthorised)
    }

    @Test func unknownMembersAreIgnored() throws {
        let policy = try loadPolicy(policySource(body: #""routes": {"/a": {"GET": "any"}}, "owner": {"team": 1}, "exchange": 5"#))
        #expect(policy.route("/a", groups: []).isAuthorised)
    }

    @Test func allErrorsOfAFileAreReported() {
        let found = diagnostics(policySource(version: "0", roles: #"{"a": ["{"]}"#, body: #""routes": {"x": {"GET": "b"}}"#))
        #expect(Set(found.map(\.code)) == [.invalidVersionNumber, .malformedGroupTemplate, .malformedRouteTemplate])
    }

    // MARK: Directories

    @Test func directoriesAreSearchedRecursivelyForDotJSONOnly() throws {
        let directory = TemporaryDirectory()
        directory.write("a.json", policySource(name: "a", body: #""routes": {}"#))
        directory.write("nested/deeper/b.json", policySource(name: "b", body: #""routes": {}"#))
        directory.write("c.JSON", "not even JSON")
        directory.write("d.json.bak", "not even JSON")
        directory.write("README.md", "not JSON")
        directory.write(".hidden.json", "not even JSON")
        directory.write(".git/e.json", "not even JSON")
        let set = try PolicyLoader().load(directory: directory.path)
        #expect(set.entries.map(\.name) == ["a", "b"])
    }

    @Test func severalVersionsCoexistAndTheHighestIsLatest() throws {
        let directory = TemporaryDirectory()
        for version in [1, 3, 2] {
            directory.write("v\(version).json", policySource(version: String(version), body: #""routes": {"/v\#(version)": {"GET": "any"}}"#))
        }
        let set = try PolicyLoader().load(directory: directory.path)
        #expect(set.entries.first?.versions == [1, 2, 3])
        #expect(set.policy(type: .route, service: "svc", version: .latest)?.version == 3)
        #expect(set.policy(type: .route, service: "svc", version: .number(2))?.version == 2)
        #expect(set.policy(type: .route, service: "svc", version: .number(4)) == nil)
        #expect(set.policy(type: .exchange, service: "svc", version: .latest) == nil)
    }

    @Test func duplicateIdentitiesAreReportedAtTheSecondFile() {
        let directory = TemporaryDirectory()
        directory.write("a.json", policySource(body: #""routes": {}"#))
        directory.write("b.json", policySource(body: #""routes": {}"#))
        #expect(throws: PolicyLoadError.self) { try PolicyLoader().load(directory: directory.path) }
        do {
            _ = try PolicyLoader().load(directory: directory.path)
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics.first?.code == .duplicatePolicyIdentity)
            #expect(error.diagnostics.first?.file.hasSuffix("/b.json") == true)
            #expect(error.diagnostics.first?.location == SourceLocation(line: 4, column: 21))
        }
    }

    /// Findings made after loading (two files of one identity, a gap in versions) point into the
    /// reading that loaded each policy: the file is not read again from disk, where it may have
    /// changed, or never been (policies loaded from bytes, as the console's workspace loads them).
    @Test func identityFindingsPointIntoTheReadingThatLoaded() throws {
        let first = try loadPolicy(policySource(body: #""routes": {}"#), file: "/nonexistent/a.json")
        let second = try loadPolicy(policySource(body: #""routes": {}"#), file: "/nonexistent/b.json")
        let duplicate = PolicyLoader.duplicateIdentities([first, second])
        #expect(duplicate.map(\.location) == [SourceLocation(line: 4, column: 21)])
        let third = try loadPolicy(policySource(version: "3", body: #""routes": {}"#), file: "/nonexistent/c.json")
        let gap = PolicyLinter.versionGaps([first, third])
        #expect(gap.map(\.location) == [SourceLocation(line: 4, column: 21)])
    }

    @Test func sameNameDifferentTypesCoexist() throws {
        let directory = TemporaryDirectory()
        directory.write("a.json", policySource(body: #""routes": {}"#))
        directory.write("b.json", policySource(type: "exchange", body: #""exchange": "any""#))
        #expect(try PolicyLoader().load(directory: directory.path).policies.count == 2)
    }

    @Test func oneBadFileFailsTheWholeLoad() {
        let directory = TemporaryDirectory()
        directory.write("a.json", policySource(name: "a", body: #""routes": {}"#))
        directory.write("b.json", policySource(name: "b", body: #""routes": {"/x": {"GET": "nobody"}}"#))
        #expect(throws: PolicyLoadError.self) { try PolicyLoader().load(directory: directory.path) }
    }

    @Test func missingDirectoriesAreErrors() {
        #expect(throws: PolicyLoadError.self) { try PolicyLoader().load(directory: "/nonexistent/policies") }
    }
}
