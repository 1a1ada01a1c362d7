/// Checks one parsed policy document against spec section 2 and compiles it. Every problem is
/// reported, each at the value it concerns; a policy with any error is not built.
struct PolicyChecker {
    let file: String
    let document: JSONValue
    let sourceMap: SourceMap
    let matcherKind: RouteMatcherKind
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, source: PolicySource, matcherKind: RouteMatcherKind) {
        self.file = file
        self.document = source.document
        self.sourceMap = source.sourceMap
        self.matcherKind = matcherKind
    }

    // MARK: Reporting

    private mutating func report(
        _ code: DiagnosticCode, at location: SourceLocation?, _ message: String, hint: String? = nil
    ) {
        diagnostics.append(Diagnostic(code, file: file, at: location ?? SourceLocation(line: 1, column: 1), message, hint: hint))
    }

    private mutating func report(_ code: DiagnosticCode, _ path: JSONPath, _ message: String, hint: String? = nil) {
        report(code, at: sourceMap.location(of: path), message, hint: hint)
    }

    // MARK: Fields

    private static let requiredFieldsHint =
        "a policy needs name, type, version_number, iam_subgroup_name, expected_token_issuer, expected_token_audience and roles"

    private mutating func requiredString(_ field: String) -> String? {
        guard let value = document[field] else {
            report(.missingField, .root, "missing required field '\(field)'", hint: Self.requiredFieldsHint)
            return nil
        }
        return nonEmptyString(value, field: field)
    }

    private mutating func optionalString(_ field: String) -> String?? {
        guard let value = document[field] else { return .some(nil) }
        return nonEmptyString(value, field: field).map { .some($0) }
    }

    private mutating func nonEmptyString(_ value: JSONValue, field: String) -> String? {
        let path = JSONPath.root.appending(field)
        guard case .string(let text) = value else {
            report(.wrongFieldType, path, "'\(field)' must be a string, found \(value.kindName)")
            return nil
        }
        guard !text.utf8.isEmpty else {
            report(.emptyField, path, "'\(field)' must not be empty")
            return nil
        }
        return text
    }

    // MARK: The policy

    mutating func check() -> Policy? {
        guard case .object = document else {
            report(.notAnObject, .root, "a policy must be a JSON object, found \(document.kindName)")
            return nil
        }
        let name = requiredString("name")
        let type = checkType()
        let version = checkVersionNumber()
        let iamSubgroupName = requiredString("iam_subgroup_name")
        let rootGroupField = optionalString("root_group")
        let issuer = requiredString("expected_token_issuer")
        let audience = requiredString("expected_token_audience")
        let scope = optionalString("expected_service_token_scope")
        // Read by exchange policies only; elsewhere an unknown member like any other (lint warns).
        let exchangedAudience = type == .exchange ? optionalString("exchanged_token_audience") : .some(nil)
        let summary = checkDescription()

        let rootGroup = rootGroupField.flatMap { $0 } ?? iamSubgroupName.map { "services/" + $0 }
        let roles = checkRoles(rootGroup: rootGroup ?? "")
        var program = ExpressionProgram()
        let rules = type.flatMap { checkRules(type: $0, roles: roles, program: &program) }

        guard diagnostics.isEmpty, let name, let type, let version, let iamSubgroupName, let rootGroup,
              let issuer, let audience, let scope, let exchangedAudience, let roles, let rules
        else { return nil }
        return Policy(
            identity: PolicyIdentity(type: type, name: name, version: version), source: file, bytes: sourceMap.bytes,
            versionLocation: sourceMap.location(of: JSONPath.root.appending("version_number")), document: document, summary: summary, iamSubgroupName: iamSubgroupName,
            rootGroup: rootGroup, expectedTokenIssuer: issuer, expectedTokenAudience: audience,
            expectedServiceTokenScope: scope, exchangedTokenAudience: exchangedAudience, roles: roles, program: program,
            rules: rules)
    }

    private mutating func checkType() -> PolicyType? {
        guard let text = requiredString("type") else { return nil }
        guard let type = PolicyType.allCases.first(where: { $0.rawValue.hasSameBytes(as: text) }) else {
            report(.unknownPolicyType, JSONPath.root.appending("type"), "unknown policy type '\(text)'",
                   hint: "use \"route\", \"exchange\" or \"plugin\"")
            return nil
        }
        return type
    }

    private mutating func checkVersionNumber() -> Int? {
        guard let value = document["version_number"] else {
            report(.missingField, .root, "missing required field 'version_number'", hint: Self.requiredFieldsHint)
            return nil
        }
        guard case .number(let number) = value, let integer = number.integerValue, integer > 0,
              let version = Int(exactly: integer)
        else {
            report(.invalidVersionNumber, JSONPath.root.appending("version_number"),
                   "'version_number' must be a positive integer, found \(Self.summary(of: value))",
                   hint: "write it without quotes, fraction or exponent, e.g. \"version_number\": 1")
            return nil
        }
        return version
    }

    private mutating func checkDescription() -> String? {
        guard let value = document["description"] else { return nil }
        guard case .string(let text) = value else {
            report(.wrongFieldType, JSONPath.root.appending("description"),
                   "'description' must be a string, found \(value.kindName)")
            return nil
        }
        return text
    }

    // MARK: Roles and group templates

    private mutating func checkRoles(rootGroup: String) -> [Policy.Role]? {
        let rolesPath = JSONPath.root.appending("roles")
        guard let value = document["roles"] else {
            report(.missingField, .root, "missing required field 'roles'", hint: Self.requiredFieldsHint)
            return nil
        }
        guard case .object(let members) = value else {
            report(.wrongFieldType, rolesPath, "'roles' must be an object of role name to group templates, found \(value.kindName)")
            return nil
        }
        var roles: [Policy.Role] = []
        for member in members {
            let rolePath = rolesPath.appending(member.key)
            guard case .array(let entries) = member.value else {
                report(.wrongFieldType, rolePath,
                       "role '\(member.key)' must be an array of group templates, found \(member.value.kindName)",
                       hint: "use [] for a role every caller with a valid token holds")
                continue
            }
            var templates: [CompiledGroupTemplate] = []
            for (index, entry) in entries.enumerated() {
                if let template = checkGroupTemplate(entry, path: rolePath.appending(index), rootGroup: rootGroup) {
                    templates.append(template)
                }
            }
            roles.append(Policy.Role(name: member.key, templates: templates))
        }
        return roles
    }

    private mutating func checkGroupTemplate(_ value: JSONValue, path: JSONPath, rootGroup: String) -> CompiledGroupTemplate? {
        guard case .string(let text) = value else {
            report(.wrongFieldType, path, "a group template must be a string, found \(value.kindName)")
            return nil
        }
        let template: GroupTemplate
        do {
            template = try GroupTemplate(parsing: text)
        } catch {
            report(.malformedGroupTemplate, at: sourceMap.location(of: path, stringOffset: error.offset),
                   "malformed group template '\(text)': \(error.message)",
                   hint: "write parameters as {name} and the root group as {root_group}")
            return nil
        }
        let compiled = CompiledGroupTemplate(template, rootGroup: rootGroup)
        if compiled.isEmpty {
            report(.emptyGroupTemplate, path, "group template '\(text)' names no group",
                   hint: "a role every caller holds is written with an empty list: []")
            return nil
        }
        return compiled
    }

    // MARK: Rules

    private mutating func checkRules(type: PolicyType, roles: [Policy.Role]?, program: inout ExpressionProgram) -> Policy.Rules? {
        var roleIndex: [ByteString: Int] = [:]
        for (index, role) in (roles ?? []).enumerated() { roleIndex[ByteString(role.name)] = index }
        let context = ExpressionContext(roleIndex: roleIndex, roleNames: (roles ?? []).map(\.name), rolesKnown: roles != nil)
        switch type {
        case .route: return checkRoutes(context, program: &program)
        case .exchange:
            let path = JSONPath.root.appending("exchange")
            guard let value = document["exchange"] else {
                report(.missingField, .root, "an exchange policy needs 'exchange': the role expression of who may exchange a token")
                return nil
            }
            guard let root = checkExpression(value, path: path, context, program: &program) else { return nil }
            return .exchange(expression: root, source: value.stringValue ?? "")
        case .plugin: return checkActions(context, program: &program)
        }
    }

    private mutating func checkRoutes(_ context: ExpressionContext, program: inout ExpressionProgram) -> Policy.Rules? {
        let routesPath = JSONPath.root.appending("routes")
        guard let value = document["routes"] else {
            report(.missingField, .root, "a route policy needs 'routes': route template → method → role expression")
            return nil
        }
        guard case .object(let members) = value else {
            report(.wrongFieldType, routesPath, "'routes' must be an object of route template to methods, found \(value.kindName)")
            return nil
        }
        var routes: [RouteTable.Route] = []
        var shapes: [ByteString: String] = [:]
        var valid = true
        for member in members {
            let routePath = routesPath.appending(member.key)
            let template: RouteTemplate
            do {
                template = try RouteTemplate(parsing: member.key)
            } catch {
                report(error.code, at: sourceMap.location(of: routePath, stringOffset: error.offset, inKey: true),
                       "route template '\(member.key)': \(error.message)")
                valid = false
                continue
            }
            if let earlier = shapes[template.shape] {
                report(.indistinctRouteTemplates, at: sourceMap.keyLocation(of: routePath),
                       "route template '\(member.key)' differs from '\(earlier)' only in parameter names",
                       hint: "both would match the same paths; keep one")
                valid = false
                continue
            }
            shapes[template.shape] = member.key
            guard let methods = checkMethods(member.value, path: routePath, context, program: &program) else {
                valid = false
                continue
            }
            routes.append(RouteTable.Route(template: template, methods: methods))
        }
        guard valid else { return nil }
        do {
            return .routes(try RouteTable(routes: routes, matcherKind: matcherKind))
        } catch {
            report(.routesTooLargeForMatcher, at: sourceMap.keyLocation(of: routesPath),
                   "\(error.message) (\(routes.count) route templates)",
                   hint: "use the trie matcher, policyd's default, or split the routes over several policies")
            return nil
        }
    }

    private mutating func checkMethods(
        _ value: JSONValue, path: JSONPath, _ context: ExpressionContext, program: inout ExpressionProgram
    ) -> [RouteTable.Method]? {
        guard case .object(let members) = value else {
            report(.wrongFieldType, path, "a route must be an object of HTTP method to role expression, found \(value.kindName)")
            return nil
        }
        var methods: [RouteTable.Method] = []
        var valid = true
        for member in members {
            let methodPath = path.appending(member.key)
            let name = member.key.asciiUppercased
            if let earlier = methods.first(where: { $0.name.hasSameBytes(as: name) }) {
                report(.duplicateMethod, at: sourceMap.keyLocation(of: methodPath),
                       "method '\(member.key)' is the same as '\(earlier.key)' once upper-cased",
                       hint: "methods compare case-insensitively; keep one")
                valid = false
                continue
            }
            guard let root = checkExpression(member.value, path: methodPath, context, program: &program) else {
                valid = false
                continue
            }
            methods.append(RouteTable.Method(name: name, key: member.key, expression: root, source: member.value.stringValue ?? ""))
        }
        return valid ? methods : nil
    }

    private mutating func checkActions(_ context: ExpressionContext, program: inout ExpressionProgram) -> Policy.Rules? {
        let parameter = checkActionParameter()
        let actionsPath = JSONPath.root.appending("actions")
        guard let value = document["actions"] else {
            report(.missingField, .root, "a plugin policy needs 'actions': action name → role expression")
            return nil
        }
        guard case .object(let members) = value else {
            report(.wrongFieldType, actionsPath, "'actions' must be an object of action name to role expression, found \(value.kindName)")
            return nil
        }
        var actions: [ActionTable.Action] = []
        var valid = true
        for member in members {
            guard let root = checkExpression(member.value, path: actionsPath.appending(member.key), context, program: &program) else {
                valid = false
                continue
            }
            actions.append(ActionTable.Action(name: member.key, expression: root, source: member.value.stringValue ?? ""))
        }
        guard valid, let parameter else { return nil }
        return .actions(ActionTable(actions, parameter: parameter))
    }

    /// `action_parameter` (spec 2.6): the name of the parameter that selects the action, 1 to 4
    /// non-empty parts separated by `.` (a parameter a body can nest: `service.method`); `action`
    /// when absent. Nil when it is malformed (reported).
    private mutating func checkActionParameter() -> String? {
        let field = "action_parameter"
        guard let value = document[field] else { return ActionTable.defaultParameter }
        guard let text = nonEmptyString(value, field: field) else { return nil }
        let bytes = Array(text.utf8)
        var partStart = 0
        var parts = 1
        for offset in 0...bytes.count where offset == bytes.count || bytes[offset] == UInt8(ascii: ".") {
            if offset == partStart {
                report(.malformedActionParameter,
                       at: sourceMap.location(of: JSONPath.root.appending(field), stringOffset: offset),
                       "'\(field)' '\(text)' has an empty part",
                       hint: Self.actionParameterHint)
                return nil
            }
            guard offset < bytes.count else { break }
            parts += 1
            partStart = offset + 1
            if parts > Parameters.maximumNestingLevel {
                report(.malformedActionParameter,
                       at: sourceMap.location(of: JSONPath.root.appending(field), stringOffset: partStart),
                       "'\(field)' '\(text)' has more than \(Parameters.maximumNestingLevel) parts: no parameter is nested that deep",
                       hint: Self.actionParameterHint)
                return nil
            }
        }
        return text
    }

    private static let actionParameterHint =
        "name the parameter that selects the action, its parts joined by '.': \"action\" (the default) or \"service.method\""

    // MARK: Expressions

    struct ExpressionContext {
        let roleIndex: [ByteString: Int]
        let roleNames: [String]
        /// False when `roles` itself was broken: unknown-role findings would only be noise.
        let rolesKnown: Bool
    }

    private mutating func checkExpression(
        _ value: JSONValue, path: JSONPath, _ context: ExpressionContext, program: inout ExpressionProgram
    ) -> Int? {
        guard case .string(let source) = value else {
            report(.wrongFieldType, path, "a role expression must be a string, found \(value.kindName)",
                   hint: "e.g. \"admin or namespace-viewer\"")
            return nil
        }
        let expression: RoleExpression
        do {
            expression = try ExpressionParser.parse(source)
        } catch {
            report(error.isTooDeep ? .expressionTooDeep : .expressionSyntax,
                   at: sourceMap.location(of: path, stringOffset: error.offset),
                   "in expression '\(source)': \(error.message)",
                   hint: error.isTooDeep ? nil : "expressions are role names joined by 'or', 'and', 'not' and parentheses")
            return nil
        }
        var known = true
        for reference in expression.roleReferences where context.roleIndex[ByteString(reference.name)] == nil {
            known = false
            guard context.rolesKnown else { continue }
            report(.unknownRole, at: sourceMap.location(of: path, stringOffset: reference.span.lowerBound),
                   "unknown role '\(reference.name)' in expression '\(source)'",
                   hint: Self.unknownRoleHint(reference.name, roles: context.roleNames))
        }
        guard known else { return nil }
        return program.append(expression, roleIndex: context.roleIndex)
    }

    private static func summary(of value: JSONValue) -> String {
        if case .number(let number) = value { return number.literal }
        return value.kindName
    }

    private static func unknownRoleHint(_ name: String, roles: [String]) -> String {
        guard !roles.isEmpty else { return "the policy defines no roles" }
        let closest = roles.min { editDistance($0, name) < editDistance($1, name) }!
        if editDistance(closest, name) <= max(2, name.count / 3) {
            return "did you mean '\(closest)'?"
        }
        return "roles defined: " + roles.joined(separator: ", ")
    }
}

/// Levenshtein distance over Unicode scalars, for "did you mean" hints.
func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let left = Array(lhs.unicodeScalars)
    let right = Array(rhs.unicodeScalars)
    var previous = Array(0...right.count)
    for (i, leftScalar) in left.enumerated() {
        var current = [i + 1]
        for (j, rightScalar) in right.enumerated() {
            current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (leftScalar == rightScalar ? 0 : 1)))
        }
        previous = current
    }
    return previous[right.count]
}
