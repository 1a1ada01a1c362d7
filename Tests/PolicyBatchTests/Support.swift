import Foundation
import PolicyBatch
import PolicyCore

/// The public conformance cases (`shared/reference/conformance`, beside the repository as CI lays
/// it out): 300 queries of every type, allowed and denied for many reasons.
enum Conformance {
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("shared/reference/conformance").path
    }()

    static let engine = DecisionEngine(policies: try! PolicyLoader().load(directory: directory + "/policies"))

    static let lines: [String] = try! String(contentsOfFile: directory + "/queries.jsonl", encoding: .utf8)
        .split(separator: "\n").map(String.init)
}

/// What a batch's answer to `line` must be, read and decided one line at a time.
func expectedAnswer(_ line: String, explain: Bool) -> [UInt8] {
    var answer: [UInt8] = []
    let decision: Decision
    switch try! BatchQuery.parse(line) {
    case .answered(let answered): decision = answered
    case .query(let query, let groups): decision = Conformance.engine.decide(query, groups: groups, explain: explain)
    }
    decision.appendLineAnswer(to: &answer, explain: explain)
    return answer
}

/// What the runner has been lent and what it has handed back, seen from both ends.
final class Ledger {
    var linesLent = 0
    var linesAnswered = 0
    var blocksLent = 0
    /// The most lines lent and not yet answered when another block was asked for.
    var mostUnansweredAtNext = 0
}

/// An input that lends `lines` `blockLines` at a time, each block in memory of its own that is
/// overwritten and freed when the runner's call returns: lines kept beyond their block would be
/// garbage. Counts what it lends in `ledger`.
struct LentBlocks: BatchInput {
    let lines: [String]
    let blockLines: Int
    let ledger: Ledger
    private var next = 0

    init(_ lines: [String], blockLines: Int, ledger: Ledger = Ledger()) {
        self.lines = lines
        self.blockLines = blockLines
        self.ledger = ledger
    }

    mutating func next(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws -> Bool {
        ledger.mostUnansweredAtNext = max(ledger.mostUnansweredAtNext, ledger.linesLent - ledger.linesAnswered)
        guard next < lines.count else { return false }
        let taken = lines[next..<min(next + blockLines, lines.count)]
        let bytes = Array(taken.map { $0 + "\n" }.joined().utf8)
        let block = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, bytes.count))
        defer {
            block.update(repeating: UInt8(ascii: "#"))
            block.deallocate()
        }
        _ = block.initialize(from: bytes)
        ledger.blocksLent += 1
        ledger.linesLent += taken.filter { !$0.allSatisfy(\.isWhitespace) }.count
        try body(UnsafeBufferPointer(rebasing: block[..<bytes.count]), next + 1)
        next += taken.count
        return true
    }
}

/// A sink that keeps every answer, counting answer lines in `ledger`.
struct CollectedAnswers: AnswerSink {
    var bytes: [UInt8] = []
    let ledger: Ledger

    mutating func append(_ answers: [UInt8]) throws {
        bytes += answers
        ledger.linesAnswered += answers.count { $0 == UInt8(ascii: "\n") }
    }
}

/// A file removed when the value goes away, with its descriptor open for reading and writing.
final class TemporaryFile {
    let path = NSTemporaryDirectory() + "policybatch-tests-" + UUID().uuidString
    let descriptor: Int32

    init(_ contents: String = "") {
        FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
        descriptor = open(path, O_RDWR)
    }

    var contents: String { try! String(contentsOfFile: path, encoding: .utf8) }

    deinit {
        close(descriptor)
        try? FileManager.default.removeItem(atPath: path)
    }
}
