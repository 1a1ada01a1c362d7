import ArgumentParser
import PolicyCore

struct What: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every rule the given groups are granted, and for which parameter values.",
        discussion: """
            For each rule, the parameter values under which a caller holding exactly these groups is \
            granted: 'namespace = testing', 'every value', and 'except user = bob' where holding a \
            group takes the grant away for that value. Values come from matching the groups with the \
            rule's group templates; a parameter not named may have any value, or be missing. \
            'through' names the alternative of 'access who' that grants it.

            Examples:
              policyc access what --policies policies --group data/namespaces/testing/viewer
              policyc access what --policies policies --service data-management-api --group a b --json
            """
    )

    @OptionGroup var options: AccessOptions

    @Option(name: .customLong("group"), parsing: .upToNextOption,
            help: ArgumentHelp("The caller's groups (several after one --group, or --group repeated).", valueName: "group"))
    var groups: [String] = []

    func run() throws {
        let policies = try options.selectedRules()
        let query = AccessQuery(groups: groups)
        var output = BufferedOutput()
        if options.json {
            output.writeLine(JSONWriter.string(query.json(policies)))
            return
        }
        for line in WhatReport(query: query, policies: policies).lines(markdown: options.markdown) { output.writeLine(line) }
    }
}

/// `access what` as a table a policy that grants anything: a rule, the parameter values, and
/// the alternative that grants them.
struct WhatReport {
    let query: AccessQuery
    let policies: [PolicyAccess]

    func lines(markdown: Bool) -> [String] {
        let groups = query.groups.isEmpty ? "(none)" : query.groups.joined(separator: ", ")
        let listed = query.groups.isEmpty ? "(none)" : "`" + query.groups.joined(separator: "`, `") + "`"
        var lines = [markdown ? "Groups: \(listed)" : "groups: \(groups)"]
        var through: [GrantAlternative] = []
        for policy in policies {
            var table = TextTable(header: ["rule", "parameters", "through"])
            for rule in policy.rules {
                guard let grants = query.grants(rule) else {
                    table.append([[rule.rule.description], ["(\(rule.grants.unanalysed!))"], [""]])
                    continue
                }
                for (index, grant) in grants.enumerated() {
                    table.append([[index == 0 ? rule.rule.description : ""], [parameters(grant)], [describe(grant.alternative)]])
                    through.append(grant.alternative)
                }
            }
            guard !table.rows.isEmpty else { continue }
            lines.append("")
            if markdown {
                lines.append(policy.heading(markdown: true))
                lines.append("")
                lines += table.markdown(code: [true, false, true])
            } else {
                lines.append(policy.heading(markdown: false))
                lines += table.lines()
            }
        }
        if lines.count == 1 { lines.append("no rule grants these groups anything") }
        if let note = negatedParameterNote(through) { lines += ["", note] }
        return lines
    }

    private func parameters(_ grant: ParameterGrant) -> String {
        var text = grant.values.isEmpty ? "every value" : grant.values.map(\.description).joined(separator: ", ")
        if !grant.excluded.isEmpty {
            text += " except " + grant.excluded.map { $0.map(\.description).joined(separator: " and ") }.joined(separator: "; ")
        }
        if !grant.refusedByConvertor.isEmpty {
            text += " (only with the template as route: its convertor refuses \(grant.refusedByConvertor.joined(separator: ", ")))"
        }
        return text
    }
}
