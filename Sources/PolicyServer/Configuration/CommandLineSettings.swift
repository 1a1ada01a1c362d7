/// The settings given on the command line, unparsed, by `PolicydSetting`: absent when a flag was not
/// given, so that `ConfigurationResolver` falls back to the `POLICYD_…` variable and then the default,
/// parsing both sources the same way.
public struct CommandLineSettings: Sendable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// What one flag was given: its value, a repeatable flag's values in order, or a toggle's `true`.
    public enum Given: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
        ExpressibleByBooleanLiteral
    {
        case values([String])
        case on

        public init(stringLiteral value: String) { self = .values([value]) }
        public init(arrayLiteral values: String...) { self = .values(values) }
        /// `false` is a toggle not given; only `true` is written.
        public init(booleanLiteral isOn: Bool) { self = isOn ? .on : .values([]) }
    }

    private var given: [PolicydSetting: Given] = [:]

    public init() {}

    public init(dictionaryLiteral elements: (PolicydSetting, Given)...) {
        for (setting, value) in elements {
            given[setting] = value
        }
    }

    /// A value flag, when given.
    public mutating func record(_ setting: PolicydSetting, _ value: String?) {
        if let value { given[setting] = .values([value]) }
    }

    /// A repeatable flag, when given at least once.
    public mutating func record(_ setting: PolicydSetting, _ values: [String]) {
        if !values.isEmpty { given[setting] = .values(values) }
    }

    /// A toggle, when given.
    public mutating func record(_ setting: PolicydSetting, _ isOn: Bool) {
        if isOn { given[setting] = .on }
    }

    /// The values given for `setting`: one for a value flag, every one of a repeatable flag; empty when not given.
    func values(_ setting: PolicydSetting) -> [String] {
        if case .values(let values) = given[setting] { return values }
        return []
    }

    func isOn(_ setting: PolicydSetting) -> Bool {
        given[setting] == .on
    }

    public var description: String {
        given.map { setting, value in
            switch value {
            case .on: setting.flag
            case .values(let values): values.map { "\(setting.flag) \($0)" }.joined(separator: " ")
            }
        }.sorted().joined(separator: " ")
    }
}
