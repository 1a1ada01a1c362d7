import ArgumentParser
import PolicyCore
import PolicyDigest

struct Revision: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the revision of a policy directory: the one a policyd serving it reports.",
        discussion: """
            Loads the directory exactly as policyd does (every *.json file under it, hidden \
            entries skipped, every file parsed and checked; a directory with no policy refused \
            unless --allow-empty-policies) and prints its revision: sha256: and 64 hex digits, \
            what a policyd serving the same policies shows in /v1/health (policy_revision), in \
            the metric policyd_policy_revision_info, in each audit record (policy_revision) and \
            on each decision (X-Policy-Revision). It covers each policy's type, name, version \
            and file bytes, nothing else: file names, folders and the order files are found in \
            do not change it (docs/operations.md, "Policy revision").

            Exit status: 0; 1 when the directory does not load, as policyd would refuse it (each \
            finding on standard error); 2 for a usage error.

            Examples:
              policyc revision policies
              test "$(policyc revision policies)" = "$(curl -s http://policyd:8080/v1/health | jq -r .policy_revision)"
            """
    )

    @Argument(help: ArgumentHelp("The policy directory, as policyd's --policies.", valueName: "directory"))
    var directory: String

    @Flag(help: "As policyd's: a directory with no policy has a revision too, rather than being refused (E0604).")
    var allowEmptyPolicies = false

    func run() throws {
        let policies = try reportingFindings { () throws(PolicyLoadError) in
            try PolicyLoader().load(directory: directory, allowsEmpty: allowEmptyPolicies)
        }
        printNow(PolicyRevision(of: policies).text)
    }
}
