import ArgumentParser
import PolicyCore

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check policies before they ship: every load error, and what loads but is probably wrong.",
        discussion: """
            Reads every *.json file under the given directories (and files named directly) and \
            reports, one line each as file:line:col: severity[CODE]: message; hint: …, every \
            error that would stop policyd from loading them, and these checks:

              W0701  a role is defined but never used
              W0702  a role needs a {parameter} the route's path does not capture (it must come from the body)
              W0703  two route templates match the same paths and neither is more specific in every segment
              W0705  a method key that is not an HTTP method
              W0706  an expression that is always true, always false, or can never grant anyone
              W0707  a role with no groups (every caller holds it) not named 'any'
              W0708  a policy's versions skip a number
              W0709  a member policies of that type do not read
              W0710  a role name no expression can name
              W0711  a route with no methods
              W0712  a role under 'not' that needs a request parameter (fails open without it)
              N0801  (note) a more specific template takes some paths of another

            Exit status: 0 when there is no error, 1 when there is (or a warning, with \
            --warnings-as-errors), 2 for a usage error. Notes never fail.

            Examples:
              policyc lint policies
              policyc lint --format sarif policies > policyc.sarif
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case human, json, sarif
    }

    @Argument(help: ArgumentHelp("Policy directories or files.", valueName: "path"))
    var paths: [String]

    @Option(help: "Output format: human (coloured on a terminal), json, or sarif (SARIF 2.1.0, for code hosts).")
    var format: Format = .human

    @Flag(help: "Fail (exit 1) on warnings too.")
    var warningsAsErrors = false

    @Flag(help: "Never colour the human format (also when NO_COLOR is set).")
    var noColor = false

    func run() throws {
        let diagnostics = PolicyLinter().lint(paths: paths)
        var output = BufferedOutput()
        switch format {
        case .human:
            let colours = !noColor && Terminal.wantsColour
            for diagnostic in diagnostics { output.writeLine(HumanDiagnostic(diagnostic, colours: colours).line) }
            output.writeLine(LintSummary(diagnostics).line)
        case .json:
            output.writeLine(JSONWriter.string(LintJSON.document(diagnostics), style: .pretty))
        case .sarif:
            output.writeLine(JSONWriter.string(SARIFLog.document(diagnostics), style: .pretty))
        }
        let failing = diagnostics.contains { $0.severity == .error || (warningsAsErrors && $0.severity == .warning) }
        if failing { throw ExitCode(1) }
    }
}

struct LintSummary {
    let errors: Int
    let warnings: Int
    let notes: Int

    init(_ diagnostics: [Diagnostic]) {
        errors = diagnostics.count { $0.severity == .error }
        warnings = diagnostics.count { $0.severity == .warning }
        notes = diagnostics.count { $0.severity == .note }
    }

    var line: String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        return [count(errors, "error"), count(warnings, "warning"), count(notes, "note")].joined(separator: ", ")
    }
}
