/// One checked and compiled policy. Immutable and shared: every decision reads it, none copies.
public final class Policy: Sendable {
    public let identity: PolicyIdentity
    /// The file it was loaded from.
    public let source: String
    /// That file's bytes, exactly as read: with the identity, all that the set's revision covers
    /// (docs/operations.md, "Policy revision").
    public let bytes: [UInt8]
    /// Where `version_number` stands in that file, as it was read: findings about the policy's
    /// identity made after loading (two files of one identity, a gap in versions) point there.
    let versionLocation: SourceLocation?
    /// The document as loaded, for `GET /policies/{type}/{service}/{version}`.
    public let document: JSONValue
    public let summary: String?
    public let iamSubgroupName: String
    /// `root_group` when given, else `services/<iam_subgroup_name>`.
    public let rootGroup: String
    public let expectedTokenIssuer: String
    public let expectedTokenAudience: String
    public let expectedServiceTokenScope: String?
    /// Exchange policies: `exchanged_token_audience`, the audience of the token the Auth API mints
    /// for the service (see `PolicySet.exchangedTokenAudience(for:)`).
    public let exchangedTokenAudience: String?

    let roles: [Role]
    /// `roles`' templates, laid out for deciding.
    let roleTemplates: RoleTemplateTable
    let program: ExpressionProgram
    let rules: Rules

    struct Role: Sendable {
        let name: String
        let templates: [CompiledGroupTemplate]
        /// `"any": []` — holds for every caller with a valid token.
        var holdsForEveryone: Bool { templates.isEmpty }
    }

    enum Rules: Sendable {
        case routes(RouteTable)
        case exchange(expression: Int, source: String)
        case actions(ActionTable)
    }

    init(
        identity: PolicyIdentity, source: String, bytes: [UInt8], versionLocation: SourceLocation? = nil, document: JSONValue, summary: String?,
        iamSubgroupName: String, rootGroup: String, expectedTokenIssuer: String,
        expectedTokenAudience: String, expectedServiceTokenScope: String?, exchangedTokenAudience: String? = nil,
        roles: [Role], program: ExpressionProgram, rules: Rules
    ) {
        self.identity = identity
        self.source = source
        self.bytes = bytes
        self.versionLocation = versionLocation
        self.document = document
        self.summary = summary
        self.iamSubgroupName = iamSubgroupName
        self.rootGroup = rootGroup
        self.expectedTokenIssuer = expectedTokenIssuer
        self.expectedTokenAudience = expectedTokenAudience
        self.expectedServiceTokenScope = expectedServiceTokenScope
        self.exchangedTokenAudience = exchangedTokenAudience
        self.roles = roles
        roleTemplates = RoleTemplateTable(roles)
        self.program = program
        self.rules = rules
    }

    public var type: PolicyType { identity.type }
    public var name: String { identity.name }
    public var version: Int { identity.version }
    public var roleNames: [String] { roles.map(\.name) }

    /// Plugin policies: the parameter whose value selects the entry of `actions` (`action_parameter`,
    /// by default `action`); nil for route and exchange policies, which ignore it.
    public var actionParameter: String? {
        guard case .actions(let table) = rules else { return nil }
        return table.parameter
    }

    /// Route templates in source order (route policies only).
    public var routeTemplates: [String] {
        guard case .routes(let table) = rules else { return [] }
        return table.routes.map(\.template.text)
    }
}

/// The actions of a plugin policy; the value of the parameter `parameter` (a JSON string) picks
/// one by exact bytes.
struct ActionTable: Sendable {
    struct Action: Sendable {
        let name: String
        let expression: Int
        let source: String
    }

    /// The default `action_parameter`: the body's `action`, as the Permissions API's callers send it.
    static let defaultParameter = "action"

    let actions: [Action]
    let parameter: String
    private let index: ByteStringSet

    init(_ actions: [Action], parameter: String = defaultParameter) {
        self.actions = actions
        self.parameter = parameter
        self.index = ByteStringSet(actions.map { Array($0.name.utf8) })
    }

    func action(named name: String) -> Action? {
        index.index(of: Array(name.utf8)).map { actions[$0] }
    }
}
