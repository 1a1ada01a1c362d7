import Foundation
import Testing
@testable import PolicyCore

/// Every public conformance case of `shared/reference/conformance` and of its spec 2.6 sample
/// `shared/reference/conformance-nested`, through the engine with each route matcher:
/// `is_authorised` must equal the answer, and so (informative, but we keep drop-in wording) must
/// `reason`.
@Suite struct ConformanceTests {
    struct Cases: Sendable, CustomStringConvertible {
        let directory: String
        /// How many queries the directory holds at least: a truncated copy must not pass.
        let minimumCount: Int

        var description: String { URL(fileURLWithPath: directory).lastPathComponent }

        func lines(_ file: String) throws -> [String] {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            return text.split(separator: "\n").map(String.init)
        }
    }

    static let cases = [
        Cases(directory: conformanceDirectory, minimumCount: 300),
        Cases(directory: nestedConformanceDirectory, minimumCount: 102),
    ]

    @Test(arguments: cases, RouteMatcherKind.allCases)
    func everyPublicCase(cases: Cases, matcher: RouteMatcherKind) throws {
        let engine = DecisionEngine(
            policies: try PolicyLoader(matcherKind: matcher).load(directory: cases.directory + "/policies"))
        let queries = try cases.lines("queries.jsonl")
        let answers = try cases.lines("answers.jsonl")
        #expect(queries.count == answers.count)
        #expect(queries.count >= cases.minimumCount)
        for (number, (line, answer)) in zip(queries, answers).enumerated() {
            let expected = try JSONReader.parse(answer)
            let decision: Decision
            switch try BatchQuery.parse(line) {
            case .answered(let answered): decision = answered
            case .query(let query, let groups): decision = engine.decide(query, groups: groups)
            }
            #expect(
                JSONValue.bool(decision.isAuthorised) == expected["is_authorised"],
                "\(cases) line \(number + 1): \(line) → \(decision.reason)")
            #expect(
                JSONValue.string(decision.reason.description) == expected["reason"],
                "\(cases) line \(number + 1): reason")
        }
    }
}
