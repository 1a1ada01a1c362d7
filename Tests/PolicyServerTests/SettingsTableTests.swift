import Foundation
import PolicyServer
import Testing

/// docs/operations.md's table of settings is `PolicydSetting.all`, row for row: each setting's flag,
/// variable and default as declared, so that the documentation cannot drift from what policyd reads;
/// and a default declared as a value is the one that holds when the setting is not given.
@Suite struct SettingsTableTests {
    @Test func theOperationsTableIsTheDeclarations() throws {
        let documented = try Self.documentedRows()
        let declared = PolicydSetting.all.map(Self.row)
        for (index, row) in declared.enumerated() where index >= documented.count || documented[index] != row {
            Issue.record("docs/operations.md's settings, row \(index + 1): expected \(row), found \(index < documented.count ? documented[index] : [])")
            return
        }
        #expect(documented.count == declared.count, "docs/operations.md has settings that are not declared")
    }

    @Test func flagsAndVariablesAreUnique() {
        #expect(Set(PolicydSetting.all.map(\.name)).count == PolicydSetting.all.count)
        #expect(Set(PolicydSetting.all).count == PolicydSetting.all.count)
    }

    /// Giving a setting its declared default changes nothing: the help and the documentation tell
    /// the truth about what holds when it is not given.
    @Test func aDefaultDeclaredAsAValueIsTheDefault() throws {
        let noKeys = DevelopmentKeys.SearchLocations(workingDirectory: "/nonexistent", executablePaths: [])
        let unset = try ConfigurationResolver(flags: [:], environment: [:], developmentKeySearch: noKeys).resolve()
        for setting in PolicydSetting.all {
            guard case .value(let value, _) = setting.defaultValue else { continue }
            let given = try ConfigurationResolver(flags: [setting: .values([value])], environment: [:], developmentKeySearch: noKeys)
                .resolve()
            #expect(String(reflecting: given) == String(reflecting: unset), "\(setting.flag) \(value) is not the default")
        }
    }

    /// The flag, variable and default cells of a setting's row, as docs/operations.md writes them.
    static func row(_ setting: PolicydSetting) -> [String] {
        let flag: String
        let variable: String
        switch setting.form {
        case .value(let value):
            flag = "`\(setting.flag) \(value)`"
            variable = "`\(setting.variable)`"
        case .list(let value):
            flag = "`\(setting.flag) \(value)` (repeatable)"
            variable = "`\(setting.variable)` (comma- or newline-separated)"
        case .toggle:
            flag = "`\(setting.flag)`"
            variable = "`\(setting.variable)=1`"
        case .variableOnly:
            flag = "never a flag"
            variable = "`\(setting.variable)`"
        }
        let defaultCell = switch setting.defaultValue {
        case .value(let value, nil): "`\(value)`"
        case .value(let value, let bound?): "`\(value)` (\(bound))"
        case .described(let words): words
        }
        return [flag, variable, defaultCell]
    }

    /// The first three cells of each row of the table under `| flag | variable | default | meaning |`.
    static func documentedRows() throws -> [[String]] {
        let text = try String(
            contentsOf: TestKeys.packageRoot.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let header = try #require(lines.firstIndex(of: "| flag | variable | default | meaning |"))
        return lines[(header + 2)...].prefix { $0.hasPrefix("|") }.map { line in
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().prefix(3)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }
}
