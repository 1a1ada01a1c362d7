import ArgumentParser

@main
struct Policyc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policyc",
        abstract: "The policyd policy compiler: check policies and ask them questions without a server.",
        discussion: """
            policyc reads a directory of policy JSON files (spec section 2), checks every file, and \
            answers what-if queries with the same engine the policyd daemon uses.
            """,
        subcommands: [Eval.self]
    )
}
