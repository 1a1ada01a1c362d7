import ArgumentParser
import PolicyCore

struct Who: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "For each rule, the minimal alternatives of groups that grant it.",
        discussion: """
            An alternative is the group templates a caller must all hold ('a + b') and those it must \
            hold none of ('not c'). A caller is granted exactly when one alternative holds; no \
            alternative implies another. '(any valid token)': the rule grants everyone; '(nobody)': \
            no caller is ever granted (lint W0706 flags it).

            Examples:
              policyc access who --policies policies --service data-management-api
              policyc access who --policies policies --service data-management-api --route /data/list/testing --json
              policyc access who --policies policies --type plugin --service storage --action write --markdown
            """
    )

    @OptionGroup var options: AccessOptions

    @Option(help: ArgumentHelp("Only this route: a template of the policy, or a concrete path.", valueName: "route"))
    var route: String?

    @Option(help: ArgumentHelp("Only this method (upper-cased, as a decision reads it).", valueName: "method"))
    var method: String?

    @Option(help: ArgumentHelp("Only this plugin action.", valueName: "action"))
    var action: String?

    func run() throws {
        let policies = try options.selectedRules(filter: RuleFilter(route: route, method: method, action: action))
        var output = BufferedOutput()
        if options.json {
            output.writeLine(JSONWriter.string(PolicyAccess.json(policies)))
            return
        }
        for line in WhoReport(policies: policies).lines(markdown: options.markdown) { output.writeLine(line) }
    }
}

/// `access who` as a table a policy: a rule, then its alternatives one a line.
struct WhoReport {
    let policies: [PolicyAccess]

    func lines(markdown: Bool) -> [String] {
        var lines: [String] = []
        for (index, policy) in policies.enumerated() {
            if index > 0 { lines.append("") }
            var table = TextTable(header: ["rule", "granted to (any one line)"])
            for rule in policy.rules { table.append([[rule.rule.description], grants(rule.grants)]) }
            if markdown {
                lines.append(policy.heading(markdown: true))
                lines.append("")
                lines += table.markdown(code: [true, true])
            } else {
                lines.append(policy.heading(markdown: false))
                lines += table.lines()
            }
        }
        if let note = negatedParameterNote(policies.flatMap { $0.rules.flatMap { $0.grants.alternatives ?? [] } }) {
            lines += ["", note]
        }
        return lines
    }

    private func grants(_ grants: GrantAlternatives) -> [String] {
        guard let alternatives = grants.alternatives else { return ["(\(grants.unanalysed!))"] }
        return alternatives.isEmpty ? ["(nobody)"] : alternatives.map(describe)
    }
}
