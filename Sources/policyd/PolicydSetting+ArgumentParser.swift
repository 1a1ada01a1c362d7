import ArgumentParser
import PolicyServer

/// `@Option(name: .setting(.port), help: .setting(.port))`: an option's name and help from its
/// declaration, so that neither is written again here.
extension NameSpecification {
    static func setting(_ setting: PolicydSetting) -> NameSpecification {
        .customLong(setting.name)
    }
}

extension ArgumentHelp {
    static func setting(_ setting: PolicydSetting) -> ArgumentHelp {
        ArgumentHelp(setting.help, valueName: setting.valueName)
    }
}
