import ArgumentParser
import PolicyCore

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run policy unit tests: queries with the decision each must get.",
        discussion: """
            Runs every *.test.json file under the given directories (and every file named \
            directly). A test file is a JSON object:

              {"policies": "../policies",
               "tests": [
                 {"name": "a namespace viewer lists the namespace",
                  "query": {"type": "route", "service": "data-management-api",
                            "route": "/data/list/testing",
                            "groups": ["data/namespaces/testing/viewer"]},
                  "expect": "allow",
                  "reason": "GET /data/list/{namespace}: expression true"}]}

            "policies" (optional) is the policy directory or file, relative to the test file; \
            --policies replaces it for every file. "query" is exactly a batch query of \
            policyc eval --batch (spec section 6): type, service, version, route, method, \
            params, groups. "expect" is "allow" or "deny"; "reason", when given, must equal the \
            decision's reason. Unknown or repeated members make a file unusable: none of its \
            tests runs.

            Each failing test is printed as FAIL file: name, with the decision expected and the \
            one got (and its reason); the last line is "N passed, M failed".

            Exit status: 0 when every test passes; 1 when a test fails, a test file cannot be \
            used, or its policies do not load; 2 for a usage error.

            Examples:
              policyc test policy-tests
              policyc test policy-tests --policies /tmp/candidate-policies
            """
    )

    @Argument(help: ArgumentHelp("Test files, or directories searched for *.test.json.", valueName: "path"))
    var paths: [String]

    @Option(help: ArgumentHelp("Test against these policies, whatever the files say.", valueName: "dir"))
    var policies: String?

    func run() throws {
        let report = PolicyTestRunner(policies: policies).run(paths: paths)
        var output = BufferedOutput()
        for file in report.files {
            for problem in file.problems { output.writeLine(problem) }
            for result in file.results where !result.passed {
                output.writeLine("FAIL \(file.file): \(result.test.name)")
                output.writeLine("  expected: \(result.test.expectation)")
                output.writeLine("  got:      \(result.outcome)")
            }
        }
        output.writeLine(report.summary)
        if !report.succeeded { throw ExitCode(1) }
    }
}
