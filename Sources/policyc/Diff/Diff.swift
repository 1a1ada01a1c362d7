import ArgumentParser
import PolicyCore

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show who gains and who loses access between two versions of policies.",
        discussion: """
            Compares OLD with NEW, each a policy file or a policy directory. Policies are matched \
            by type and name; from a directory the latest version of each is compared, and every \
            policy's versions are shown. The comparison is semantic, not textual: each role \
            expression is compared, in both versions, as a function of the IAM groups its roles \
            name (group templates after {root_group} substitution, parameters kept as {name}), so \
            a reordered expression is no change and a role that gains a group is one.

            Reported: policies added and removed; changes of root group, token issuer, audience \
            and scope; roles added, removed or given other groups; routes added and removed; and \
            for each route and method, the exchange expression and each plugin action that \
            differs, the smallest sets of groups whose holders gain or lose access \
            ("gains: a + b": holders of both a and b; "(no group)": a caller with none of the \
            groups the rule names), and the same in roles. A rule with more such sets than \
            --max-alternatives (default 1024) says how many instead of listing them.

            With --access, each changed rule is shown instead in the terms of 'policyc access who': \
            the alternatives it now grants ("+ granted to: a + not b") and those it no longer does \
            ("- granted to: c"); in json, each rule gains alternatives_added and alternatives_removed.

            Formats: human (default), one policy a paragraph, ending with a verdict line; or \
            json, one document (see docs/policyc.md).

            Exit status: 0; 1 with --fail-on-widening when anyone gains access anywhere (a new \
            route, action or policy included; another token issuer or audience, or a dropped \
            scope, too); 1 when either side does not load (its diagnostics are printed); 2 for \
            a usage error.

            Examples:
              policyc diff old/data-management-api.json policies/data-management-api.json
              policyc diff --fail-on-widening main-checkout/policies policies
              policyc diff --format json old-policies policies
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case human, json
    }

    @Argument(help: ArgumentHelp("The old version: a policy file or directory.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The new version: a policy file or directory.", valueName: "new"))
    var new: String

    @Flag(help: "Exit with status 1 when anyone gains access anywhere (for review gates).")
    var failOnWidening = false

    @Option(help: "Output format: human or json.")
    var format: Format = .human

    @Flag(help: "Show each changed rule as the alternatives of 'policyc access who' it gains and loses.")
    var access = false

    @OptionGroup var maxAlternatives: AlternativeLimit

    func run() throws {
        // Both sides are loaded before either failure is reported: one run shows every finding.
        let before = load(old), after = load(new)
        guard let before, let after else { throw ExitCode(1) }
        let diff = PolicySetDiff(old: before, new: after, limit: maxAlternatives.value)
        var output = BufferedOutput()
        switch format {
        case .human:
            for line in DiffReport(diff: diff, alternatives: access).lines { output.writeLine(line) }
        case .json:
            output.writeLine(JSONWriter.string(diff.json(alternatives: access), style: .pretty))
        }
        if failOnWidening, diff.widensAccess { throw ExitCode(1) }
    }

    private func load(_ path: String) -> PolicySet? {
        do {
            return try PolicyLoader().load(paths: [path])
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            return nil
        }
    }
}
