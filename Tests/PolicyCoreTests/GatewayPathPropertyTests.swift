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
/// One policy at a time (`.serialized`): the cases are seconds of CPU each, and run side by side they
/// held every thread of the concurrency pool, on which other suites' timers wait.
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
    func noSpellingIsGrantedWhereItsUpstreamReadingIsNot(policy: Policy) throws {
        let property = GatewayPathProperty(PolicySamples(policy))
        let ambiguousLiterals = Self.spelledInSeveralCases(policy)
        var tally = GatewayPathProperty.Tally()
        var violations: [GatewayPathProperty.Violation] = []
        for path in property.samples.paths {
            let callers = property.samples.callers(for: path)
            let canonical = HostileSpellings.canonical(path.segments)
            let answer = policy.decide(GatewayQuery(path: canonical, method: "GET"), groups: CallerGroups([])).decision
            if case .ambiguousPath(let refusal) = answer.reason, !path.segments.contains(where: { ambiguousLiterals.contains($0.lowercased()) }) {
                Issue.record("canonical \(canonical) refused: \(refusal)")
            }
            let spellings = [canonical] + HostileSpellings.singleSteps(for: path.segments)
                .map { HostileSpellings.spelling(of: path.segments, applying: $0) }
            for spelling in Set(spellings) {
                for method in path.methods {
                    violations += property.violations(spelling: spelling, method: method, callers: callers, tally: &tally)
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.count) violations, the first: \(violations.prefix(20).map(\.description).joined(separator: "\n"))")
        // Not vacuous: spellings were granted and checked, and others refused.
        #expect(tally.grants >= property.samples.paths.count, "\(tally)")
        #expect(tally.ambiguous >= 10 * property.samples.paths.count, "\(tally)")
    }
}
