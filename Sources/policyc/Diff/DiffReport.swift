import PolicyCore

/// A policy set difference as a reviewer reads it: a paragraph a policy, `+` added, `-` removed,
/// `~` changed, and a verdict line at the end.
struct DiffReport {
    let diff: PolicySetDiff
    /// Rules as the alternatives they gain and lose (`--access`), not as sets of groups.
    var alternatives = false

    var lines: [String] {
        var lines: [String] = []
        for policy in diff.policies { lines += paragraph(policy) }
        lines.append(verdict)
        return lines
    }

    private var verdict: String {
        if diff.widensAccess { return "access widens: someone gains access" }
        if diff.narrowsAccess { return "access narrows: someone loses access, nobody gains" }
        return "access unchanged"
    }

    private func paragraph(_ policy: PolicyDiff) -> [String] {
        let title = "\(policy.type) policy '\(policy.name)'"
        let versions = "version \(policy.oldVersion.map(String.init) ?? "-") -> \(policy.newVersion.map(String.init) ?? "-")"
        var lines: [String]
        switch policy.change {
        case .added: lines = ["+ \(title): added, \(versions)"]
        case .removed: lines = ["- \(title): removed, \(versions)"]
        case .unchanged: lines = ["= \(title): \(versions), no change"]
        case .changed: lines = ["~ \(title): \(versions)"]
        }
        lines += policy.settings.map(settingLine)
        lines += policy.roles.map(roleLine)
        lines += policy.addedRoutes.map { "  + route \($0)" }
        lines += policy.removedRoutes.map { "  - route \($0)" }
        for rule in policy.rules { lines += ruleLines(rule) }
        return lines
    }

    private func settingLine(_ setting: SettingChange) -> String {
        let effect = switch (setting.widensAccess, setting.narrowsAccess) {
        case (true, true) where setting.setting == .actionParameter:
            " (widens and narrows: another parameter picks each request's action)"
        case (true, true): " (widens and narrows: other tokens are accepted)"
        case (true, false): " (widens: more tokens are accepted)"
        case (false, true): " (narrows: fewer tokens are accepted)"
        case (false, false): ""
        }
        let name = setting.setting == .rootGroup ? "root group" : setting.setting.rawValue
        return "  ~ \(name): \(quoted(setting.old)) -> \(quoted(setting.new))\(effect)"
    }

    private func roleLine(_ role: RoleChange) -> String {
        switch role.change {
        case .added: "  + role \(role.name): \(list(role.addedGroups))"
        case .removed: "  - role \(role.name): \(list(role.removedGroups))"
        case .changed:
            "  ~ role \(role.name): "
                + (role.addedGroups.map { "+ \(quoted($0))" } + role.removedGroups.map { "- \(quoted($0))" })
                .joined(separator: ", ")
        }
    }

    private func ruleLines(_ rule: RuleDiff) -> [String] {
        var lines: [String]
        switch rule.change {
        case .added: lines = ["  + \(rule.rule): \(quoted(rule.newExpression))"]
        case .removed: lines = ["  - \(rule.rule): \(quoted(rule.oldExpression))"]
        case .changed:
            lines = (rule.oldExpression ?? "").utf8.elementsEqual((rule.newExpression ?? "").utf8)
                ? ["  ~ \(rule.rule): \(quoted(rule.newExpression)) grants to other groups"]
                : ["  ~ \(rule.rule): \(quoted(rule.oldExpression)) -> \(quoted(rule.newExpression))"]
        }
        if alternatives { return lines + alternativeLines(rule) }
        let access = rule.access
        if let unlisted = access.groupsUnlisted {
            let unknown = if case .tooLarge = unlisted { " (counted as widening)" } else { "" }
            lines.append("      groups not listed: \(unlisted)\(unknown)")
        }
        lines += access.groupsGaining.map { "      gains: \(members($0, none: "(no group)"))" }
        lines += access.groupsLosing.map { "      loses: \(members($0, none: "(no group)"))" }
        if let unlisted = access.rolesUnlisted { lines.append("      roles not listed: \(unlisted)") }
        lines += access.rolesGaining.map { "      roles gain: \(members($0, none: "(no role)"))" }
        lines += access.rolesLosing.map { "      roles lose: \(members($0, none: "(no role)"))" }
        if access.isNone { lines.append("      access unchanged") }
        return lines
    }

    /// `--access`: the alternatives of `policyc access who` the rule gains and loses.
    private func alternativeLines(_ rule: RuleDiff) -> [String] {
        guard let added = rule.alternativesAdded, let removed = rule.alternativesRemoved else {
            let reason = rule.alternativesUnanalysed.map { "\($0)" } ?? ""
            return ["      alternatives not listed: \(reason)"]
        }
        let lines = added.map { "      + granted to: \(describe($0))" } + removed.map { "      - granted to: \(describe($0))" }
        return lines.isEmpty ? ["      access unchanged"] : lines
    }

    /// A set of groups or roles a caller holds: `a + b`. The empty set is a caller holding none
    /// of those the rule names.
    private func members(_ set: [String], none: String) -> String {
        set.isEmpty ? none : set.joined(separator: " + ")
    }

    private func quoted(_ text: String?) -> String {
        text.map { JSONWriter.string(.string($0)) } ?? "(none)"
    }

    private func list(_ texts: [String]) -> String {
        JSONWriter.string(.array(texts.map(JSONValue.string)), style: .line)
    }
}
