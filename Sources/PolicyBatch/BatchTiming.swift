import PolicyCore

/// `--timing-rounds`: the in-process time of a decision, as a service calling the engine pays it
/// (reading, parsing and writing excluded). Each block's queries are decided `rounds` more times
/// as the block passes, and each round's time summed over the blocks, so that a round is every
/// query decided once, as if the whole batch were held, but only a block's queries ever are.
public struct BatchTiming {
    public struct Report: Sendable, Equatable {
        public let decisions: Int
        public let rounds: Int
        /// The median round's time, per decision.
        public let medianNanoseconds: Double
        /// Allowed decisions, over every round.
        public let allowed: Int
    }

    private var roundNanoseconds: [Double]
    private var decisions = 0
    private var allowed = 0

    init(rounds: Int) {
        roundNanoseconds = Array(repeating: 0, count: rounds)
    }

    mutating func measure(_ queries: [(Query, CallerGroups)], engine: DecisionEngine) {
        guard !queries.isEmpty else { return }
        decisions += queries.count
        let clock = ContinuousClock()
        for round in roundNanoseconds.indices {
            let elapsed = clock.measure {
                for (query, groups) in queries where engine.decide(query, groups: groups).isAuthorised { allowed += 1 }
            }
            roundNanoseconds[round] += Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        }
    }

    /// Nil without rounds, or without a query to time.
    var report: Report? {
        guard !roundNanoseconds.isEmpty, decisions > 0 else { return nil }
        let median = roundNanoseconds.sorted()[roundNanoseconds.count / 2]
        return Report(
            decisions: decisions, rounds: roundNanoseconds.count,
            medianNanoseconds: median / Double(decisions), allowed: allowed)
    }
}
