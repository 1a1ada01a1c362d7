import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

@main
struct Policyc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policyc",
        abstract: "The policyd policy compiler: check policies and ask them questions without a server.",
        discussion: """
            policyc reads a directory of policy JSON files (spec section 2), checks every file, and \
            answers what-if queries with the same engine the policyd daemon uses.
            """,
        subcommands: [
            Eval.self, Lint.self, Diff.self, Access.self, Console.self, Fmt.self, Test.self, Revision.self,
            ShadowReportCommand.self, Token.self,
        ]
    )

    /// Usage errors exit with status 2, as CI scripts expect of a linter (ArgumentParser's own
    /// default is 64); every other outcome is ArgumentParser's.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}
