// Fuzz target `route-matcher`: a differential fuzzer of the two route matchers.
//
// Input (UTF-8, invalid bytes replaced), lines separated by `\n`:
//
//     route templates, one a line            e.g. /data/list/{namespace}
//     (an empty line)
//     queries, one a line: [METHOD ' ']route['?'name'='value('&'name'='value)*]
//                                            e.g. POST /data/list/testing?namespace=testing
//                      or [METHOD ' ']route'?'JSON object: a body, nested members included (spec 2.6)
//                                            e.g. GET /by/ska?{"ns":{"name":"ska"}}
//
// Templates that `RouteTemplate` refuses, repeat an earlier template's shape or text, or hold a
// NUL (which jansson refuses) are dropped; the rest (at most 64) become one route policy, every
// method `GET: "any"` and `POST: "owner"` (`owner` needs the group `fuzz/{p}` of a parameter
// `p`). Templates may use Starlette's convertors (`{p:int}`, `{p:path}`, ...). Besides the given
// queries, each template is asked as itself and as concrete paths made from it (its parameters
// replaced by `v`, by literals of the other templates, by `%2F`, by digits, a float, a uuid, and
// for `{p:path}` by several segments).
//
// For every query, the policy compiled with the segment trie and the one compiled with PCRE2
// (`PolicyLoader(matcherKind:)`) must give the same decision: same answer, same reason, same
// template, same parameters. The two matchers are also asked directly, with the path in both
// readings (the Permissions API's raw segments, and a gateway's decoded ones when it does not
// refuse the spelling), and both must pick the template a brute-force reading of spec 2.3 picks:
// among the templates whose literals equal the path's segments and whose convertors accept theirs
// (a `{p:path}` the rest, one segment or more), the one that ranks higher than each other
// candidate at their first segment of unequal rank (literal, then uuid, int, float, str, path). Any disagreement traps (`fuzzFailure`), so
// libFuzzer saves the input as a crash.
import FuzzSupport
@testable import PolicyCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    let text = lines(of: bytes).map { String(decoding: $0, as: UTF8.self) }
    let separator = text.firstIndex { $0.utf8.isEmpty } ?? text.count
    let templates = usableTemplates(text[..<separator])
    guard !templates.isEmpty else { return 0 }
    let given = text[min(separator + 1, text.count)...].prefix(64).map(parseQuery)

    let document = policyJSON(templates)
    let trie = load(document, .trie)
    let pcre2 = load(document, .pcre2)
    guard trie.routeTemplates == templates.map(\.text), pcre2.routeTemplates == templates.map(\.text) else {
        fuzzFailure("the policy's templates are not the ones written")
    }

    let queries = given + derivedQueries(templates)
    let directTrie = SegmentTrie(templates: templates)
    // Inputs are at most a few kilobytes, far below PCRE2's pattern limit: a refusal is a finding.
    let directPCRE2 = try! PCRE2RouteMatcher(templates: templates)
    let owner = CallerGroups(["fuzz/v", "/fuzz/x", "fuzz/%2F"])
    for query in queries {
        // Explained once (template and parameters compared), then once more with groups.
        for (groups, explain) in [(CallerGroups([]), true), (owner, false)] {
            let first = trie.decide(query, groups: groups, explain: explain)
            let second = pcre2.decide(query, groups: groups, explain: explain)
            guard first.isAuthorised == second.isAuthorised, first.reason == second.reason,
                  first.explanation?.routeTemplate == second.explanation?.routeTemplate,
                  first.explanation?.parameters == second.explanation?.parameters
            else {
                fuzzFailure("""
                    trie and PCRE2 decide differently on \(query.method ?? "-") \(query.route):
                      trie:  \(first.isAuthorised) \(first.reason)
                      pcre2: \(second.isAuthorised) \(second.reason)
                    templates: \(templates.map(\.text))
                    """)
            }
        }
        // Both readings of a concrete path: the Permissions API's (raw segments) and a gateway's
        // (decoded segments, ambiguous spellings refused).
        let readings = [ConcretePath(query.route), (try? ConcretePath(upstreamReading: query.route)) ?? nil].compactMap { $0 }
        for path in readings {
            let expected = referenceMatch(templates, path)
            let byTrie = directTrie.match(path)
            let byPCRE2 = directPCRE2.match(path)
            guard byTrie == expected, byPCRE2 == expected else {
                func name(_ index: Int?) -> String { index.map { templates[$0].text } ?? "no match" }
                fuzzFailure("""
                    matchers disagree on \(query.route) (\(path.isDecoded ? "decoded" : "raw")):
                      spec (brute force): \(name(expected))
                      trie:               \(name(byTrie))
                      pcre2:              \(name(byPCRE2))
                    templates: \(templates.map(\.text))
                    """)
            }
        }
    }
    return 0
}

@main
enum Main {
    static func main() {
        runLibFuzzer { data, size in fuzz(UnsafeRawPointer(data) ?? UnsafeRawPointer(bitPattern: 1)!, size) }
    }
}

// MARK: Input

private func usableTemplates(_ lines: ArraySlice<String>) -> [RouteTemplate] {
    var templates: [RouteTemplate] = []
    var shapes: Set<ByteString> = []
    var texts: Set<ByteString> = []
    for line in lines where !line.utf8.contains(0) {
        guard let template = try? RouteTemplate(parsing: line),
              shapes.insert(template.shape).inserted, texts.insert(ByteString(line)).inserted
        else { continue }
        templates.append(template)
        if templates.count == 64 { break }
    }
    return templates
}

private func parseQuery(_ line: String) -> RouteQuery {
    var rest = Substring(line)
    var method: String?
    if !rest.hasPrefix("/"), let space = rest.firstIndex(of: " ") {
        method = String(rest[..<space])
        rest = rest[rest.index(after: space)...]
    }
    var parameters = Parameters()
    if let question = rest.firstIndex(of: "?"), rest[rest.index(after: question)...].hasPrefix("{") {
        if case .object(let members)? = try? JSONReader.parse(String(rest[rest.index(after: question)...])) {
            parameters = (try? Parameters(jsonObject: members)) ?? Parameters()
        }
        rest = rest[..<question]
    } else if let question = rest.firstIndex(of: "?") {
        for pair in rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1]) : ""
            parameters.append(name: String(parts[0]), value: Int64(value).map(ParameterValue.integer) ?? .string(value))
        }
        rest = rest[..<question]
    }
    return RouteQuery(service: "fuzz", route: String(rest), method: method, parameters: parameters)
}

/// Each template as itself, and concrete paths made from it.
private func derivedQueries(_ templates: [RouteTemplate]) -> [RouteQuery] {
    var literals: [String] = []
    for template in templates {
        for case .literal(let text) in template.segments where !literals.contains(where: { $0.hasSameBytes(as: text) }) {
            literals.append(text)
        }
    }
    var queries: [RouteQuery] = []
    for (position, template) in templates.enumerated() {
        queries.append(RouteQuery(service: "fuzz", route: template.text))
        guard !template.segments.isEmpty else { continue }
        var fillers = ["v", "%2F", "x%20y", "42", "1.5", "0123abcd-0123-abcd-0123-0123456789ab"]
        if !literals.isEmpty { fillers.append(literals[position % literals.count]) }
        for filler in fillers {
            var path = ""
            for (index, segment) in template.segments.enumerated() {
                switch segment {
                case .literal(let text): path += "/" + text
                case .parameter(_, let convertor):
                    // Literals of other templates in turn, so that literal and parameter children compete.
                    path += "/" + (filler.hasSameBytes(as: "v") && !literals.isEmpty
                        ? literals[(position + index) % literals.count] : filler)
                    // A `{p:path}` takes more than one segment too.
                    if convertor == .path { path += "/" + filler }
                }
            }
            queries.append(RouteQuery(service: "fuzz", route: path, method: "POST"))
            queries.append(RouteQuery(service: "fuzz", route: path))
        }
    }
    return queries
}

// MARK: The policy

private func policyJSON(_ templates: [RouteTemplate]) -> [UInt8] {
    let routes = templates.map { template in
        let owner = template.parameterNames.first.map { _ in "owner" } ?? "not any"
        return "\(JSONWriter.quoted(template.text)): {\"GET\": \"any\", \"POST\": \"\(owner)\"}"
    }
    let text = """
        {"name": "fuzz", "type": "route", "iam_subgroup_name": "fuzz",
         "expected_token_issuer": "https://issuer.example", "expected_token_audience": "fuzz",
         "version_number": 1, "roles": {"any": [], "owner": ["fuzz/{p}"]},
         "routes": {\(routes.joined(separator: ",\n"))}}
        """
    return Array(text.utf8)
}

private func load(_ document: [UInt8], _ kind: RouteMatcherKind) -> Policy {
    switch PolicyLoader(matcherKind: kind).loadPolicy(bytes: document, file: "fuzz.json") {
    case .success(let policy): return policy
    case .failure(let error):
        fuzzFailure("a route policy of templates RouteTemplate accepts does not load (\(kind)):\n\(error)\n\(String(decoding: document, as: UTF8.self))")
    }
}

// MARK: Reference

/// Spec 2.3, with convertors, read literally, by brute force over every template.
private func referenceMatch(_ templates: [RouteTemplate], _ path: ConcretePath) -> Int? {
    let candidates = templates.indices.filter { index in
        let segments = templates[index].segments
        let takesTheRest = templates[index].endsWithPath
        guard takesTheRest ? path.segments.count >= segments.count : path.segments.count == segments.count else { return false }
        for (position, segment) in segments.enumerated() {
            switch segment {
            case .literal(let text):
                if !path.matchedSegment(position).elementsEqual(text.utf8) { return false }
            case .parameter(_, let convertor):
                if !convertor.accepts(path.matchedSegment(position)) { return false }
            }
        }
        return true
    }
    return candidates.first { candidate in
        candidates.allSatisfy { other in
            other == candidate || winsAtFirstDifference(templates[candidate], over: templates[other])
        }
    }
}

private func winsAtFirstDifference(_ lhs: RouteTemplate, over rhs: RouteTemplate) -> Bool {
    for (left, right) in zip(lhs.segments, rhs.segments) where left.rank != right.rank {
        return left.rank > right.rank
    }
    return false
}
