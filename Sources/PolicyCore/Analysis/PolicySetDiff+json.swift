extension PolicySetDiff {
    /// `policyc diff --format json`: `{"widens": bool, "narrows": bool, "policies": [...]}`, each
    /// policy with its versions, settings, roles, routes and rules (documented in docs/policyc.md).
    public var json: JSONValue { json(alternatives: false) }

    /// With `alternatives`, each rule also has `alternatives_added` and `alternatives_removed`
    /// (`policyc diff --access`).
    public func json(alternatives: Bool) -> JSONValue {
        .object([
            JSONMember("widens", .bool(widensAccess)),
            JSONMember("narrows", .bool(narrowsAccess)),
            JSONMember("policies", .array(policies.map { $0.json(alternatives: alternatives) })),
        ])
    }
}

extension PolicyDiff {
    public func json(alternatives: Bool = false) -> JSONValue {
        .object([
            JSONMember("type", .string(type.rawValue)),
            JSONMember("name", .string(name)),
            JSONMember("change", .string(change.rawValue)),
            JSONMember("old_version", oldVersion.map { .number(JSONNumber(Int64($0))) } ?? .null),
            JSONMember("new_version", newVersion.map { .number(JSONNumber(Int64($0))) } ?? .null),
            JSONMember("widens", .bool(widensAccess)),
            JSONMember("narrows", .bool(narrowsAccess)),
            JSONMember("settings", .array(settings.map(\.json))),
            JSONMember("roles", .array(roles.map(\.json))),
            JSONMember("routes_added", .strings(addedRoutes)),
            JSONMember("routes_removed", .strings(removedRoutes)),
            JSONMember("rules", .array(rules.map { $0.json(alternatives: alternatives) })),
        ])
    }
}

extension SettingChange {
    var json: JSONValue {
        .object([
            JSONMember("setting", .string(setting.rawValue)),
            JSONMember("old", old.map(JSONValue.string) ?? .null),
            JSONMember("new", new.map(JSONValue.string) ?? .null),
            JSONMember("widens", .bool(widensAccess)),
            JSONMember("narrows", .bool(narrowsAccess)),
        ])
    }
}

extension RoleChange {
    var json: JSONValue {
        .object([
            JSONMember("name", .string(name)),
            JSONMember("change", .string(change.rawValue)),
            JSONMember("groups_added", .strings(addedGroups)),
            JSONMember("groups_removed", .strings(removedGroups)),
        ])
    }
}

extension RuleDiff {
    func json(alternatives: Bool) -> JSONValue {
        var members = [JSONMember("rule", .string(rule.description))] + rule.jsonMembers
        members += [
            JSONMember("change", .string(change.rawValue)),
            JSONMember("old_expression", oldExpression.map(JSONValue.string) ?? .null),
            JSONMember("new_expression", newExpression.map(JSONValue.string) ?? .null),
            JSONMember("groups_gaining", .sets(access.groupsGaining, unlisted: access.groupsUnlisted)),
            JSONMember("groups_losing", .sets(access.groupsLosing, unlisted: access.groupsUnlisted)),
            JSONMember("roles_gaining", .sets(access.rolesGaining, unlisted: access.rolesUnlisted)),
            JSONMember("roles_losing", .sets(access.rolesLosing, unlisted: access.rolesUnlisted)),
            JSONMember("groups_unlisted", access.groupsUnlisted.map { .string($0.description) } ?? .null),
            JSONMember("roles_unlisted", access.rolesUnlisted.map { .string($0.description) } ?? .null),
        ]
        if alternatives {
            // null when not listed, as the sets above.
            members.append(JSONMember("alternatives_added", alternativesAdded.map { .array($0.map(\.json)) } ?? .null))
            members.append(JSONMember("alternatives_removed", alternativesRemoved.map { .array($0.map(\.json)) } ?? .null))
            members.append(JSONMember("alternatives_unlisted", alternativesUnanalysed.map { .string($0.description) } ?? .null))
        }
        return .object(members)
    }
}

extension RuleDiff.Rule {
    /// `route` and `method`, or `action`; nothing for the exchange; for moved paths, the template
    /// whose paths moved as `route` and the one that decides them now as `now_decided_by`.
    var jsonMembers: [JSONMember] {
        switch self {
        case .route(let template, let method): [JSONMember("route", .string(template)), JSONMember("method", .string(method))]
        case .exchange: []
        case .action(let name): [JSONMember("action", .string(name))]
        case .movedPaths(let method, let before, let after):
            [JSONMember("route", .string(before)), JSONMember("method", .string(method)), JSONMember("now_decided_by", .string(after))]
        }
    }
}

private extension JSONValue {
    static func strings(_ strings: [String]) -> JSONValue { .array(strings.map(JSONValue.string)) }

    /// null when not listed: an empty list would claim that nobody gains.
    static func sets(_ sets: [[String]], unlisted: AccessChange.Unlisted?) -> JSONValue {
        unlisted == nil ? .array(sets.map(strings)) : .null
    }
}
