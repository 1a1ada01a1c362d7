import Dispatch
import Foundation
import PolicyCore

/// `policyc eval --batch`: one answer line per query line, in input order, whatever the options.
/// Each block of the input is cut into one share of whole lines per worker; the workers read,
/// decide and answer their shares side by side, and the shares' answers go to the sink in order
/// before the next block is asked for. So the runner holds one block, its answers and (with
/// timing) its queries, never more, with `--explain` as without; the sink bounds the rest.
/// A line that is not a query stops the run: the sink's answers are delivered only after a run
/// that returned (`run(input:output:)`).
public struct BatchRunner: Sendable {
    public let engine: DecisionEngine
    /// Answers with the reasoning (`--explain`).
    public var explain: Bool
    /// Extra rounds of deciding every query, timed (`--timing-rounds`; see `BatchTiming`).
    public var timingRounds: Int
    /// Reads every line with `BatchQuery.parse(_: String)`, the reference the byte reader is held to.
    public var referenceReading: Bool
    public var workers: Int

    public init(
        engine: DecisionEngine, explain: Bool = false, timingRounds: Int = 0, referenceReading: Bool = false,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.engine = engine
        self.explain = explain
        self.timingRounds = timingRounds
        self.referenceReading = referenceReading
        self.workers = max(1, workers)
    }

    /// Reads `input` to its end and, if every line is a query, writes the answers to `output`;
    /// with `timingRounds`, returns the timing (nil when there was no query to time).
    public func run(input: Int32, output: Int32) throws -> BatchTiming.Report? {
        var blocks = LineBlocks(descriptor: input, ownsDescriptor: false)
        var spool = AnswerSpool()
        let report = try run(&blocks, answersTo: &spool)
        try spool.deliver(to: output)
        return report
    }

    /// Every block of `input` answered into `sink`, one block at a time.
    public func run<Input: BatchInput & ~Copyable, Sink: AnswerSink & ~Copyable>(
        _ input: inout Input, answersTo sink: inout Sink
    ) throws -> BatchTiming.Report? {
        var generator = SystemRandomNumberGenerator()
        let seed = generator.next()
        let team = (0..<workers).map { _ in BatchWorker(seed: seed) }
        var timing = BatchTiming(rounds: timingRounds)
        while try input.next({ block, firstLine in
            try answer(block, firstLine: firstLine, by: team)
            for worker in team {
                try sink.append(worker.answers)
                timing.measure(worker.queries, engine: engine)
            }
        }) {}
        return timing.report
    }

    /// Every line of the block answered: the block is cut into one share of whole lines per worker,
    /// and each worker finds its lines, reads and decides them and writes its answers. Nothing is
    /// done line by line on one thread. Throws for the block's first line that is not a query.
    private func answer(_ block: UnsafeBufferPointer<UInt8>, firstLine: Int, by team: [BatchWorker]) throws(BatchFailure) {
        var cuts = [0]
        for index in 1..<team.count {
            var cut = max(cuts[index - 1], block.count * index / team.count)
            while cut < block.count, cut > 0, block[cut - 1] != UInt8(ascii: "\n") { cut += 1 }
            cuts.append(cut)
        }
        cuts.append(block.count)
        let shares = cuts
        nonisolated(unsafe) let block = block
        DispatchQueue.concurrentPerform(iterations: team.count) { index in
            team[index].answer(UnsafeBufferPointer(rebasing: block[shares[index]..<shares[index + 1]]), as: self)
        }
        // Line numbers: each share's count of lines before it.
        var base = firstLine
        for worker in team {
            if let invalid = worker.invalid { throw .notAQuery(line: base + invalid.line, message: invalid.message) }
            base += worker.newlines
        }
    }
}
