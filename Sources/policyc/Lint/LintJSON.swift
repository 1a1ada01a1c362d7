import PolicyCore

/// `policyc lint --format json`: the findings as data, and the counts.
enum LintJSON {
    static func document(_ diagnostics: [Diagnostic]) -> JSONValue {
        let summary = LintSummary(diagnostics)
        return .object([
            JSONMember("diagnostics", .array(diagnostics.map(entry))),
            JSONMember("errors", .number(JSONNumber(Int64(summary.errors)))),
            JSONMember("warnings", .number(JSONNumber(Int64(summary.warnings)))),
            JSONMember("notes", .number(JSONNumber(Int64(summary.notes)))),
        ])
    }

    private static func entry(_ diagnostic: Diagnostic) -> JSONValue {
        var members = [
            JSONMember("code", .string(diagnostic.code.rawValue)),
            JSONMember("severity", .string(diagnostic.severity.rawValue)),
            JSONMember("file", .string(diagnostic.file)),
        ]
        if let location = diagnostic.location {
            members.append(JSONMember("line", .number(JSONNumber(Int64(location.line)))))
            members.append(JSONMember("column", .number(JSONNumber(Int64(location.column)))))
        }
        members.append(JSONMember("message", .string(diagnostic.message)))
        if let hint = diagnostic.hint { members.append(JSONMember("hint", .string(hint))) }
        return .object(members)
    }
}
