/// One policy unit test: a query of spec section 6 (a `policyc eval --batch` line, groups
/// included) and the decision it must get.
public struct PolicyTest: Sendable {
    public struct Expectation: Sendable, Equatable, CustomStringConvertible {
        public var allows: Bool
        /// When given, the decision's reason must be exactly this text.
        public var reason: String?

        public init(allows: Bool, reason: String? = nil) {
            self.allows = allows
            self.reason = reason
        }

        /// `allow`, or `deny (no matching route)` when a reason is expected.
        public var description: String {
            (allows ? "allow" : "deny") + (reason.map { " (\($0))" } ?? "")
        }

        func isMet(by decision: Decision) -> Bool {
            decision.isAuthorised == allows
                && (reason.map { decision.reason.description.hasSameBytes(as: $0) } ?? true)
        }
    }

    public let name: String
    public let query: BatchQuery.Parsed
    public let expectation: Expectation

    public init(name: String, query: BatchQuery.Parsed, expectation: Expectation) {
        self.name = name
        self.query = query
        self.expectation = expectation
    }

    public func run(_ engine: DecisionEngine) -> PolicyTestResult {
        let decision = switch query {
        case .answered(let decision): decision
        case .query(let query, let groups): engine.decide(query, groups: groups)
        }
        return PolicyTestResult(test: self, decision: decision)
    }
}

public struct PolicyTestResult: Sendable {
    public let test: PolicyTest
    public let decision: Decision

    public var passed: Bool { test.expectation.isMet(by: decision) }

    /// `allow (reason)` or `deny (reason)`: what the engine said, in the form of an expectation.
    public var outcome: String {
        PolicyTest.Expectation(allows: decision.isAuthorised, reason: decision.reason.description).description
    }
}
