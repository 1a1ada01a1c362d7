import Foundation
import Testing
@testable import PolicyCore

/// Every public conformance case of `shared/reference/conformance`, through the engine with
/// each route matcher: `is_authorised` must equal the answer, and so (informative, but we keep
/// drop-in wording) must `reason`.
@Suite struct ConformanceTests {
    static func lines(_ file: String) throws -> [String] {
        let text = try String(contentsOfFile: conformanceDirectory + "/" + file, encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func everyPublicCase(matcher: RouteMatcherKind) throws {
        let engine = DecisionEngine(
            policies: try PolicyLoader(matcherKind: matcher).load(directory: conformanceDirectory + "/policies"))
        let queries = try Self.lines("queries.jsonl")
        let answers = try Self.lines("answers.jsonl")
        #expect(queries.count == answers.count)
        #expect(queries.count >= 300)
        for (number, (line, answer)) in zip(queries, answers).enumerated() {
            let expected = try JSONReader.parse(answer)
            let decision: Decision
            switch try BatchQuery.parse(line) {
            case .answered(let answered): decision = answered
            case .query(let query, let groups): decision = engine.decide(query, groups: groups)
            }
            #expect(
                JSONValue.bool(decision.isAuthorised) == expected["is_authorised"],
                "line \(number + 1): \(line) → \(decision.reason)")
            #expect(
                JSONValue.string(decision.reason.description) == expected["reason"],
                "line \(number + 1): reason")
        }
    }
}
