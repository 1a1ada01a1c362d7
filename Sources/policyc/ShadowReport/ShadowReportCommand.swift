import ArgumentParser
import AuditReport

struct ShadowReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shadow-report",
        abstract: "Sum up what the candidate set of policyd's --shadow-policies would have decided otherwise.",
        discussion: """
            Reads policyd's audit logs (each a file of JSON lines, - for standard input), takes \
            every decision whose record carries a shadow member (the candidate set's answer, where \
            it differs from the live one) and groups them by service, rule (the method and the \
            route template that decided, for a route decision; the policy type otherwise) and role \
            (the role through which the answer that allows lets the caller in). Each group has its \
            counts of would_allow and would_deny, its first and last time, and an example: the \
            earliest decision, with its request ID, subject and both answers. Groups come most \
            differences first. Memory holds the groups, never the records, whatever the logs' size.

            A line that is not an audit record is named on standard error \
            (file:line: error[A0102]: …) and left out; the rest is read.

            Formats: text (default); json, one document; markdown, a table for a pull request \
            (see docs/policyc.md).

            Exit status: 0 when at least one audit record was read; 1 when none was (no file \
            could be read, or no line of them was a record); 2 for a usage error.

            Examples:
              policyc shadow-report /var/log/policyd/audit.log
              kubectl logs -l app=policyd --since=24h | policyc shadow-report --format markdown -
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Argument(help: ArgumentHelp("Audit logs (JSON lines); - for standard input.", valueName: "audit-log"))
    var files: [String]

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    func run() throws {
        var report = ShadowReport()
        AuditLogReader.read(files, into: &report) { printError($0.description) }
        guard report.records > 0 else {
            printError("policyc shadow-report: no audit record read")
            throw ExitCode(1)
        }
        let shown = ShadowReportOutput(report: report, files: files)
        let lines = switch format {
        case .text: shown.text
        case .markdown: shown.markdown
        case .json: [shown.json]
        }
        var output = BufferedOutput()
        for line in lines { output.writeLine(line) }
    }
}
