import AuditReport
import Foundation
import PolicyCore
import Testing

/// `ShadowReport` and `AuditLogReader` over the audit logs of `fixtures/audit`: differences grouped
/// by service, rule and role with their counts, first and last time and earliest example; the
/// records without a `shadow` member and the GMS searches counted, not grouped; lines that are not
/// records named and left out; memory bounded by a number of groups.
@Suite struct ShadowReportTests {
    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("fixtures/audit").path
    }()

    static let candidate = "sha256:" + String(repeating: "2", count: 64)

    static func read(_ files: [String]) -> (report: ShadowReport, problems: [AuditLineProblem]) {
        var report = ShadowReport()
        var problems: [AuditLineProblem] = []
        AuditLogReader.read(files, into: &report) { problems.append($0) }
        return (report, problems)
    }

    static func summary(_ group: ShadowReport.Group) -> String {
        "\(group.key.service) | \(group.key.rule) | \(group.key.role?.string ?? "-") | \(group.wouldAllow) | \(group.wouldDeny)"
    }

    @Test func groupsTheDifferences() throws {
        let (report, problems) = Self.read([Self.fixtures + "/shadow.jsonl"])
        #expect(problems.isEmpty)
        #expect(report.records == 9)
        #expect(report.decisions == 8)
        #expect((report.wouldAllow, report.wouldDeny) == (2, 4))
        #expect(report.candidateRevisions == [Self.candidate: 6])
        // Most differences first, then by service, rule and role. The gateway's decision shares its
        // group with the Permissions API's: the same service, rule and role.
        #expect(report.groups.map(Self.summary) == [
            "data-management-api | GET /data/list/{namespace} | namespace-viewer | 0 | 3",
            "data-management-api | POST /data/move | developer | 1 | 0",
            "site-capabilities-api | GET /sites | any | 1 | 0",
            "storage-plugin | plugin | reader | 0 | 1",
        ])
        let listing = report.groups[0]
        #expect((listing.first, listing.last) == ("2026-12-07T09:59:58.500Z", "2026-12-07T10:00:03.000Z"))
        // The earliest decision, though the log holds it third.
        #expect(listing.example.requestID == "req-c")
        #expect(listing.example.subject == "carol")
        #expect(listing.example.live == .init(isAuthorised: true, reason: "GET /data/list/{namespace}: expression true"))
        #expect(listing.example.shadow == .init(isAuthorised: false, reason: "GET /data/list/{namespace}: expression false"))
        #expect(listing.example.candidateRevision == Self.candidate)
        // A call the live set had no policy for takes the candidate's template as its rule.
        #expect(report.groups[2].example.live.reason == "no such policy")
    }

    /// Two logs (two replicas') sum up as one.
    @Test func logsAddUp() {
        let file = Self.fixtures + "/shadow.jsonl"
        let (report, _) = Self.read([file, file])
        #expect(report.decisions == 16)
        #expect(report.groups.map(\.differences) == [6, 2, 2, 2])
    }

    @Test func linesThatAreNotRecordsAreNamedAndLeftOut() {
        let file = Self.fixtures + "/malformed.jsonl"
        let (report, problems) = Self.read([file])
        #expect(problems.map(\.description) == [
            file + ":2: error[A0102]: not JSON: invalid literal at byte 0",
            file + ":4: error[A0103]: not an audit record: an array, not an object",
            file + ":5: error[A0103]: not an audit record: no 'is_authorised'",
            file + ":6: error[A0103]: not an audit record: 'shadow.is_authorised' is a string, not a boolean",
        ])
        #expect(report.records == 2)
        #expect(report.groups.map(\.differences) == [2])
    }

    @Test func aFileThatCannotBeReadIsNamed() {
        let (report, problems) = Self.read([Self.fixtures + "/no-such-file.jsonl"])
        #expect(problems.map(\.description) == [Self.fixtures + "/no-such-file.jsonl: error[A0101]: No such file or directory"])
        #expect(report.records == 0)
    }

    /// Line numbers run on across the reader's blocks (a megabyte each).
    @Test func lineNumbersRunAcrossBlocks() throws {
        let line = try String(contentsOfFile: Self.fixtures + "/shadow.jsonl", encoding: .utf8).split(separator: "\n")[0]
        let count = (2 << 20) / line.utf8.count + 10
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data((String(repeating: line + "\n", count: count) + "{\n").utf8).write(to: URL(fileURLWithPath: file))
        let (report, problems) = Self.read([file])
        #expect(report.wouldDeny == count)
        #expect(problems.map(\.line) == [count + 1])
    }

    /// Groups are kept up to `maximumGroups`: the differences of any further group are counted, not
    /// kept (the method of a route decision is the caller's, and could make a group each).
    @Test func groupsAreBounded() throws {
        var report = ShadowReport()
        let line = try String(contentsOfFile: Self.fixtures + "/shadow.jsonl", encoding: .utf8).split(separator: "\n")[0]
        for index in 0...ShadowReport.maximumGroups {
            try report.add(Array(line.replacingOccurrences(of: #""method":"GET""#, with: #""method":"M\#(index)""#).utf8))
        }
        #expect(report.groups.count == ShadowReport.maximumGroups)
        #expect(report.beyondGroups == 1)
        #expect(report.wouldDeny == ShadowReport.maximumGroups + 1)
    }

    /// Services, rules and roles compare by bytes: `é` precomposed and decomposed are two roles.
    @Test func keysCompareByBytes() throws {
        var report = ShadowReport()
        let line = try String(contentsOfFile: Self.fixtures + "/shadow.jsonl", encoding: .utf8).split(separator: "\n")[0]
        for role in ["r\u{E9}le", "re\u{301}le"] {
            try report.add(Array(line.replacingOccurrences(of: "namespace-viewer", with: role).utf8))
        }
        #expect(report.groups.count == 2)
    }
}
