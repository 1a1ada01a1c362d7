import PolicyCore

/// `policyc lint --format sarif`: a SARIF 2.1.0 log, which code hosts turn into annotations on
/// the lines of a pull request.
enum SARIFLog {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    static func document(_ diagnostics: [Diagnostic]) -> JSONValue {
        let codes = DiagnosticCode.allCases
        let rules = JSONValue.array(codes.map { code in
            .object([
                JSONMember("id", .string(code.rawValue)),
                JSONMember("name", .string(code.name)),
                JSONMember("shortDescription", .object([JSONMember("text", .string(code.summary))])),
                JSONMember("defaultConfiguration", .object([JSONMember("level", .string(level(of: code)))])),
            ])
        })
        let results = JSONValue.array(diagnostics.map { diagnostic in
            var region: [JSONMember] = []
            if let location = diagnostic.location {
                region = [
                    JSONMember("startLine", .number(JSONNumber(Int64(location.line)))),
                    JSONMember("startColumn", .number(JSONNumber(Int64(location.column)))),
                ]
            }
            var physical = [JSONMember("artifactLocation", .object([JSONMember("uri", .string(diagnostic.file))]))]
            if !region.isEmpty { physical.append(JSONMember("region", .object(region))) }
            let message = diagnostic.hint.map { "\(diagnostic.message). Hint: \($0)" } ?? diagnostic.message
            return .object([
                JSONMember("ruleId", .string(diagnostic.code.rawValue)),
                JSONMember("ruleIndex", .number(JSONNumber(Int64(codes.firstIndex(of: diagnostic.code)!)))),
                JSONMember("level", .string(diagnostic.severity.rawValue)),
                JSONMember("message", .object([JSONMember("text", .string(message))])),
                JSONMember("locations", .array([.object([JSONMember("physicalLocation", .object(physical))])])),
            ])
        })
        return .object([
            JSONMember("$schema", .string(schema)),
            JSONMember("version", .string("2.1.0")),
            JSONMember("runs", .array([.object([
                JSONMember("tool", .object([JSONMember("driver", .object([
                    JSONMember("name", .string("policyc")),
                    JSONMember("rules", rules),
                ]))])),
                JSONMember("results", results),
            ])])),
        ])
    }

    private static func level(of code: DiagnosticCode) -> String {
        switch code.rawValue.first {
        case "E": "error"
        case "W": "warning"
        default: "note"
        }
    }
}
