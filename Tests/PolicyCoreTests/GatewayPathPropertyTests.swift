import Foundation
import GatewayPathOracle
import Testing
@testable import PolicyCore

/// The gateway's path property (`GatewayPathProperty`) over every route policy shipped, in the
/// fixtures and in the public conformance sample: for every route, concrete paths made from it,
/// every hostile spelling of each (`HostileSpellings`, each mutation at each segment), the methods
/// of the route and callers holding each role, a spelling the gateway grants is routed by every
/// upstream reading to the template it decided on, and the canonical spelling of what that
/// upstream reads is granted too.
///
/// Seconds of CPU: one policy at a time (`.serialized`), each on a thread of the lowest priority
/// (`atLowPriority`), so that the suites running beside it keep their timing.
@Suite(.serialized) struct GatewayPathPropertyTests {
    static let directories = [
        ShippedFiles.path("policies"), ShippedFiles.path("fixtures/compat/policies"), ShippedFiles.path("fixtures/lint"),
        conformanceDirectory + "/policies",
    ]

    static func routePolicies() throws -> [Policy] {
        try directories.filter { FileManager.default.fileExists(atPath: $0) }.flatMap { directory in
            try PolicyLoader().load(directory: directory).policies.filter { $0.type == .route }
        }
    }

    @Test func everyRoutePolicyIsTried() throws {
        #expect(try Self.routePolicies().count >= 10, "the shipped, fixture and conformance route policies")
    }

    /// The literals of a policy's templates that it spells in more than one case, lower-cased: no
    /// spelling of them is decided (GatewayPathTests).
    static func spelledInSeveralCases(_ policy: Policy) -> Set<String> {
        let literals = Set(policy.routeTemplates.flatMap { $0.split(separator: "/").map(String.init) }.filter { !$0.hasPrefix("{") })
        return Set(Dictionary(grouping: literals, by: { $0.lowercased() }).filter { $0.value.count > 1 }.keys)
    }

    @Test(arguments: try routePolicies())
    func noSpellingIsGrantedWhereItsUpstreamReadingIsNot(policy: Policy) async throws {
        let (refusedCanonicals, violations, tally, pathCount) = await atLowPriority {
            let property = GatewayPathProperty(PolicySamples(policy))
            let ambiguousLiterals = Self.spelledInSeveralCases(policy)
            var tally = GatewayPathProperty.Tally()
            var violations: [GatewayPathProperty.Violation] = []
            var refusedCanonicals: [String] = []
            for path in property.samples.paths {
                let callers = property.samples.callers(for: path)
                let canonical = HostileSpellings.canonical(path.segments)
                let answer = policy.decide(GatewayQuery(path: canonical, method: "GET"), groups: CallerGroups([])).decision
                if case .ambiguousPath = answer.reason, !path.segments.contains(where: { ambiguousLiterals.contains($0.lowercased()) }) {
                    refusedCanonicals.append("\(canonical): \(answer.reason)")
                }
                let spellings = [canonical] + HostileSpellings.singleSteps(for: path.segments)
                    .map { HostileSpellings.spelling(of: path.segments, applying: $0) }
                for spelling in Set(spellings) {
                    violations += property.violations(spelling: spelling, methods: path.methods, callers: callers, tally: &tally)
                }
            }
            return (refusedCanonicals, violations, tally, property.samples.paths.count)
        }
        #expect(refusedCanonicals.isEmpty, "canonical spellings refused: \(refusedCanonicals)")
        #expect(violations.isEmpty, "\(violations.count) violations, the first: \(violations.prefix(20).map(\.description).joined(separator: "\n"))")
        // Not vacuous: spellings were granted and checked, and others refused.
        #expect(tally.grants >= pathCount, "\(tally)")
        #expect(tally.ambiguous >= 10 * pathCount, "\(tally)")
    }
}
