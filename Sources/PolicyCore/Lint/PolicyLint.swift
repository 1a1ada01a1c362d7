/// The lint checks of one policy that loaded.
struct PolicyLint {
    let policy: Policy
    let sourceMap: SourceMap
    private(set) var findings: [Diagnostic] = []

    init(policy: Policy, sourceMap: SourceMap) {
        self.policy = policy
        self.sourceMap = sourceMap
    }

    mutating func run() {
        checkMembers()
        checkRootGroup()
        checkRoles()
        checkExpressions()
        if case .routes(let table) = policy.rules { checkRoutes(table) }
        if case .actions(let table) = policy.rules { checkActionParameter(table) }
    }

    mutating func warn(
        _ code: DiagnosticCode, at location: SourceLocation?, _ message: String, hint: String? = nil,
        severity: Diagnostic.Severity = .warning
    ) {
        findings.append(Diagnostic(code, severity, file: policy.source, at: location, message, hint: hint))
    }

    var rolesPath: JSONPath { JSONPath.root.appending("roles") }

    /// Every expression of the policy with where it stands in the source and what it guards.
    var expressions: [(root: Int, path: JSONPath, subject: String)] {
        switch policy.rules {
        case .routes(let table):
            table.routes.flatMap { route in
                route.methods.map { method in
                    (method.expression, JSONPath.root.appending("routes").appending(route.template.text).appending(method.key),
                     "\(method.name) \(route.template.text)")
                }
            }
        case .exchange(let expression, _):
            [(expression, JSONPath.root.appending("exchange"), "the exchange")]
        case .actions(let table):
            table.actions.map { action in
                (action.expression, JSONPath.root.appending("actions").appending(action.name), "action '\(action.name)'")
            }
        }
    }

    // MARK: Members

    private static let commonMembers = [
        "name", "type", "version_number", "description", "iam_subgroup_name", "root_group",
        "expected_token_issuer", "expected_token_audience", "expected_service_token_scope", "roles",
    ]

    private mutating func checkMembers() {
        guard case .object(let members) = policy.document else { return }
        let section = switch policy.type {
        case .route: "routes"
        case .exchange: "exchange"
        case .plugin: "actions"
        }
        let ownMembers = switch policy.type {
        case .route: [section]
        case .exchange: [section, "exchanged_token_audience"]
        case .plugin: [section, "action_parameter"]
        }
        for member in members where !(Self.commonMembers + ownMembers).contains(where: { $0.hasSameBytes(as: member.key) }) {
            let hint = if ["routes", "exchange", "actions"].contains(member.key) {
                "a \(policy.type) policy reads '\(section)' only"
            } else if member.key == "action_parameter" {
                "only plugin policies read it (spec 2.6): it selects the entry of 'actions'; remove it"
            } else {
                "check the spelling, or remove it"
            }
            warn(.unknownMember, at: sourceMap.keyLocation(of: JSONPath.root.appending(member.key)),
                 "'\(member.key)' is not a member of \(policy.type) policies; it is ignored", hint: hint)
        }
    }

    /// `{root_group}` is substituted as it is: braces in it are text, not a parameter, yet every
    /// group printed with it (`svc/{a}/admin` in `access who`) reads as one with a parameter.
    private mutating func checkRootGroup() {
        guard policy.rootGroup.utf8.contains(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }) else { return }
        let member = policy.document["root_group"] == nil ? "iam_subgroup_name" : "root_group"
        warn(.rootGroupWithBraces, at: sourceMap.location(of: JSONPath.root.appending(member)),
             "the root group '\(policy.rootGroup)' has a brace: it is taken as text, never as a parameter",
             hint: "a root group is one fixed group path; name parameters in the role templates after {root_group}")
    }

    // MARK: Roles

    private mutating func checkRoles() {
        var used = Set<Int>()
        for expression in expressions { used.formUnion(policy.program.roles(of: expression.root)) }
        for (index, role) in policy.roles.enumerated() {
            let location = sourceMap.keyLocation(of: rolesPath.appending(role.name))
            if !ExpressionLexer.isRoleName(role.name) {
                warn(.unreferenceableRole, at: location,
                     "role name '\(role.name)' cannot appear in an expression",
                     hint: "role names are [A-Za-z0-9_][A-Za-z0-9_.:-]* and not 'or', 'and' or 'not'")
            } else if !used.contains(index) {
                warn(.unusedRole, at: location, "role '\(role.name)' is defined but never used",
                     hint: "remove it, or use it in an expression")
            }
            if role.holdsForEveryone && !role.name.hasSameBytes(as: "any") {
                warn(.everyoneRoleNotNamedAny, at: location,
                     "role '\(role.name)' has no groups: every caller with a valid token holds it",
                     hint: "if that is meant, call it 'any' so readers see it; otherwise list its groups")
            }
        }
    }

    // MARK: Expressions

    /// `not blocked` with `blocked: ["blocklist/{user}"]` grants whenever the request carries no
    /// usable `user`: the spec's rule (an unusable parameter matches nothing) fails open there.
    private mutating func checkNegatedParameterRoles(_ root: Int, subject: String, at location: SourceLocation?) {
        for role in policy.program.negatedRoles(of: root) {
            let parameters = policy.roles[role].templates.flatMap(\.source.parameterNames)
            guard let first = parameters.first else { continue }
            let name = policy.roles[role].name
            warn(.negatedParameterRole, at: location,
                 "in \(subject), '\(name)' is negated and needs {\(first)}: a request without a usable {\(first)} makes '\(name)' false, so 'not \(name)' grants",
                 hint: "deny by a group the caller holds without parameters (e.g. {root_group}/blocked), or require the parameter with another role")
        }
    }

    /// Beyond this many distinct roles an expression is not enumerated (2^16 evaluations).
    static let constantCheckRoleLimit = 16

    private mutating func checkExpressions() {
        for expression in expressions {
            let location = sourceMap.location(of: expression.path)
            checkNegatedParameterRoles(expression.root, subject: expression.subject, at: location)
            let roles = policy.program.roles(of: expression.root)
            guard roles.count <= Self.constantCheckRoleLimit else { continue }
            var alwaysTrue = true
            var alwaysFalse = true
            var grantsAnyone = false
            for assignment in 0..<(1 << roles.count) {
                let result = policy.program.evaluate(expression.root) { role in
                    assignment & (1 << roles.firstIndex(of: role)!) != 0
                }
                if result { alwaysFalse = false } else { alwaysTrue = false }
                // Roles with no groups are held by every caller: only assignments that hold them count.
                let realistic = roles.enumerated().allSatisfy { position, role in
                    !policy.roles[role].holdsForEveryone || assignment & (1 << position) != 0
                }
                if result && realistic { grantsAnyone = true }
            }
            if alwaysTrue {
                warn(.constantExpression, at: location,
                     "the expression of \(expression.subject) is always true, whatever roles the caller holds",
                     hint: "every caller with a valid token is allowed; if that is meant, write 'any' (a role with no groups)")
            } else if alwaysFalse {
                warn(.constantExpression, at: location,
                     "the expression of \(expression.subject) is always false: nobody is ever allowed",
                     hint: "remove the entry to deny, or fix the expression")
            } else if !grantsAnyone {
                warn(.constantExpression, at: location,
                     "the expression of \(expression.subject) can never be true: it needs a role that every caller holds to be missing",
                     hint: "a role with no groups is held by everyone, so 'not' of it is always false")
            } else {
                checkConstantThroughSharedGroups(expression.root, subject: expression.subject, at: location)
            }
        }
    }

    /// Roles are not independent when they name the same group: one group gives both. What holds
    /// over the groups themselves is what `policyc access who` answers (`GrantAlternatives`):
    /// nobody, or every caller with a valid token.
    private mutating func checkConstantThroughSharedGroups(_ root: Int, subject: String, at location: SourceLocation?) {
        let side = RuleSide(policy: policy, expression: root, source: "")
        let shared = Self.sharedGroups(of: side)
        guard !shared.isEmpty, let alternatives = GrantAlternatives(side: side).alternatives else { return }
        let named = shared.map { "'\($0)'" }.joined(separator: ", ")
        if alternatives.isEmpty {
            warn(.constantExpression, at: location,
                 "the expression of \(subject) can never be true: its roles share the group \(named), which gives them together",
                 hint: "a caller holding a group holds every role that names it; give each role its own groups, or fix the expression")
        } else if alternatives.contains(where: \.isUnconditional) {
            warn(.constantExpression, at: location,
                 "the expression of \(subject) is always true, whatever groups the caller holds: its roles share the group \(named)",
                 hint: "every caller with a valid token is allowed; if that is meant, write 'any' (a role with no groups)")
        }
    }

    /// The groups (as a caller holds them) that more than one role of the expression names.
    private static func sharedGroups(of side: RuleSide) -> [String] {
        var rolesNaming: [ByteString: Int] = [:]
        var shared: [String] = []
        for role in side.roleIndices {
            var seen: Set<ByteString> = []
            for held in side.usableTemplates(of: role).map({ ByteString($0.heldText) }) where seen.insert(held).inserted {
                rolesNaming[held, default: 0] += 1
                if rolesNaming[held] == 2 { shared.append(held.description) }
            }
        }
        return shared
    }
}
