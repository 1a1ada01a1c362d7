#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PolicyBatch

/// Reads audit logs line by line into a `ShadowReport`, in blocks of whole lines (`LineBlocks`), so
/// that memory holds one block and the report's groups whatever the logs' size. `-` is standard input.
public enum AuditLogReader {
    /// Adds every line of `files` to `report`; each line or file that could not be read goes to
    /// `problem`, and the reading goes on.
    public static func read(_ files: [String], into report: inout ShadowReport, problem: (AuditLineProblem) -> Void) {
        for file in files {
            let descriptor = file == "-" ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                problem(AuditLineProblem(.unreadableFile, file: file, line: nil, String(cString: strerror(errno))))
                continue
            }
            var blocks = LineBlocks(descriptor: descriptor, ownsDescriptor: file != "-", blockBytes: 1 << 20)
            do {
                while try blocks.next({ block, firstLine in
                    read(block, firstLine: firstLine, of: file, into: &report, problem: problem)
                }) {}
            } catch {
                problem(AuditLineProblem(.unreadableFile, file: file, line: nil, "cannot be read"))
            }
        }
    }

    private static func read(
        _ block: UnsafeBufferPointer<UInt8>, firstLine: Int, of file: String, into report: inout ShadowReport,
        problem: (AuditLineProblem) -> Void
    ) {
        var line = firstLine
        var start = block.startIndex
        while start < block.endIndex {
            let end = block[start...].firstIndex(of: UInt8(ascii: "\n")) ?? block.endIndex
            let text = block[start..<end]
            if !text.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
                do throws(ShadowReport.LineFailure) {
                    try report.add(Array(text))
                } catch {
                    problem(AuditLineProblem(error.code, file: file, line: line, error.message))
                }
            }
            line += 1
            start = end + 1
        }
    }
}
