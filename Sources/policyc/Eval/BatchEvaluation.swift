import ArgumentParser
import Foundation
import PolicyBatch

#if canImport(Glibc)
import Glibc
#endif

/// `policyc eval --batch FILE`: the batch runner (`PolicyBatch`) on a file or standard input (`-`),
/// its answers to standard output, its failures as diagnostics.
struct BatchEvaluation {
    let runner: BatchRunner

    func run(file: String) throws {
        let standardInput = file == "-"
        let descriptor = standardInput ? 0 : open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.unreadable(file) }
        defer { if !standardInput { close(descriptor) } }
        let timing: BatchTiming.Report?
        do {
            timing = try runner.run(input: descriptor, output: 1)
        } catch BatchFailure.unreadable {
            throw Self.unreadable(file)
        } catch BatchFailure.notAQuery(let line, let message) {
            printError("\(file):\(line): error: not a query: \(message)")
            throw ExitCode(1)
        }
        if let timing {
            let median = String(format: "%.0f", timing.medianNanoseconds)
            printError("timing: \(timing.decisions) decisions x \(timing.rounds) rounds: median \(median) ns per decision (\(timing.allowed) allowed)")
        }
    }

    private static func unreadable(_ file: String) -> ExitCode {
        printError("\(file): error: cannot read the batch file")
        return ExitCode(1)
    }
}
