/// A change of one of the settings that decide whose tokens a policy accepts, or of its root group.
public struct SettingChange: Sendable, Equatable {
    public enum Setting: String, Sendable, CaseIterable {
        /// The effective root group: `root_group`, else `services/<iam_subgroup_name>`.
        case rootGroup = "root_group"
        case tokenIssuer = "expected_token_issuer"
        case tokenAudience = "expected_token_audience"
        case serviceTokenScope = "expected_service_token_scope"
    }

    public let setting: Setting
    /// nil: not set in that version (only the scope is optional).
    public let old: String?
    public let new: String?

    /// Whether tokens refused before may be accepted now: another issuer or audience, or a scope
    /// requirement dropped or changed. A root group change is not counted here: it changes the
    /// groups of the rules, and the rules report who gains.
    public var widensAccess: Bool {
        switch setting {
        case .rootGroup: false
        case .tokenIssuer, .tokenAudience: true
        case .serviceTokenScope: old != nil
        }
    }

    /// Whether tokens accepted before may be refused now.
    public var narrowsAccess: Bool {
        switch setting {
        case .rootGroup: false
        case .tokenIssuer, .tokenAudience: true
        case .serviceTokenScope: new != nil
        }
    }

    static func changes(old: Policy, new: Policy) -> [SettingChange] {
        let pairs: [(Setting, String?, String?)] = [
            (.rootGroup, old.rootGroup, new.rootGroup),
            (.tokenIssuer, old.expectedTokenIssuer, new.expectedTokenIssuer),
            (.tokenAudience, old.expectedTokenAudience, new.expectedTokenAudience),
            (.serviceTokenScope, old.expectedServiceTokenScope, new.expectedServiceTokenScope),
        ]
        return pairs.compactMap { setting, before, after in
            switch (before, after) {
            case (nil, nil): nil
            case (let before?, let after?) where before.hasSameBytes(as: after): nil
            default: SettingChange(setting: setting, old: before, new: after)
            }
        }
    }
}
