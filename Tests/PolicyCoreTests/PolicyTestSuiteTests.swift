import Foundation
import Testing
@testable import PolicyCore

/// `policyc test`: test files, their problems, and runs that pass and fail.
@Suite struct PolicyTestSuiteTests {
    let directory = TemporaryDirectory()

    init() {
        directory.write("policies/svc.json", policySource(
            roles: #"{"any": [], "admin": ["{root_group}/roles/admin"], "viewer": ["things/{thing}/viewer"]}"#,
            body: #""routes": {"/things/{thing}": {"GET": "admin or viewer", "DELETE": "admin"}}"#))
    }

    func test(_ name: String, route: String, method: String = "GET", groups: [String], expect: String, reason: String? = nil) -> String {
        let reasonMember = reason.map { #", "reason": "\#($0)""# } ?? ""
        let groupList = groups.map { #""\#($0)""# }.joined(separator: ", ")
        return #"{"name": "\#(name)", "query": {"type": "route", "service": "svc", "route": "\#(route)", "method": "\#(method)", "groups": [\#(groupList)]}, "expect": "\#(expect)"\#(reasonMember)}"#
    }

    func write(_ file: String, policies: String? = "policies", tests: [String]) {
        let policiesMember = policies.map { #""policies": "\#($0)", "# } ?? ""
        directory.write(file, "{" + policiesMember + #""tests": ["# + tests.joined(separator: ",\n") + "]}\n")
    }

    @Test func passingTestsPass() {
        write("svc.test.json", tests: [
            test("a viewer sees their thing", route: "/things/lamp", groups: ["things/lamp/viewer"], expect: "allow",
                 reason: "GET /things/{thing}: expression true"),
            test("a viewer cannot delete", route: "/things/lamp", method: "DELETE", groups: ["things/lamp/viewer"], expect: "deny"),
            test("an admin deletes", route: "/things/lamp", method: "delete", groups: ["/services/svc/roles/admin"], expect: "allow"),
        ])
        let report = PolicyTestRunner().run(paths: [directory.path])
        #expect(report.passed == 3 && report.failed == 0 && report.succeeded)
        #expect(report.summary == "3 passed, 0 failed")
    }

    @Test func aWrongDecisionOrReasonFails() throws {
        write("svc.test.json", tests: [
            test("wrong decision", route: "/things/lamp", groups: [], expect: "allow"),
            test("wrong reason", route: "/nothing", groups: [], expect: "deny", reason: "GET /nothing: expression false"),
            test("right", route: "/nothing", groups: [], expect: "deny", reason: "no matching route"),
        ])
        let report = PolicyTestRunner().run(paths: [directory.path + "/svc.test.json"])
        #expect(report.summary == "1 passed, 2 failed" && !report.succeeded)
        let failures = try #require(report.files.first).results.filter { !$0.passed }
        #expect(failures.map(\.test.name) == ["wrong decision", "wrong reason"])
        #expect(failures.map(\.test.expectation.description) == ["allow", "deny (GET /nothing: expression false)"])
        #expect(failures.map(\.outcome) == ["deny (GET /things/{thing}: expression false)", "deny (no matching route)"])
    }

    @Test func aQueryWithAnUnusableVersionIsADenial() {
        directory.write("version.test.json", #"""
            {"policies": "policies", "tests": [{"name": "v", "expect": "deny",
              "reason": "unusable version 2.0: give a positive integer or \"latest\"",
              "query": {"type": "route", "service": "svc", "version": 2.0, "route": "/things/lamp"}}]}
            """#)
        #expect(PolicyTestRunner().run(paths: [directory.path]).summary == "1 passed, 0 failed")
    }

    @Test func anUnusableFileRunsNothingAndSaysWhereEachProblemIs() throws {
        directory.write("bad.test.json", """
            {"policies": "policies", "tset": [],
             "tests": [
              {"name": "no expectation", "query": {"type": "route", "service": "svc", "route": "/a"}, "expect": "alow"},
              {"name": "not a query", "query": {"type": "route", "route": "/a"}, "expect": "deny"},
              {"name": "typo", "query": {"type": "plugin", "service": "svc"}, "expect": "deny", "reasn": "x"},
              {"name": "twice", "query": {"type": "plugin", "service": "svc"}, "expect": "deny"},
              {"name": "twice", "query": {"type": "plugin", "service": "svc"}, "expect": "deny"}
             ]}
            """)
        write("good.test.json", tests: [test("fine", route: "/things/lamp", groups: [], expect: "deny")])
        let report = PolicyTestRunner().run(paths: [directory.path])
        #expect(report.summary == "1 passed, 0 failed" && !report.succeeded)
        let bad = try #require(report.files.first { $0.file.hasSuffix("bad.test.json") })
        #expect(bad.results.isEmpty)
        let file = directory.path + "/bad.test.json"
        #expect(bad.problems == [
            "\(file):1:26: error: test file: unknown member 'tset'; known: policies, tests",
            "\(file):3:101: error: test 1: 'expect' must be \"allow\" or \"deny\"",
            "\(file):4:36: error: test 2: 'query' is not a batch query: 'service' must be a string",
            "\(file):5:85: error: test 3: unknown member 'reasn'; known: name, query, expect, reason",
            "\(file):7:12: error: test 5: another test is named 'twice'",
        ])
    }

    /// A typo inside a query drops what it names (`parms`: no parameters, `group`: no groups), and
    /// the test then checks something else: the query is held to the format as strictly as the rest
    /// (it was read as a batch line, which ignores unknown members; found by a probe).
    @Test func aQueryWithAnUnknownOrRepeatedMemberIsAProblem() throws {
        directory.write("typos.test.json", """
            {"policies": "policies",
             "tests": [
              {"name": "parms", "query": {"type": "route", "service": "svc", "route": "/a", "parms": {}}, "expect": "deny"},
              {"name": "twice", "query": {"type": "route", "service": "svc", "route": "/a", "groups": [], "groups": ["x"]}, "expect": "deny"}
             ]}
            """)
        let report = PolicyTestRunner().run(paths: [directory.path + "/typos.test.json"])
        let file = directory.path + "/typos.test.json"
        #expect(report.files.first?.results.isEmpty == true, "no test runs")
        #expect(report.files.first?.problems == [
            "\(file):3:81: error: test 1 query: unknown member 'parms'; known: type, service, version, route, method, params, groups",
            "\(file):4:95: error: test 2 query: 'groups' is given twice",
        ])
    }

    @Test func filesThatAreNotJSONOrHaveNoTestsAreProblems() {
        directory.write("a.test.json", "{\n  \"tests\": [,]\n}")
        directory.write("b.test.json", #"{"policies": "policies", "tests": []}"#)
        directory.write("c.test.json", #"["not", "an", "object"]"#)
        let problems = PolicyTestRunner().run(paths: [directory.path]).files.flatMap(\.problems)
        let file = directory.path + "/"
        #expect(problems == [
            "\(file)a.test.json:2:13: error: invalid JSON: unexpected character",
            "\(file)b.test.json:1:35: error: test file: 'tests' must be a non-empty array of tests",
            "\(file)c.test.json:1:1: error: test file must be a JSON object, found an array",
        ])
    }

    @Test func policiesComeFromTheFileOrTheCommandLine() {
        write("svc.test.json", policies: nil, tests: [test("t", route: "/things/lamp", groups: [], expect: "deny")])
        let withoutPolicies = PolicyTestRunner().run(paths: [directory.path])
        #expect(withoutPolicies.files.first?.problems == [
            "\(directory.path)/svc.test.json: error: no policies to test: give 'policies' in the file, or --policies",
        ])
        let given = PolicyTestRunner(policies: directory.path + "/policies").run(paths: [directory.path])
        #expect(given.succeeded && given.passed == 1)
        let broken = PolicyTestRunner(policies: directory.path + "/nowhere").run(paths: [directory.path])
        #expect(!broken.succeeded && broken.files.first?.problems.last?.hasSuffix("do not load") == true)
    }

    @Test func aDirectoryWithoutTestsIsAProblem() {
        let report = PolicyTestRunner().run(paths: [directory.path + "/policies"])
        #expect(!report.succeeded && report.summary == "0 passed, 0 failed")
        #expect(report.files.first?.problems == ["\(directory.path)/policies: error: no test files (*.test.json) found"])
    }

    @Test func theShippedPolicyTestsPass() {
        let report = PolicyTestRunner().run(paths: [ShippedFiles.path("policy-tests")])
        // One test file per shipped policy file.
        let policies = try? FileManager.default.contentsOfDirectory(atPath: ShippedFiles.path("policies"))
        #expect(report.files.count == policies?.filter { $0.hasSuffix(".json") }.count)
        #expect(report.files.allSatisfy { $0.problems.isEmpty && !$0.results.isEmpty })
        #expect(report.succeeded && report.failed == 0, "\(report.files.flatMap(\.results).filter { !$0.passed }.map(\.test.name))")
    }
}
