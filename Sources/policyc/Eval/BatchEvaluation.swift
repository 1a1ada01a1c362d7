import ArgumentParser
import Dispatch
import Foundation
import PolicyCore

#if canImport(Glibc)
import Glibc
#endif

/// `policyc eval --batch`: one answer line per query line, in order. The input is read in blocks of
/// whole lines (standard input too) and each block's lines are shared out between the cores; each
/// line is read from its bytes (`BatchLineReader`) and its answer written as bytes. A line that is
/// not a query stops the run before anything is answered: answers wait in an `AnswerSpool` until
/// the last line has been read. `--explain` and `--timing-rounds` take the reference path, which
/// holds every query in memory.
struct BatchEvaluation {
    let engine: DecisionEngine
    let explain: Bool
    /// Extra rounds of deciding every query, timed (see `reportTiming`).
    var timingRounds = 0
    /// Reads every line with `BatchQuery.parse(_: String)`: the reference the byte reader is held to.
    var reference = false

    func run(file: String) throws {
        var blocks: LineBlocks
        if file == "-" {
            blocks = LineBlocks(descriptor: 0, ownsDescriptor: false)
        } else {
            let descriptor = open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw Self.unreadable(file) }
            blocks = LineBlocks(descriptor: descriptor, ownsDescriptor: true)
        }
        if explain || timingRounds > 0 || reference {
            try runReference(file: file, blocks: &blocks)
        } else {
            try runStreaming(file: file, blocks: &blocks)
        }
    }

    private static func unreadable(_ file: String) -> ExitCode {
        printError("\(file): error: cannot read the batch file")
        return ExitCode(1)
    }

    // MARK: Streaming

    /// One worker's share of a block: its reader (kept from block to block), its answers, the lines
    /// of its share, and the first line of its share that is not a query (its number counted from
    /// the start of the share, until the shares before it have been counted).
    private final class Worker: @unchecked Sendable {
        var reader: BatchLineReader
        var answers: [UInt8] = []
        var newlines = 0
        var invalid: (line: Int, message: String)?

        init(seed: UInt64) {
            reader = BatchLineReader(seed: seed)
        }
    }

    private func runStreaming(file: String, blocks: inout LineBlocks) throws {
        var generator = SystemRandomNumberGenerator()
        let seed = generator.next()
        let workers = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map { _ in Worker(seed: seed) }
        var spool = AnswerSpool()
        do {
            while try blocks.next({ block, firstLine in answer(block, firstLine: firstLine, by: workers) }) {
                if let invalid = workers.compactMap(\.invalid).min(by: { $0.line < $1.line }) {
                    printError("\(file):\(invalid.line): error: not a query: \(invalid.message)")
                    throw ExitCode(1)
                }
                for worker in workers { try spool.append(worker.answers) }
            }
            try spool.deliver()
        } catch is LineBlocks.ReadFailed {
            throw Self.unreadable(file)
        }
    }

    /// Every line of the block answered: the block is cut into one share of whole lines per worker,
    /// each worker finds its lines, reads and decides them, and writes its answers; the shares are
    /// then taken in order. Nothing is done line by line on one thread.
    private func answer(_ block: UnsafeBufferPointer<UInt8>, firstLine: Int, by workers: [Worker]) {
        var cuts = [0]
        for index in 1..<workers.count {
            var cut = max(cuts[index - 1], block.count * index / workers.count)
            while cut < block.count, cut > 0, block[cut - 1] != UInt8(ascii: "\n") { cut += 1 }
            cuts.append(cut)
        }
        cuts.append(block.count)
        let shares = cuts
        let engine = engine
        nonisolated(unsafe) let block = block
        DispatchQueue.concurrentPerform(iterations: workers.count) { index in
            let worker = workers[index]
            worker.answers.removeAll(keepingCapacity: true)
            worker.invalid = nil
            worker.newlines = 0
            var start = shares[index]
            let end = shares[index + 1]
            while start < end {
                let lineEnd = Self.newline(in: block, from: start, before: end) ?? end
                defer {
                    start = lineEnd + 1
                    worker.newlines += 1
                }
                let line = UnsafeBufferPointer(rebasing: block[start..<lineEnd])
                if Self.isBlank(line) { continue }
                let decision: Decision
                do throws(BatchQuery.Invalid) {
                    switch try worker.reader.parse(line) {
                    case .answered(let answer): decision = answer
                    case .query(let query, let groups): decision = engine.decide(query, groups: groups)
                    }
                } catch {
                    worker.invalid = (worker.newlines, error.message)
                    return
                }
                decision.appendLineAnswer(to: &worker.answers)
            }
        }
        // Line numbers: each share's count of lines before it.
        var base = firstLine
        for worker in workers {
            if let invalid = worker.invalid { worker.invalid = (base + invalid.line, invalid.message) }
            base += worker.newlines
        }
    }

    /// The offset of the next `\n` in `block[start..<end]`, by memchr.
    private static func newline(in block: UnsafeBufferPointer<UInt8>, from start: Int, before end: Int) -> Int? {
        guard start < end, let found = memchr(block.baseAddress! + start, Int32(UInt8(ascii: "\n")), end - start) else { return nil }
        return block.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The block's lines that are not blank, with their numbers (blank lines are counted, as a
    /// person reading the file counts them).
    private static func split(_ block: UnsafeBufferPointer<UInt8>, firstLine: Int, into lines: inout [(range: Range<Int>, number: Int)]) {
        var start = 0
        var number = firstLine
        while start < block.count {
            let end = newline(in: block, from: start, before: block.count) ?? block.count
            if !isBlank(UnsafeBufferPointer(rebasing: block[start..<end])) { lines.append((start..<end, number)) }
            start = end + 1
            number += 1
        }
    }

    /// Whitespace only, as `Character.isWhitespace` reads it (Unicode's spaces too). A query line's
    /// first byte that is not a space decides it, nearly always `{`.
    private static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = line.firstIndex(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }) else { return true }
        guard line[first] >= 0x80 else { return false }
        return !String(decoding: line, as: UTF8.self).contains { !$0.isWhitespace }
    }

    // MARK: Reference

    /// Every line read and checked first, then answered: with `--explain` (rare, and wide answers) and
    /// for `--timing-rounds`, which decides the parsed queries again.
    private func runReference(file: String, blocks: inout LineBlocks) throws {
        var parsed: [BatchQuery.Parsed] = []
        do {
            while try blocks.next({ block, firstLine in
                var lines: [(range: Range<Int>, number: Int)] = []
                Self.split(block, firstLine: firstLine, into: &lines)
                for line in lines {
                    do throws(BatchQuery.Invalid) {
                        parsed.append(try BatchQuery.parse(String(decoding: UnsafeBufferPointer(rebasing: block[line.range]), as: UTF8.self)))
                    } catch {
                        printError("\(file):\(line.number): error: not a query: \(error.message)")
                        throw ExitCode(1)
                    }
                }
            }) {}
        } catch is LineBlocks.ReadFailed {
            throw Self.unreadable(file)
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
