import ArgumentParser
import Foundation
import PolicyCore

/// `policyc eval --batch`: every line is read and checked first, so a line that is not a query
/// stops the run before anything is answered; then one answer line per query, in order.
struct BatchEvaluation {
    let engine: DecisionEngine
    let explain: Bool

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
    }
}
