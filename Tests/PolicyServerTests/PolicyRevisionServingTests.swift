import Foundation
import PolicyCore
import PolicyDigest
import Testing

/// The revision of the set serving, in each place policyd shows it: `/v1/health`, the metric
/// `policyd_policy_revision_info`, the audit record, and `X-Policy-Revision` on every decision (the
/// Permissions API's, a token's first call and a cached one alike, and the gateway's). Each the value
/// `policyc revision` prints for the directory (`PolicyRevision` over the same loader's set); a reload
/// that changes the files changes all of them, one that fails changes none.
@Suite struct PolicyRevisionServingTests {
    static let body = #"{"namespace": "testing"}"#
    static let gateway = "/v1/gateway/data-management-api/data/list/"

    /// What `policyc revision` prints for `directory`.
    static func expected(_ directory: String) throws -> String {
        PolicyRevision(of: try PolicyLoader().load(directory: directory, allowsEmpty: false)).text
    }

    /// Every `policyd_policy_revision_info` series (name and labels) and its value.
    static func revisionSeries(_ harness: InProcessPolicyd) async throws -> [String: Double] {
        let text = String(decoding: try await harness.client.get("/metrics").body, as: UTF8.self)
        var series: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("policyd_policy_revision_info") {
            let space = line.lastIndex(of: " ")!
            series[String(line[..<space]), default: 0] += Double(line[space...].dropFirst()) ?? .nan
        }
        return series
    }

    /// The one series a revision should have.
    static func only(_ revision: String) -> [String: Double] {
        [#"policyd_policy_revision_info{revision="\#(revision)"}"#: 1]
    }

    static func health(_ harness: InProcessPolicyd) async throws -> [String: Any] {
        try await harness.client.get("/v1/health").json
    }

    /// The revision each kind of decision answer carries: a token's first call, the same token
    /// cached, a denial for want of a token, and the gateway's allow, deny and 401.
    static func answerRevisions(_ harness: InProcessPolicyd, token: String) async throws -> [String?] {
        var revisions: [String?] = []
        for bearer in [token, token, nil] {
            let answer = try await harness.client.post(Paths.dataList, body: body, bearer: bearer)
            #expect(answer.status == 200)
            revisions.append(answer.headers["x-policy-revision"])
        }
        for (namespace, bearer, status) in [("testing", token, 200), ("lofar", token, 403), ("testing", nil, 401)] {
            let answer = try await harness.client.send(
                "GET", gateway + namespace, headers: bearer.map { ["Authorization": "Bearer \($0)"] } ?? [:])
            #expect(answer.status == status)
            revisions.append(answer.headers["x-policy-revision"])
        }
        return revisions
    }

    @Test func everyPlaceShowsTheRevisionServingAndAReloadChangesItInEach() async throws {
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: audit) }
        try await InProcessPolicyd.run(
            policies: ["dm.json": TestPolicies.dataManagementV1],
            configure: { configuration, _ in
                configuration.policyWatchInterval = .milliseconds(50)
                configuration.auditDestination = .file(audit)
                configuration.auditSampleRate = 1
            }
        ) { harness in
            let first = try Self.expected(harness.policyDirectory)
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            #expect(try await Self.health(harness)["policy_revision"] as? String == first)
            #expect(try await Self.revisionSeries(harness) == Self.only(first))
            #expect(try await Self.answerRevisions(harness, token: token) == Array(repeating: first, count: 6))
            #expect(try await harness.eventually { AuditLogTests.records(in: audit).count == 6 })
            #expect(AuditLogTests.records(in: audit).map { $0["policy_revision"] as? String } == Array(repeating: first, count: 6))

            // Whitespace the policy does not read: the same decisions, another revision.
            let file = URL(fileURLWithPath: harness.policyDirectory + "/dm.json")
            try Data((try String(contentsOf: file, encoding: .utf8) + "\n").utf8).write(to: file)
            let second = try Self.expected(harness.policyDirectory)
            #expect(second != first)
            #expect(try await harness.eventually { try await Self.health(harness)["policy_revision"] as? String == second })
            #expect(try await Self.revisionSeries(harness) == Self.only(second))
            #expect(try await Self.answerRevisions(harness, token: token) == Array(repeating: second, count: 6))
            #expect(try await harness.eventually { AuditLogTests.records(in: audit).count == 12 })
            #expect(AuditLogTests.records(in: audit).dropFirst(6).map { $0["policy_revision"] as? String } == Array(repeating: second, count: 6))

            // A file that does not load: the set serving stays, and so does its revision, everywhere.
            try Data("{".utf8).write(to: URL(fileURLWithPath: harness.policyDirectory + "/broken.json"))
            #expect(try await harness.eventually {
                let policies = try await Self.health(harness)["policies"] as? [String: Any]
                return policies?["last_reload_failure"] != nil
            })
            #expect(try await Self.health(harness)["policy_revision"] as? String == second)
            #expect(try await Self.revisionSeries(harness) == Self.only(second))
            #expect(try await Self.answerRevisions(harness, token: token) == Array(repeating: second, count: 6))
        }
    }
}
