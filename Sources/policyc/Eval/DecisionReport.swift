import PolicyCore

/// A decision as a person reads it in a terminal.
struct DecisionReport {
    let decision: Decision

    /// For a denial by the expression: the groups that, added to the caller's, would allow it.
    private func grantLines(_ options: [[RoleGrant]]) -> [String] {
        guard !options.isEmpty else {
            return ["  would allow: no added group helps (the expression needs a role to be missing)"]
        }
        return options.enumerated().map { index, option in
            let text = option.map { grant in
                grant.groups.joined(separator: " or ") + " (\(grant.role))"
            }.joined(separator: " + ")
            return (index == 0 ? "  would allow with: " : "                or: ") + text
        }
    }

    var lines: [String] {
        var lines = ["\(decision.isAuthorised ? "ALLOW" : "DENY"): \(decision.reason)"]
        guard let explanation = decision.explanation else { return lines }
        let policy = explanation.policy
        lines.append("  policy:     \(policy.type) '\(policy.name)' version \(policy.version)")
        if let route = explanation.routeTemplate, let method = explanation.method {
            lines.append("  route:      \(method) \(route)")
        }
        if let action = explanation.action {
            lines.append("  action:     \(action)" + (explanation.actionParameter.map { " (the value of \($0))" } ?? ""))
        }
        if let expression = explanation.expression { lines.append("  expression: \(expression)") }
        let parameters = explanation.parameters.entries.map { "\($0.name)=\($0.value)" }
        lines.append("  parameters: " + (parameters.isEmpty ? "(none)" : parameters.joined(separator: " ")))
        lines.append("  roles:")
        for role in explanation.roles {
            let mark = role.held ? "+" : "-"
            let detail: String
            if let group = role.matchedGroup {
                detail = "holds through group \(group)"
            } else if role.held {
                detail = "held by every caller (no groups)"
            } else {
                detail = "needs one of: " + role.candidates.joined(separator: ", ")
            }
            lines.append("    \(mark) \(role.name): \(detail)")
        }
        if !decision.isAuthorised { lines += grantLines(explanation.wouldGrant) }
        return lines
    }
}
