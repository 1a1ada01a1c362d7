import ArgumentParser

struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Development tokens.",
        subcommands: [Mint.self]
    )
}
