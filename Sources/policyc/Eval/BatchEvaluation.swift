import ArgumentParser
import Foundation
import PolicyCore

/// `policyc eval --batch`: every line is read and checked first, so a line that is not a query
/// stops the run before anything is answered; then one answer line per query, in order.
struct BatchEvaluation {
    let engine: DecisionEngine
    let explain: Bool
    /// Extra rounds of deciding every query, timed (see `reportTiming`).
    var timingRounds = 0

    func run(file: String) throws {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                printError("\(file): error: cannot read the batch file")
                throw ExitCode(1)
            }
            text = String(decoding: data, as: UTF8.self)
        }
        var parsed: [BatchQuery.Parsed] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { !$0.isWhitespace }) else { continue }
            do {
                parsed.append(try BatchQuery.parse(String(line)))
            } catch {
                printError("\(file):\(number + 1): error: not a query: \(error.message)")
                throw ExitCode(1)
            }
        }
        var output = BufferedOutput()
        for query in parsed {
            let decision: Decision
            switch query {
            case .answered(let answer): decision = answer
            case .query(let query, let groups): decision = engine.decide(query, groups: groups, explain: explain)
            }
            output.writeLine(JSONWriter.string(decision.json(explain: explain), style: .line))
        }
        if timingRounds > 0 { reportTiming(parsed) }
    }

    /// Decides every query `timingRounds` times and prints the median time per decision of a
    /// round: only the engine is timed, as a service calling it in-process would pay.
    private func reportTiming(_ parsed: [BatchQuery.Parsed]) {
        let queries = parsed.compactMap { entry -> (Query, CallerGroups)? in
            if case .query(let query, let groups) = entry { return (query, groups) }
            return nil
        }
        guard !queries.isEmpty else { return }
        var perDecision: [Double] = []
        var allowed = 0
        let clock = ContinuousClock()
        for _ in 0..<timingRounds {
            let elapsed = clock.measure {
                for (query, groups) in queries where engine.decide(query, groups: groups).isAuthorised { allowed += 1 }
            }
            let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            perDecision.append(nanoseconds / Double(queries.count))
        }
        perDecision.sort()
        let median = perDecision[perDecision.count / 2]
        printError("timing: \(queries.count) decisions x \(timingRounds) rounds: median \(String(format: "%.0f", median)) ns per decision (\(allowed) allowed)")
    }
}
