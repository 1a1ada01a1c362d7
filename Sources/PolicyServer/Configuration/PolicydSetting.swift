/// One of policyd's settings, declared once: its flag `--NAME`, its environment variable
/// `POLICYD_NAME` (derived from the flag), what it takes, its default as the help and
/// docs/operations.md state it, and its help line. `Policyd` declares its options from these,
/// `ConfigurationResolver` reads each flag, then its variable, through them, and
/// `SettingsTableTests` holds docs/operations.md's table to them. The settings are in
/// `PolicydSetting+all.swift`.
public struct PolicydSetting: Sendable, Hashable, CustomStringConvertible {
    public enum Form: Sendable, Hashable {
        /// `--NAME VALUE`, or the variable's value; `VALUE` is what the help and docs call it.
        case value(String)
        /// `--NAME VALUE`, repeatable, or the variable as a comma- or newline-separated list.
        case list(String)
        /// `--NAME` alone turns it on, or the variable as 1 or 0.
        case toggle
        /// The variable only, never a flag: a secret, which the process list would show.
        case variableOnly
    }

    public enum Default: Sendable, Hashable {
        /// The value that holds when the setting is not given, as it would be given; `bound` says
        /// what else may lower or raise it (`at most the idle timeout`).
        case value(String, bound: String? = nil)
        /// What holds when the setting is not given, in words (`code` spans as in markdown).
        case described(String)
    }

    /// The flag's name without its `--`.
    public let name: String
    public let form: Form
    public let defaultValue: Default
    /// A sentence or two, without the default (the help line adds it).
    public let summary: String

    init(_ name: String, _ form: Form, default defaultValue: Default, _ summary: String) {
        self.name = name
        self.form = form
        self.defaultValue = defaultValue
        self.summary = summary
    }

    public var flag: String { "--" + name }

    public var variable: String { "POLICYD_" + String(name.uppercased().map { $0 == "-" ? "_" : $0 }) }

    /// The help line: the summary, whether the flag repeats, and the default (a toggle's is off).
    public var help: String {
        let repeats = if case .list = form { " Repeatable." } else { "" }
        switch (form, defaultValue) {
        case (.toggle, _): return summary
        case (_, .value(let value, nil)): return summary + repeats + " Default: \(value)."
        case (_, .value(let value, let bound?)): return summary + repeats + " Default: \(value) (\(bound))."
        case (_, .described(let words)): return summary + repeats + " Default: \(words.filter { $0 != "`" })."
        }
    }

    /// The default as a value given would be (`info`); empty when it is described in words instead.
    public var valueByDefault: String {
        if case .value(let value, _) = defaultValue { return value }
        return ""
    }

    /// The value's name in the help (`<seconds>`); nil for a toggle.
    public var valueName: String? {
        switch form {
        case .value(let name), .list(let name): name.lowercased()
        case .toggle, .variableOnly: nil
        }
    }

    public var description: String { form == .variableOnly ? variable : flag }
}
