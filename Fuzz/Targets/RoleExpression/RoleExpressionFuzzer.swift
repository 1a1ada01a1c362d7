// Fuzz target `role-expression`: the input (as UTF-8, invalid bytes replaced) is one role
// expression.
//
// 1. The lexer: tokens in order, inside the text, role tokens spelling their bytes, one `end`.
// 2. The parser: an error points inside the text; a parse gives role spans that spell the role
//    names, and its fully parenthesised `description` parses back to the same description
//    (unless the parentheses it adds make it deeper than the limit).
// 3. The compiler: the expression flattened into an `ExpressionProgram` evaluates like a plain
//    reading of the tree, for every assignment of its roles (all of them up to 8 roles; else
//    none, all, each alone, all but each), and names the same roles and negated roles.
// 4. The whole path of a policy: an exchange policy with the expression and one group per role
//    loads exactly when the expression parses, and its decisions (with explanations: which
//    roles hold, what would grant) agree with the tree reading.
//
// A property that fails traps (`fuzzFailure`), so libFuzzer saves the input as a crash.
import FuzzSupport
@testable import PolicyCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let source = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    checkLexer(source)
    let expression: RoleExpression
    do {
        expression = try ExpressionParser.parse(source)
    } catch {
        guard error.offset >= 0, error.offset <= source.utf8.count else {
            fuzzFailure("syntax error offset \(error.offset) outside the expression of \(source.utf8.count) bytes")
        }
        _ = error.description
        checkPolicyRefuses(source, error)
        return 0
    }
    checkParse(source, expression)
    let roles = uniqueRoles(expression)
    checkProgram(expression, roles: roles)
    checkPolicy(source, expression, roles: roles)
    return 0
}

@main
enum Main {
    static func main() {
        runLibFuzzer { data, size in fuzz(UnsafeRawPointer(data) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
    }
}

// MARK: Lexer and parser

private func checkLexer(_ source: String) {
    let bytes = Array(source.utf8)
    guard let tokens = try? ExpressionLexer.tokens(of: source) else { return }
    var previousEnd = 0
    for (position, token) in tokens.enumerated() {
        guard token.span.lowerBound >= previousEnd, token.span.upperBound <= bytes.count else {
            fuzzFailure("token \(position) span \(token.span) out of order or outside \(bytes.count) bytes")
        }
        previousEnd = token.span.upperBound
        switch token.kind {
        case .end:
            guard position == tokens.count - 1, token.span == bytes.count..<bytes.count else {
                fuzzFailure("the end token is not last or not at the end")
            }
        case .role(let name):
            guard bytes[token.span].elementsEqual(name.utf8), ExpressionLexer.isRoleName(name) else {
                fuzzFailure("role token '\(name)' does not spell its span or is not a role name")
            }
        default:
            guard !token.span.isEmpty else { fuzzFailure("empty token span") }
        }
    }
    guard case .end = tokens.last?.kind else { fuzzFailure("no end token") }
}

private func checkParse(_ source: String, _ expression: RoleExpression) {
    let bytes = Array(source.utf8)
    for reference in expression.roleReferences {
        guard reference.span.lowerBound >= 0, reference.span.upperBound <= bytes.count,
              bytes[reference.span].elementsEqual(reference.name.utf8)
        else { fuzzFailure("role '\(reference.name)' has span \(reference.span), which does not spell it") }
    }
    let printed = expression.description
    do {
        let reparsed = try ExpressionParser.parse(printed)
        guard reparsed.description.hasSameBytes(as: printed) else {
            fuzzFailure("'\(source)' prints as '\(printed)', which parses as '\(reparsed)'")
        }
    } catch {
        // The printed form adds a level of parentheses per operator: only depth may refuse it.
        guard error.isTooDeep else { fuzzFailure("'\(source)' prints as '\(printed)', which does not parse: \(error)") }
    }
}

// MARK: Reference evaluation

/// The roles an expression names, once each, in order of first appearance.
private func uniqueRoles(_ expression: RoleExpression) -> [String] {
    var seen: [String] = []
    for reference in expression.roleReferences where !seen.contains(where: { $0.hasSameBytes(as: reference.name) }) {
        seen.append(reference.name)
    }
    return seen
}

private func index(of name: String, in roles: [String]) -> Int {
    roles.firstIndex { $0.hasSameBytes(as: name) }!
}

/// The plain reading of the tree.
private func evaluate(_ expression: RoleExpression, roles: [String], holds: [Bool]) -> Bool {
    switch expression {
    case .role(let name, _): holds[index(of: name, in: roles)]
    case .not(let operand): !evaluate(operand, roles: roles, holds: holds)
    case .and(let operands): operands.allSatisfy { evaluate($0, roles: roles, holds: holds) }
    case .or(let operands): operands.contains { evaluate($0, roles: roles, holds: holds) }
    }
}

/// Roles under an odd number of `not`s, once each, in order of first appearance.
private func negatedRoles(_ expression: RoleExpression, negated: Bool = false, into seen: inout [String]) {
    switch expression {
    case .role(let name, _):
        if negated, !seen.contains(where: { $0.hasSameBytes(as: name) }) { seen.append(name) }
    case .not(let operand): negatedRoles(operand, negated: !negated, into: &seen)
    case .and(let operands), .or(let operands):
        for operand in operands { negatedRoles(operand, negated: negated, into: &seen) }
    }
}

/// Every assignment for up to 8 roles; else none, all, each alone, all but each.
private func assignments(count: Int) -> [[Bool]] {
    if count <= 8 {
        return (0..<(1 << count)).map { mask in (0..<count).map { mask & (1 << $0) != 0 } }
    }
    var result = [[Bool](repeating: false, count: count), [Bool](repeating: true, count: count)]
    for role in 0..<count {
        var alone = [Bool](repeating: false, count: count)
        alone[role] = true
        result.append(alone)
        result.append(alone.map { !$0 })
    }
    return result
}

private func checkProgram(_ expression: RoleExpression, roles: [String]) {
    var roleIndex: [ByteString: Int] = [:]
    for (position, name) in roles.enumerated() { roleIndex[ByteString(name)] = position }
    var program = ExpressionProgram()
    // Another expression first, so that the root is not node 0 and operand ranges are offset.
    _ = program.append(.or([.role(roles[0], span: 0..<0), .not(.role(roles[0], span: 0..<0))]), roleIndex: roleIndex)
    let root = program.append(expression, roleIndex: roleIndex)
    guard program.roles(of: root) == Array(0..<roles.count) else {
        fuzzFailure("program names roles \(program.roles(of: root)), expected 0..<\(roles.count)")
    }
    var negated: [String] = []
    negatedRoles(expression, into: &negated)
    guard program.negatedRoles(of: root) == negated.map({ index(of: $0, in: roles) }) else {
        fuzzFailure("program's negated roles \(program.negatedRoles(of: root)) differ from \(negated)")
    }
    for holds in assignments(count: roles.count) {
        let result = program.evaluate(root) { holds[$0] }
        guard result == evaluate(expression, roles: roles, holds: holds) else {
            fuzzFailure("program evaluates \(expression) to \(result) for \(holds)")
        }
    }
}

// MARK: Through a policy

private func policyJSON(expression source: String, roles: [String]) -> [UInt8] {
    var roleMembers: [String] = []
    for (position, name) in roles.enumerated() {
        roleMembers.append("\(JSONWriter.quoted(name)): [\(JSONWriter.quoted("fuzz/\(position)"))]")
    }
    if roles.isEmpty { roleMembers.append("\"any\": []") }
    let text = """
        {"name": "fuzz", "type": "exchange", "iam_subgroup_name": "fuzz",
         "expected_token_issuer": "https://issuer.example", "expected_token_audience": "fuzz",
         "version_number": 1, "roles": {\(roleMembers.joined(separator: ", "))},
         "exchange": \(JSONWriter.quoted(source))}
        """
    return Array(text.utf8)
}

/// An expression that does not parse makes the policy fail with the parser's finding.
private func checkPolicyRefuses(_ source: String, _ error: ExpressionParser.SyntaxError) {
    // jansson refuses NUL in strings whatever the expression.
    guard !source.utf8.contains(0) else { return }
    switch PolicyLoader().loadPolicy(bytes: policyJSON(expression: source, roles: []), file: "fuzz.json") {
    case .success:
        fuzzFailure("a policy loads with the expression '\(source)', which does not parse: \(error)")
    case .failure(let failure):
        let expected: DiagnosticCode = error.isTooDeep ? .expressionTooDeep : .expressionSyntax
        guard failure.diagnostics.contains(where: { $0.code == expected }) else {
            fuzzFailure("expected \(expected) for '\(source)', got \(failure)")
        }
        for diagnostic in failure.diagnostics { _ = diagnostic.description }
    }
}

private func checkPolicy(_ source: String, _ expression: RoleExpression, roles: [String]) {
    guard !source.utf8.contains(0) else { return }
    let policy: Policy
    switch PolicyLoader().loadPolicy(bytes: policyJSON(expression: source, roles: roles), file: "fuzz.json") {
    case .success(let loaded): policy = loaded
    case .failure(let failure): fuzzFailure("the expression parses but its policy does not load: \(failure)")
    }
    // Explanations try every set of up to three missing roles: keep them for small expressions.
    let explain = roles.count <= 12
    for holds in assignments(count: roles.count).prefix(64) {
        let groups = CallerGroups(roles.indices.filter { holds[$0] }.map { "/fuzz/\($0)" })
        let decision = policy.decide(ExchangeQuery(service: "fuzz"), groups: groups, explain: explain)
        let expected = evaluate(expression, roles: roles, holds: holds)
        guard decision.isAuthorised == expected, decision.reason == .exchangeExpression(holds: expected) else {
            fuzzFailure("policy decides \(decision.reason) for \(holds), expected \(expected)")
        }
        guard explain, let explanation = decision.explanation else { continue }
        guard explanation.roles.map(\.name) == roles, explanation.roles.map(\.held) == holds else {
            fuzzFailure("explanation lists roles \(explanation.roles.map { ($0.name, $0.held) }), expected \(roles) held \(holds)")
        }
        // Each way to grant names roles the caller lacks, and with them the expression holds.
        for option in explanation.wouldGrant {
            var with = holds
            for grant in option {
                let role = index(of: grant.role, in: roles)
                guard !holds[role], grant.groups == ["fuzz/\(role)"] else {
                    fuzzFailure("would-grant names role \(grant.role) with groups \(grant.groups)")
                }
                with[role] = true
            }
            guard evaluate(expression, roles: roles, holds: with) else {
                fuzzFailure("would-grant \(option.map(\.role)) does not make '\(source)' hold")
            }
        }
        if expected {
            guard explanation.wouldGrant.isEmpty else { fuzzFailure("would-grant listed for an allowed decision") }
        }
        _ = decision.json(explain: true)
    }
}
