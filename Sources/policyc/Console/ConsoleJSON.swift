import PolicyCore

/// The documents the console's page reads: `/api/diagnostics` and `/api/policies`.
enum ConsoleJSON {
    static func diagnostics(_ state: ConsoleWorkspace.State) -> JSONValue {
        let summary = LintSummary(state.diagnostics)
        return .object([
            JSONMember("generation", number(state.generation)),
            JSONMember("loads", .bool(summary.errors == 0)),
            JSONMember("summary", .string(summary.line)),
            JSONMember("diagnostics", .array(state.diagnostics.map { diagnostic in
                var members = [
                    JSONMember("text", .string(diagnostic.description)),
                    JSONMember("file", .string(diagnostic.file)),
                    JSONMember("severity", .string(diagnostic.severity.rawValue)),
                    JSONMember("code", .string(diagnostic.code.rawValue)),
                    JSONMember("message", .string(diagnostic.message)),
                ]
                if let location = diagnostic.location {
                    members.append(JSONMember("line", number(location.line)))
                    members.append(JSONMember("column", number(location.column)))
                    members.append(JSONMember("excerpt", excerpt(state.sources[diagnostic.file] ?? [], around: location.line)))
                }
                return .object(members)
            })),
        ])
    }

    /// The line of a finding with one line either side, numbered from 1.
    private static func excerpt(_ source: [UInt8], around line: Int) -> JSONValue {
        let lines = source.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let range = max(1, line - 1)...min(lines.count, line + 1)
        guard !range.isEmpty, line <= lines.count else { return .array([]) }
        return .array(range.map { number in
            .object([
                JSONMember("line", self.number(number)),
                JSONMember("text", .string(String(decoding: lines[number - 1], as: UTF8.self))),
            ])
        })
    }

    /// Each policy with its roles, its rules and who each grants (the alternatives of `policyc
    /// access who`), and the matrix of rules by roles.
    static func policies(_ state: ConsoleWorkspace.State, alternativeLimit: Int) -> JSONValue {
        .object([
            JSONMember("generation", number(state.generation)),
            JSONMember("policies", .array(state.policies.policies.map { policy in
                let matrix = RoleMatrix(policy: policy)
                let access = PolicyAccess(policy: policy, limit: alternativeLimit)
                return .object([
                    JSONMember("type", .string(policy.type.rawValue)),
                    JSONMember("name", .string(policy.name)),
                    JSONMember("version", number(policy.version)),
                    JSONMember("file", .string(policy.source)),
                    JSONMember("root_group", .string(policy.rootGroup)),
                    JSONMember("action_parameter", policy.actionParameter.map(JSONValue.string) ?? .null),
                    JSONMember("roles", .array(matrix.roles.map { role in
                        .object([
                            JSONMember("name", .string(role.name)),
                            JSONMember("groups", .array(role.templates.map(JSONValue.string))),
                        ])
                    })),
                    JSONMember("rules", .array(zip(access.rules, matrix.rows).map { rule, row in
                        .object([
                            JSONMember("rule", .string(rule.rule.description)),
                            JSONMember("expression", .string(rule.expression)),
                            JSONMember("grants", rule.grants.alternatives.map { .array($0.map(\.json)) } ?? .null),
                            JSONMember("unanalysed", rule.grants.unanalysed.map { .string($0.description) } ?? .null),
                            JSONMember("everyone", .bool(row.grantsEveryone)),
                            JSONMember("cells", .array(row.cells.map { .string($0.rawValue) })),
                        ])
                    })),
                ])
            })),
        ])
    }

    private static func number(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }
}
