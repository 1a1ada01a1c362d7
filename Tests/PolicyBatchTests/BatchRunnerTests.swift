import Foundation
import PolicyBatch
import PolicyCore
import Testing

/// The batch runner on the conformance queries, repeated, among blank lines, in small blocks shared
/// out between several workers.
@Suite struct BatchRunnerTests {
    /// Every conformance query four times, a blank line (spaces, a tab) after every seventh.
    static let lines: [String] = (0..<4).flatMap { _ in Conformance.lines }.enumerated().flatMap { index, line in
        index % 7 == 6 ? [line, index % 2 == 0 ? "" : " \t "] : [line]
    }

    static func run(
        _ lines: [String], explain: Bool = false, timingRounds: Int = 0, blockLines: Int = 13, workers: Int = 3
    ) throws -> (answers: [UInt8], ledger: Ledger, timing: BatchTiming.Report?) {
        let ledger = Ledger()
        var input = LentBlocks(lines, blockLines: blockLines, ledger: ledger)
        var sink = CollectedAnswers(ledger: ledger)
        let runner = BatchRunner(engine: Conformance.engine, explain: explain, timingRounds: timingRounds, workers: workers)
        let timing = try runner.run(&input, answersTo: &sink)
        return (sink.bytes, ledger, timing)
    }

    @Test(arguments: [false, true])
    func answersKeepTheInputsOrder(explain: Bool) throws {
        let expected = Self.lines.filter { !$0.allSatisfy(\.isWhitespace) }.flatMap { expectedAnswer($0, explain: explain) }
        for workers in [1, 2, 5] {
            let run = try Self.run(Self.lines, explain: explain, workers: workers)
            #expect(run.answers == expected, "\(workers) workers")
        }
    }

    /// The explanation is there, line by line: `--explain` no longer takes another way through.
    @Test func explainedAnswersExplain() throws {
        let answers = try Self.run(Array(Conformance.lines.prefix(40)), explain: true).answers
        let explained = String(decoding: answers, as: UTF8.self).split(separator: "\n").filter { $0.contains(#""explanation": {"#) }
        #expect(explained.count > 20)
    }

    /// The bound on memory, by construction: the runner is lent one block at a time, each only for
    /// the call, and has handed every answer of a block to the sink before it asks for the next.
    /// So it holds at most one block's lines and answers, with `--explain` and timing as without.
    @Test(arguments: [(false, 0), (true, 0), (false, 2), (true, 2)])
    func holdsNoMoreThanOneBlock(explain: Bool, timingRounds: Int) throws {
        let run = try Self.run(Self.lines, explain: explain, timingRounds: timingRounds, blockLines: 10)
        #expect(run.ledger.blocksLent == (Self.lines.count + 9) / 10)
        #expect(run.ledger.linesAnswered == run.ledger.linesLent)
        #expect(run.ledger.mostUnansweredAtNext == 0)
    }

    /// The first line that is not a query, by its number in the file (blank lines counted), its
    /// error in `BatchQuery.parse`'s words, wherever it falls: first or later worker, first or
    /// later block, and a later bad line does not hide it.
    @Test(arguments: [1, 2, 14, 27, 1000, Self.lines.count])
    func aLineThatIsNotAQueryIsNamed(number: Int) throws {
        var lines = Self.lines
        lines[number - 1] = #"{"type":"route","service":"s"}"#
        if number + 30 <= lines.count { lines[number + 29] = "not json" }
        let message: String
        do throws(BatchQuery.Invalid) {
            _ = try BatchQuery.parse(lines[number - 1])
            Issue.record("the line is a query")
            return
        } catch {
            message = error.message
        }
        for workers in [1, 3] {
            #expect(throws: BatchFailure.notAQuery(line: number, message: message)) {
                try Self.run(lines, workers: workers)
            }
        }
    }

    /// Timing decides each block's queries again as the block passes: every query of every block,
    /// each round (the answered ones, with no usable version, are not decisions).
    @Test func timingCountsEveryQueryOfEveryRound() throws {
        let queries = Self.lines.filter { line in
            guard !line.allSatisfy(\.isWhitespace), case .query = try! BatchQuery.parse(line) else { return false }
            return true
        }
        let allowed = queries.count { expectedAnswer($0, explain: false).starts(with: Array(#"{"is_authorised": true"#.utf8)) }
        let timing = try #require(try Self.run(Self.lines, timingRounds: 3).timing)
        #expect(timing.decisions == queries.count)
        #expect(timing.rounds == 3)
        #expect(timing.allowed == 3 * allowed)
        #expect(try Self.run(Self.lines).timing == nil)
    }

    /// Through descriptors, as `policyc eval --batch` runs it: the answers, or none at all.
    @Test func descriptorsGetEveryAnswerOrNone() throws {
        let text = Conformance.lines.prefix(50).joined(separator: "\n")  // the last line without its newline
        let input = TemporaryFile(text)
        let output = TemporaryFile()
        let runner = BatchRunner(engine: Conformance.engine, workers: 2)
        #expect(try runner.run(input: input.descriptor, output: output.descriptor) == nil)
        let expected = Conformance.lines.prefix(50).flatMap { expectedAnswer($0, explain: false) }
        #expect(Array(output.contents.utf8) == expected)

        let bad = TemporaryFile(text + "\n{\n")
        let nothing = TemporaryFile()
        #expect(throws: BatchFailure.self) { try runner.run(input: bad.descriptor, output: nothing.descriptor) }
        #expect(nothing.contents.isEmpty)
    }
}
