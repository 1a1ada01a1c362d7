#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PolicyCore

/// One worker's share of a block: its reader (kept from block to block), the answers of its share,
/// the number of lines it went through, the first of them that is not a query (counted from the
/// start of the share), and with timing the share's queries, to be decided again.
final class BatchWorker: @unchecked Sendable {
    private var reader: BatchLineReader
    private(set) var answers: [UInt8] = []
    private(set) var newlines = 0
    private(set) var invalid: (line: Int, message: String)?
    private(set) var queries: [(Query, CallerGroups)] = []

    init(seed: UInt64) {
        reader = BatchLineReader(seed: seed)
    }

    /// Reads, decides and answers every line of `share`, stopping at the first that is not a query.
    func answer(_ share: UnsafeBufferPointer<UInt8>, as options: BatchRunner) {
        answers.removeAll(keepingCapacity: true)
        queries.removeAll(keepingCapacity: true)
        invalid = nil
        newlines = 0
        var start = 0
        while start < share.count {
            let end = Self.newline(in: share, from: start) ?? share.count
            defer {
                start = end + 1
                newlines += 1
            }
            let line = UnsafeBufferPointer(rebasing: share[start..<end])
            if Self.isBlank(line) { continue }
            let decision: Decision
            do throws(BatchQuery.Invalid) {
                let parsed = options.referenceReading
                    ? try BatchQuery.parse(String(decoding: line, as: UTF8.self))
                    : try reader.parse(line)
                switch parsed {
                case .answered(let answer):
                    decision = answer
                case .query(let query, let groups):
                    decision = options.engine.decide(query, groups: groups, explain: options.explain)
                    if options.timingRounds > 0 { queries.append((query, groups)) }
                }
            } catch {
                invalid = (newlines, error.message)
                return
            }
            decision.appendLineAnswer(to: &answers, explain: options.explain)
        }
    }

    /// The offset of the next `\n` in `share[start...]`, by memchr.
    private static func newline(in share: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let found = memchr(share.baseAddress! + start, Int32(UInt8(ascii: "\n")), share.count - start) else { return nil }
        return share.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Whitespace only, as `Character.isWhitespace` reads it (Unicode's spaces too). A query line's
    /// first byte that is not a space decides it, nearly always `{`.
    private static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = line.firstIndex(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }) else { return true }
        guard line[first] >= 0x80 else { return false }
        return !String(decoding: line, as: UTF8.self).contains { !$0.isWhitespace }
    }
}
