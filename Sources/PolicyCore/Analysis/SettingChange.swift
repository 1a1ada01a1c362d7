/// A change of one of the settings that decide whose tokens a policy accepts, of its root group, or
/// of the parameter that picks a plugin policy's action.
public struct SettingChange: Sendable, Equatable {
    public enum Setting: String, Sendable, CaseIterable {
        /// The effective root group: `root_group`, else `services/<iam_subgroup_name>`.
        case rootGroup = "root_group"
        case tokenIssuer = "expected_token_issuer"
        case tokenAudience = "expected_token_audience"
        case serviceTokenScope = "expected_service_token_scope"
        /// Plugin policies: the parameter whose value picks the action (spec 2.6).
        case actionParameter = "action_parameter"
    }

    public let setting: Setting
    /// nil: not set in that version (only the scope is optional; route and exchange policies have no
    /// action parameter).
    public let old: String?
    public let new: String?

    /// Whether tokens refused before may be accepted now: another issuer or audience, or a scope
    /// requirement dropped or changed; or requests decided by another action than before (another
    /// `action_parameter`). A root group change is not counted here: it changes the groups of the
    /// rules, and the rules report who gains.
    public var widensAccess: Bool {
        switch setting {
        case .rootGroup: false
        case .tokenIssuer, .tokenAudience, .actionParameter: true
        case .serviceTokenScope: old != nil
        }
    }

    /// Whether tokens accepted before may be refused now, or requests decided by another action.
    public var narrowsAccess: Bool {
        switch setting {
        case .rootGroup: false
        case .tokenIssuer, .tokenAudience, .actionParameter: true
        case .serviceTokenScope: new != nil
        }
    }

    static func changes(old: Policy, new: Policy) -> [SettingChange] {
        let pairs: [(Setting, String?, String?)] = [
            (.rootGroup, old.rootGroup, new.rootGroup),
            (.tokenIssuer, old.expectedTokenIssuer, new.expectedTokenIssuer),
            (.tokenAudience, old.expectedTokenAudience, new.expectedTokenAudience),
            (.serviceTokenScope, old.expectedServiceTokenScope, new.expectedServiceTokenScope),
            (.actionParameter, old.actionParameter, new.actionParameter),
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
