import ArgumentParser
import PolicyCore

struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rewrite policy files in the canonical format, or check that they are.",
        discussion: """
            Every *.json file under the given directories (hidden entries skipped) and every file \
            named directly is rewritten in place in the canonical format: two-space indent, one \
            member or element a line, [] and {} when empty, ": " after keys, a final newline, and \
            the top-level members in the order of the deck's data-management-api policy (name, \
            type, iam_subgroup_name, root_group, expected_token_issuer, expected_token_audience, \
            exchanged_token_audience, expected_service_token_scope, version_number, description, \
            roles, routes, exchange, action_parameter, actions), then any other members in their order. Roles, routes, methods and actions \
            keep their order; numbers keep their literal. Each file rewritten is named on \
            standard output ("formatted FILE").

            With --check nothing is written: each file that is not canonical is named \
            ("would reformat FILE"). A file that does not parse is reported with its line and \
            column and left alone.

            Exit status: 0; 1 with --check when a file would change; 1 when a file does not \
            parse or cannot be read or written; 2 for a usage error.

            Examples:
              policyc fmt policies
              policyc fmt --check policies policy-tests
            """
    )

    @Argument(help: ArgumentHelp("Policy directories or files.", valueName: "path"))
    var paths: [String]

    @Flag(help: "Write nothing; exit 1 naming each file that is not canonical (for CI).")
    var check = false

    func run() throws {
        let (files, missing) = SourceFiles.expand(paths)
        for diagnostic in missing { printError(diagnostic.description) }
        var failed = !missing.isEmpty
        var output = BufferedOutput()
        for file in files {
            switch PolicyFormatter.formatFile(atPath: file, rewrite: !check) {
            case .canonical:
                break
            case .notCanonical:
                output.writeLine(check ? "would reformat \(file)" : "formatted \(file)")
                if check { failed = true }
            case .unusable(let diagnostic):
                printError(diagnostic.description)
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
