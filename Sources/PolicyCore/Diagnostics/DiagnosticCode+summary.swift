extension DiagnosticCode {
    /// The code's name, as SARIF rules want one: `unknownRole` → `UnknownRole`.
    public var name: String {
        let text = String(describing: self)
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// What the code means, in one sentence, for rule lists (SARIF) and documentation.
    public var summary: String {
        switch self {
        case .jsonSyntax: "The file is not valid JSON (or repeats a key)."
        case .unreadableFile: "The file cannot be read."
        case .notAnObject: "A policy must be a JSON object."
        case .missingField: "A required field is missing."
        case .wrongFieldType: "A field has the wrong JSON type."
        case .emptyField: "A field that names something is empty."
        case .unknownPolicyType: "The policy type is not route, exchange or plugin."
        case .invalidVersionNumber: "version_number is not a positive integer."
        case .malformedActionParameter: "action_parameter is not 1 to 4 non-empty parts separated by '.'."
        case .expressionSyntax: "A role expression does not parse."
        case .unknownRole: "A role expression names a role the policy does not define."
        case .expressionTooDeep: "A role expression is nested too deeply."
        case .malformedRouteTemplate: "A route template breaks the template rules."
        case .rootGroupRouteParameter: "A route template names a parameter root_group."
        case .duplicateRouteParameter: "A route template names one parameter twice."
        case .indistinctRouteTemplates: "Two route templates differ only in parameter names."
        case .duplicateMethod: "Two method keys of a route are equal once upper-cased."
        case .routesTooLargeForMatcher: "The routes of a policy do not fit in one PCRE2 pattern (only with the PCRE2 matcher)."
        case .unknownConvertor: "A route parameter names a convertor other than str, path, int, float or uuid."
        case .malformedGroupTemplate: "A group template has unbalanced or empty braces."
        case .emptyGroupTemplate: "A group template names no group."
        case .duplicatePolicyIdentity: "Two files define the same type, name and version."
        case .unreadableDirectory: "A policy path does not exist or cannot be read."
        case .danglingLink: "A symbolic link in the policy tree points at nothing."
        case .noPolicies: "The policy directory holds no policy, and policyd was not told to allow that."
        case .unusedRole: "A role is defined but no expression uses it."
        case .parameterNotInPath: "A role needs a parameter that the route's path does not capture."
        case .ambiguousTemplates: "Two route templates match the same paths and neither is more specific in every segment."
        case .unknownMethod: "A method key is not an HTTP method."
        case .constantExpression: "A role expression is always true or can never be true."
        case .everyoneRoleNotNamedAny: "A role with no groups, which every caller holds, is not named 'any'."
        case .versionGap: "The versions of a policy skip a number."
        case .unknownMember: "A policy member is not read by policies of its type."
        case .unreferenceableRole: "A role name cannot appear in an expression."
        case .routeWithoutMethods: "A route has no methods, so every request to it is denied."
        case .negatedParameterRole: "A role under 'not' needs a request parameter: without it the role never holds, and 'not' grants."
        case .unsentActionParameter: "A plugin policy's action_parameter names a parameter no known caller sends as a string."
        case .actionParameterInTemplate: "A group template names the parameter that selects the action, which is no parameter of the decision."
        case .rootGroupWithBraces: "The root group has a brace: it is taken as text, yet reads as a parameter wherever it is printed."
        case .shadowedTemplate: "A more specific route template takes some of another template's paths."
        case .neverGrantedAtGateway: "A route can never be granted at a gateway: it needs a parameter its path does not capture."
        }
    }
}
