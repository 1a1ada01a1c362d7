/// Stable codes: scripts and docs may rely on them. The hundreds follow the pipeline:
/// 01 files and JSON, 02 policy fields, 03 role expressions, 04 routes, 05 group templates,
/// 06 the policy set as a whole; 07 and 08 the findings of `policyc lint` (W: warnings, N: notes).
public enum DiagnosticCode: String, Sendable, CaseIterable {
    case jsonSyntax = "E0101"
    case unreadableFile = "E0102"
    case notAnObject = "E0103"

    case missingField = "E0201"
    case wrongFieldType = "E0202"
    case emptyField = "E0203"
    case unknownPolicyType = "E0204"
    case invalidVersionNumber = "E0205"
    case malformedActionParameter = "E0206"

    case expressionSyntax = "E0301"
    case unknownRole = "E0302"
    case expressionTooDeep = "E0303"

    case malformedRouteTemplate = "E0401"
    case rootGroupRouteParameter = "E0402"
    case duplicateRouteParameter = "E0403"
    case indistinctRouteTemplates = "E0404"
    case duplicateMethod = "E0405"
    case routesTooLargeForMatcher = "E0406"
    case unknownConvertor = "E0407"

    case malformedGroupTemplate = "E0501"
    case emptyGroupTemplate = "E0502"

    case duplicatePolicyIdentity = "E0601"
    case unreadableDirectory = "E0602"
    case danglingLink = "E0603"
    case noPolicies = "E0604"

    case unusedRole = "W0701"
    case parameterNotInPath = "W0702"
    case ambiguousTemplates = "W0703"
    case unknownMethod = "W0705"
    case constantExpression = "W0706"
    case everyoneRoleNotNamedAny = "W0707"
    case versionGap = "W0708"
    case unknownMember = "W0709"
    case unreferenceableRole = "W0710"
    case routeWithoutMethods = "W0711"
    case negatedParameterRole = "W0712"
    case unsentActionParameter = "W0713"
    case actionParameterInTemplate = "W0714"
    case rootGroupWithBraces = "W0715"

    case shadowedTemplate = "N0801"
    case neverGrantedAtGateway = "N0802"
}
