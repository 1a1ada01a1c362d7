/// The checks of a plugin policy's `action_parameter` (spec 2.6): that callers send it, as a string,
/// and that no group template waits for it.
extension PolicyLint {
    /// What the site gatekeepers send (docs/compatibility.md, "Site gatekeepers"): the guarded
    /// service and request as strings, and objects holding the request's own parameters and body.
    static let gatekeeperStrings = ["service.node", "service.type", "service.uuid", "service.path", "service.method"]
    static let gatekeeperObjects = ["service", "service.parameters", "service.body"]

    /// A parameter "callers send" when it is `action` (the Permissions API's callers put it in the
    /// body), a string member of the gatekeepers' body (or one nested in the guarded request's
    /// parameters or body, `service.parameters.ID`), or a parameter a group template of the policy
    /// names (its author expects it; W0714 then says the template never substitutes). Anything else
    /// is probably a misspelling, and every call would be "missing or unknown action". A parameter
    /// sent as an object (the gatekeepers' `service`, or `ns` where a template names `{ns.name}`)
    /// never selects anything.
    mutating func checkActionParameter(_ table: ActionTable) {
        let name = table.parameter
        let location = sourceMap.location(of: JSONPath.root.appending("action_parameter"))
        var namedByTemplates = false
        var nestedUnder: String?
        for (roleIndex, role) in policy.roles.enumerated() {
            for (index, template) in role.templates.enumerated() {
                for parameter in template.source.parameterNames {
                    if parameter.hasSameBytes(as: name) {
                        namedByTemplates = true
                        warnTemplateNamesSelector(role: roleIndex, template: index)
                    } else if nestedUnder == nil, parameter.utf8.starts(with: (name + ".").utf8) {
                        nestedUnder = parameter
                    }
                }
            }
        }
        if Self.gatekeeperObjects.contains(name) || nestedUnder != nil {
            let why = nestedUnder.map { "a group template names {\($0)}, so callers send '\(name)' as an object" }
                ?? "the site gatekeepers send '\(name)' as an object"
            warn(.unsentActionParameter, at: location,
                 "action_parameter '\(name)' never selects an action: \(why), and only a string selects one",
                 hint: "name a member that holds a string, such as 'service.method'")
            return
        }
        let sent = name == ActionTable.defaultParameter || Self.gatekeeperStrings.contains(name)
            || ["service.parameters.", "service.body."].contains { name.utf8.starts(with: $0.utf8) } || namedByTemplates
        guard !sent else { return }
        let known = [ActionTable.defaultParameter] + Self.gatekeeperStrings
        let closest = known.min { editDistance($0, name) < editDistance($1, name) }!
        warn(.unsentActionParameter, at: location,
             "action_parameter '\(name)' names a parameter no known caller sends: every call would be 'missing or unknown action'",
             hint: editDistance(closest, name) <= max(2, name.count / 3)
                ? "did you mean '\(closest)'?"
                : "the Permissions API's callers send 'action', the site gatekeepers 'service.method'; if a caller of yours sends '\(name)', ignore this")
    }

    private mutating func warnTemplateNamesSelector(role: Int, template: Int) {
        let roleName = policy.roles[role].name
        let name = policy.actionParameter ?? ""
        warn(.actionParameterInTemplate, at: sourceMap.location(of: rolesPath.appending(roleName).appending(template)),
             "role '\(roleName)' needs {\(name)}, the parameter that selects the action: it is no parameter of the decision, so this template never names a group",
             hint: "the action's own expression already knows which action it is; give each action the roles it needs")
    }
}
