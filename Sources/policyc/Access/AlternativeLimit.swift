import ArgumentParser
import PolicyCore

/// `--max-alternatives`: how long an answer of `access who` (and of `diff`) may be, for every
/// command that shows one. The analysis itself never refuses a rule for its size.
struct AlternativeLimit: ParsableArguments {
    @Option(
        name: .customLong("max-alternatives"),
        help: ArgumentHelp(
            "List at most this many alternatives a rule (and sets that gain or lose, in a diff); a rule with more says how many.",
            valueName: "n"))
    var value = GrantAlternatives.defaultLimit

    func validate() throws {
        guard value >= 1 else { throw ValidationError("--max-alternatives takes a positive number, got \(value)") }
    }
}
