// Fuzz target `policy-loader`: the input is one policy file.
//
// 1. `PolicyLoader.loadPolicy(bytes:file:)` (one reading with positions, jansson wording a refusal,
//    checks, compile), once per
//    matcher kind: the two loads must agree (same diagnostics, or both succeed). Every diagnostic
//    is rendered (positions mapped back through the source map).
// 2. A policy that loads is used: lint, and decisions on each of its routes (by template and as a
//    concrete path), its exchange or its actions, with and without groups, with explanations;
//    the trie-backed and the PCRE2-backed policy must decide alike.
// 3. `PolicyFormatter.format` (`policyc fmt`): formatting is idempotent, and the formatted text
//    of a policy that loads loads to the same policy identity.
// 4. PolicyCore's own strict `JSONReader` (public; used for requests and the source map): with and
//    without spans it accepts the same texts with the same value, and what `JSONWriter` writes of
//    a value reads back to the same value, in every style.
// 5. A JSON object read as a request body's parameters (spec 2.6, `Parameters(jsonObject:)`): the
//    same entries as a plain reading of the rule (every member down to level 4, named by joining
//    with `.`, arrays not entered, a name reached more than once `.repeated`), refused exactly
//    when the joined names exceed their budget; and the flat reader of the daemon's and the batch's
//    fast paths, where it reads the bytes at all, reads the same.
//
// A property that fails traps (`fuzzFailure`), so libFuzzer saves the input as a crash.
import FuzzSupport
@testable import PolicyCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    checkLoader(bytes)
    checkFormatter(bytes)
    checkJSONReader(bytes)
    return 0
}

@main
enum Main {
    static func main() {
        runLibFuzzer { data, size in fuzz(UnsafeRawPointer(data) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
    }
}

// MARK: Loader

private let file = "fuzz.json"

private func checkLoader(_ bytes: [UInt8]) {
    let trie = PolicyLoader(matcherKind: .trie).loadPolicyAndSource(bytes: bytes, file: file)
    let pcre2 = PolicyLoader(matcherKind: .pcre2).loadPolicy(bytes: bytes, file: file)
    switch (trie, pcre2) {
    case (.failure(let first), .failure(let second)):
        guard !first.diagnostics.isEmpty else { fuzzFailure("a load failed with no diagnostic") }
        // PCRE2 may add its size limit (E0406) to the findings both share; nothing else may differ.
        guard first.diagnostics == second.diagnostics.filter({ $0.code != .routesTooLargeForMatcher }) else {
            fuzzFailure("the matcher kind changed the diagnostics:\n\(first)\n---\n\(second)")
        }
        for diagnostic in first.diagnostics { _ = diagnostic.description }
    case (.success(let (first, source)), .success(let second)):
        guard first.identity == second.identity else { fuzzFailure("the matcher kind changed the identity") }
        use(first, second, source: source)
    case (.success, .failure(let error))
    where error.diagnostics.map(\.code) == [.routesTooLargeForMatcher]:
        // PCRE2 caps a pattern's size; the trie has no such limit. Refused with a diagnostic: fine.
        break
    case (.success, .failure(let error)), (.failure(let error), .success):
        fuzzFailure("the policy loads with one matcher kind only: \(error)")
    }
}

/// Decisions on everything the policy defines, each asked of both compilations.
private func use(_ trie: Policy, _ pcre2: Policy, source: PolicySource) {
    var lint = PolicyLint(policy: trie, sourceMap: source.sourceMap)
    lint.run()
    for finding in lint.findings { _ = finding.description }

    // Explanations search role sets of up to three: cubic in the number of roles, so only for
    // policies of a size people write.
    let explain = trie.roles.count <= 32
    let noGroups = CallerGroups([])
    func ask(_ query: Query) {
        let first = trie.decide(query, groups: noGroups, explain: explain)
        let second = pcre2.decide(query, groups: noGroups, explain: explain)
        agree(first, second, query)
        // Again with every group the explanation says the roles would need: any role that can be
        // had is then held.
        let candidates = (first.explanation?.roles ?? []).flatMap(\.candidates)
        guard !candidates.isEmpty else { return }
        let groups = CallerGroups(candidates + candidates.map { "/" + $0 })
        let third = trie.decide(query, groups: groups, explain: explain)
        let fourth = pcre2.decide(query, groups: groups, explain: explain)
        agree(third, fourth, query)
        _ = third.json(explain: explain)
    }

    switch trie.rules {
    case .routes(let table):
        for route in table.routes {
            let template = route.template.text
            let concrete = concretePath(of: route.template)
            for method in route.methods.map(\.key) + ["", "get", "TRACE"] {
                ask(.route(RouteQuery(service: trie.name, route: template, method: method)))
                if let concrete {
                    ask(.route(RouteQuery(service: trie.name, route: concrete, method: method)))
                    ask(.route(RouteQuery(
                        service: trie.name, route: concrete, method: method,
                        parameters: Parameters(route.template.parameterNames.map {
                            .init(name: $0, value: .string("other"))
                        }))))
                }
            }
        }
    case .exchange:
        ask(.exchange(ExchangeQuery(service: trie.name)))
        ask(.exchange(ExchangeQuery(service: trie.name, parameters: .strings(["site": "x", "namespace": "y"]))))
    case .actions(let table):
        for action in table.actions {
            // The action where a body nests its selector (`service.method` in {"service": {"method": …}}),
            // beside a parameter its templates may name, and again with the selector reached two ways.
            let nested = nestedBody(table.parameter, .string(action.name), beside: [JSONMember("area", .string("a"))])
            ask(.plugin(PluginQuery(service: trie.name, parameters: (try? Parameters(jsonObject: nested)) ?? Parameters())))
            let twice = nested + [JSONMember(table.parameter, .string(action.name))]
            ask(.plugin(PluginQuery(service: trie.name, parameters: (try? Parameters(jsonObject: twice)) ?? Parameters())))
        }
        ask(.plugin(PluginQuery(service: trie.name)))
    }
}

/// A body holding `value` at the dotted `name`, nested one object a part.
private func nestedBody(_ name: String, _ value: JSONValue, beside others: [JSONMember]) -> [JSONMember] {
    var nested = value
    for part in name.split(separator: ".", omittingEmptySubsequences: false).reversed().dropLast() {
        nested = .object([JSONMember(String(part), nested)])
    }
    let first = String(name.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
    return others + [JSONMember(first, nested)]
}

/// The template with each parameter replaced by a segment that no literal equals.
private func concretePath(of template: RouteTemplate) -> String? {
    guard !template.segments.isEmpty else { return nil }
    var path = ""
    for segment in template.segments {
        switch segment {
        case .literal(let text): path += "/" + text
        case .parameter: path += "/fuzz%20value"
        }
    }
    return path
}

private func agree(_ first: Decision, _ second: Decision, _ query: Query) {
    guard first.isAuthorised == second.isAuthorised, first.reason == second.reason,
          first.explanation?.routeTemplate == second.explanation?.routeTemplate,
          first.explanation?.parameters == second.explanation?.parameters
    else {
        fuzzFailure("trie and PCRE2 compilations decide differently on \(query): \(first.reason) vs \(second.reason)")
    }
}

// MARK: Formatter

private func checkFormatter(_ bytes: [UInt8]) {
    guard case .success(let formatted) = PolicyFormatter.format(bytes, file: file) else { return }
    let formattedBytes = Array(formatted.utf8)
    guard case .success(let again) = PolicyFormatter.format(formattedBytes, file: file) else {
        fuzzFailure("policyc fmt output does not parse:\n\(formatted)")
    }
    guard again.hasSameBytes(as: formatted) else {
        fuzzFailure("policyc fmt is not idempotent:\n\(formatted)\n---\n\(again)")
    }
    if case .success(let original) = PolicyLoader().loadPolicy(bytes: bytes, file: file) {
        switch PolicyLoader().loadPolicy(bytes: formattedBytes, file: file) {
        case .success(let reformatted):
            // Formatting puts the top-level members in canonical order and changes nothing else.
            guard reformatted.identity == original.identity,
                  reformatted.document == PolicyFormatter.canonical(original.document)
            else {
                fuzzFailure("policyc fmt changed the policy:\n\(formatted)")
            }
        case .failure(let error):
            fuzzFailure("a policy that loads does not load once formatted: \(error)\n\(formatted)")
        }
    }
}

// MARK: JSONReader

private func checkJSONReader(_ bytes: [UInt8]) {
    let plain = Result { () throws(JSONReader.SyntaxError) in try JSONReader.parse(bytes) }
    let spanned = Result { () throws(JSONReader.SyntaxError) in try JSONReader.parseWithSpans(bytes).0 }
    switch (plain, spanned) {
    case (.success(let value), .success(let other)):
        guard value == other else { fuzzFailure("JSONReader reads differently when it records spans") }
        if case .object(let members) = value { checkNestedParameters(members, bytes: bytes) }
        for style in [JSONWriter.Style.compact, .line, .pretty] {
            let text = JSONWriter.string(value, style: style)
            guard let reread = try? JSONReader.parse(text) else {
                fuzzFailure("JSONReader cannot read what JSONWriter (\(style)) wrote: \(text)")
            }
            guard reread == value else {
                fuzzFailure("JSONWriter (\(style)) then JSONReader changed the value: \(text)")
            }
        }
    case (.failure(let error), .failure(let other)):
        guard error == other else { fuzzFailure("JSONReader fails differently when it records spans: \(error) vs \(other)") }
        guard error.offset >= 0, error.offset <= bytes.count else {
            fuzzFailure("JSONReader error offset \(error.offset) outside the input of \(bytes.count) bytes")
        }
    default:
        fuzzFailure("JSONReader accepts the text only with or only without spans")
    }
}

// MARK: Nested parameters

private func checkNestedParameters(_ members: [JSONMember], bytes: [UInt8]) {
    // Spec 2.6 read the plain way: every member down to level 4 with its joined name.
    var expected: [(name: String, value: JSONValue)] = []
    var nestedNameBytes = 0
    func walk(_ members: [JSONMember], prefix: String?, level: Int) {
        for member in members {
            let name = prefix.map { $0 + "." + member.key } ?? member.key
            if prefix != nil { nestedNameBytes += name.utf8.count }
            expected.append((name, member.value))
            if level < 4, case .object(let children) = member.value { walk(children, prefix: name, level: level + 1) }
        }
    }
    walk(members, prefix: nil, level: 1)
    let parameters: Parameters
    do {
        parameters = try Parameters(jsonObject: members)
    } catch {
        guard nestedNameBytes > Parameters.maximumNestedNameBytes else { fuzzFailure("nested names refused within their budget") }
        return
    }
    guard nestedNameBytes <= Parameters.maximumNestedNameBytes else { fuzzFailure("nested names read beyond their budget") }
    guard parameters.entries.count == expected.count else {
        fuzzFailure("\(parameters.entries.count) parameters read, \(expected.count) expected")
    }
    for (entry, (name, value)) in zip(parameters.entries, expected) {
        let times = expected.filter { $0.name.hasSameBytes(as: name) }.count
        let want = times > 1 ? ParameterValue.repeated : ParameterValue(json: value)
        guard entry.name.hasSameBytes(as: name), entry.value == want else {
            fuzzFailure("parameter \(name): read as \(entry.name) = \(entry.value), expected \(want)")
        }
    }
    if let flat = bytes.withUnsafeBufferPointer(Parameters.init(flatJSONObject:)), flat != parameters {
        fuzzFailure("the flat reader reads other parameters than Parameters(jsonObject:)")
    }
}
