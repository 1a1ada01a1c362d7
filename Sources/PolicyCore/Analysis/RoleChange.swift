/// A role defined in only one version, or whose group templates differ, compared as written
/// (`{root_group}` unsubstituted: a root group change is reported once, as a setting).
public struct RoleChange: Sendable, Equatable {
    public enum Change: String, Sendable {
        case added, removed, changed
    }

    public let name: String
    public let change: Change
    /// For an added role, all of its templates; for a removed one, `removedGroups` holds them all.
    public let addedGroups: [String]
    public let removedGroups: [String]

    static func changes(old: Policy, new: Policy) -> [RoleChange] {
        func templates(_ role: Policy.Role) -> [String] { role.templates.map(\.source.text) }
        func named(_ name: String, in policy: Policy) -> Policy.Role? {
            policy.roles.first { $0.name.hasSameBytes(as: name) }
        }
        var changes: [RoleChange] = []
        for role in new.roles {
            guard let before = named(role.name, in: old) else {
                changes.append(RoleChange(name: role.name, change: .added, addedGroups: templates(role), removedGroups: []))
                continue
            }
            let beforeSet = Set(templates(before).map(ByteString.init))
            let afterSet = Set(templates(role).map(ByteString.init))
            let added = templates(role).filter { !beforeSet.contains(ByteString($0)) }
            let removed = templates(before).filter { !afterSet.contains(ByteString($0)) }
            if !added.isEmpty || !removed.isEmpty {
                changes.append(RoleChange(name: role.name, change: .changed, addedGroups: added, removedGroups: removed))
            }
        }
        for role in old.roles where named(role.name, in: new) == nil {
            changes.append(RoleChange(name: role.name, change: .removed, addedGroups: [], removedGroups: templates(role)))
        }
        return changes
    }
}
