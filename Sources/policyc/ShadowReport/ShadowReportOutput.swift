import AuditReport
import PolicyCore

/// A `ShadowReport` as text, Markdown or JSON. What a record says is the caller's in part (a route,
/// a method, a subject, a request ID): in text and Markdown every control character becomes a
/// space, so that a log line cannot move a terminal's cursor or break a table.
struct ShadowReportOutput {
    let report: ShadowReport
    let files: [String]

    var text: [String] {
        var lines = [summary]
        guard !report.groups.isEmpty else { return lines }
        var table = TextTable(header: ["service", "rule", "role", "would allow", "would deny", "first", "last", "example"])
        for group in report.groups {
            table.append(cells(of: group))
        }
        lines += table.lines()
        lines += beyondGroups
        return lines
    }

    var markdown: [String] {
        var lines = ["### Shadow decisions", "", summary]
        guard !report.groups.isEmpty else { return lines }
        var table = TextTable(header: ["service", "rule", "role", "would allow", "would deny", "first", "last", "example"])
        for group in report.groups {
            table.append(cells(of: group))
        }
        lines.append("")
        lines += table.markdown(code: [true, true, true, false, false, false, false, true])
        lines += beyondGroups
        return lines
    }

    var json: String {
        func string(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        func number(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }
        func answer(_ answer: ShadowReport.Answer) -> JSONValue {
            .object([JSONMember("is_authorised", .bool(answer.isAuthorised)), JSONMember("reason", .string(answer.reason))])
        }
        let groups = report.groups.map { group -> JSONValue in
            let example = group.example
            return .object([
                JSONMember("service", .string(group.key.service.string)),
                JSONMember("rule", .string(group.key.rule.string)),
                JSONMember("role", string(group.key.role?.string)),
                JSONMember("would_allow", number(group.wouldAllow)),
                JSONMember("would_deny", number(group.wouldDeny)),
                JSONMember("first", .string(group.first)),
                JSONMember("last", .string(group.last)),
                JSONMember("example", .object([
                    JSONMember("time", .string(example.time)),
                    JSONMember("endpoint", .string(example.endpoint)),
                    JSONMember("request_id", string(example.requestID)),
                    JSONMember("sub", string(example.subject)),
                    JSONMember("route", string(example.route)),
                    JSONMember("live", answer(example.live)),
                    JSONMember("shadow", answer(example.shadow)),
                    JSONMember("candidate_revision", .string(example.candidateRevision)),
                ])),
            ])
        }
        return JSONWriter.string(.object([
            JSONMember("records", number(report.records)),
            JSONMember("decisions", number(report.decisions)),
            JSONMember("would_allow", number(report.wouldAllow)),
            JSONMember("would_deny", number(report.wouldDeny)),
            JSONMember("candidate_revisions", .array(revisions.map { .string($0) })),
            JSONMember("groups", .array(groups)),
            JSONMember("differences_beyond_groups", number(report.beyondGroups)),
        ]), style: .pretty)
    }

    /// The candidate revisions, most differences first.
    private var revisions: [String] {
        report.candidateRevisions.sorted { left, right in
            left.value != right.value ? left.value > right.value : left.key.utf8.lexicographicallyPrecedes(right.key.utf8)
        }.map(\.key)
    }

    private var summary: String {
        let read = "\(report.decisions) \(report.decisions == 1 ? "decision" : "decisions") read from \(files.joined(separator: ", "))"
        guard report.differences > 0 else { return (read + "; the candidate decides none otherwise.").controlsAsSpaces }
        let candidate = revisions.count == 1 ? "the candidate (\(revisions[0]))" : "the candidates (\(revisions.joined(separator: ", ")))"
        return ("\(read); \(candidate) would decide \(report.differences) otherwise: \(report.wouldAllow) would allow, "
            + "\(report.wouldDeny) would deny.").controlsAsSpaces
    }

    private var beyondGroups: [String] {
        report.beyondGroups == 0 ? [] : [
            "\(report.beyondGroups) more differences, in groups beyond the first \(ShadowReport.maximumGroups), are counted above but not listed.",
        ]
    }

    private func cells(of group: ShadowReport.Group) -> [[String]] {
        let example = group.example
        var who = "request \(example.requestID ?? "(none)")"
        if let subject = example.subject { who += ", sub \(subject)" }
        return [
            [group.key.service.string], [group.key.rule.string], [group.key.role?.string ?? "(none)"],
            [String(group.wouldAllow)], [String(group.wouldDeny)], [group.first], [group.last],
            [who, "live: " + Self.words(example.live), "candidate: " + Self.words(example.shadow)],
        ].map { $0.map(\.controlsAsSpaces) }
    }

    private static func words(_ answer: ShadowReport.Answer) -> String {
        (answer.isAuthorised ? "allowed (" : "denied (") + answer.reason + ")"
    }
}
