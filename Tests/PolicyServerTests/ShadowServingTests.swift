import AuditReport
import Foundation
import PolicyCore
import PolicyDigest
@testable import PolicyServer
import Testing

/// `--shadow-policies` served (in process): live answers unchanged by a candidate that decides otherwise, the
/// metric, the audit record's `shadow` member, `/v1/health`'s `shadow`, a candidate that does not load
/// at start or on a reload (the live set never touched), a reload of the candidate picked up, and a
/// service only the candidate has.
@Suite struct ShadowServingTests {
    static let list = Paths.dataList
    static let testing = #"{"namespace": "testing"}"#
    static let other = #"{"namespace": "other"}"#
    static let gateway = "/v1/gateway/data-management-api/data/list/testing"

    struct Shadowed {
        let harness: InProcessPolicyd
        let candidateDirectory: String
        let audit: String

        /// Replaces the candidate directory's files (`ISSUER` replaced).
        func writeCandidate(_ files: [String: String]) throws {
            for name in try FileManager.default.contentsOfDirectory(atPath: candidateDirectory) {
                try FileManager.default.removeItem(atPath: candidateDirectory + "/" + name)
            }
            for (name, text) in files {
                try Data(text.replacingOccurrences(of: "ISSUER", with: harness.issuerURL).utf8)
                    .write(to: URL(fileURLWithPath: candidateDirectory + "/" + name))
            }
        }

        func health() async throws -> [String: Any] {
            try await harness.client.get("/v1/health").json
        }

        var shadowHealth: [String: Any] {
            get async throws { try await health()["shadow"] as? [String: Any] ?? [:] }
        }

        /// `policyd_shadow_decisions_total` for one series; nil when it does not exist.
        func shadowDecisions(_ outcome: String, service: String = "data-management-api", type: String = "route") async throws
            -> Double?
        {
            try await GroupSourceTests.metric(
                #"policyd_shadow_decisions_total{service="\#(service)",type="\#(type)",outcome="\#(outcome)"}"#, in: harness)
        }

        var records: [[String: Any]] { AuditLogTests.records(in: audit) }
    }

    /// A policyd on the data-management-api policy, its candidate set from `candidate`, its audit log
    /// in a file, its watch every 50 ms.
    static func run(
        policies: [String: String] = ["dm.json": TestPolicies.dataManagementV1], candidate: [String: String],
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        afterStopping: @Sendable ([[String: Any]]) throws -> Void = { _ in },
        _ body: @Sendable (Shadowed) async throws -> Void
    ) async throws {
        let temporary = FileManager.default.temporaryDirectory
        let candidateDirectory = temporary.appendingPathComponent("policyd-shadow-\(UUID().uuidString)").path
        let audit = temporary.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
        defer {
            try? FileManager.default.removeItem(atPath: candidateDirectory)
            try? FileManager.default.removeItem(atPath: audit)
        }
        try FileManager.default.createDirectory(atPath: candidateDirectory, withIntermediateDirectories: true)
        try await InProcessPolicyd.run(
            policies: policies,
            configure: { configuration, issuerURL in
                for (name, text) in candidate {
                    try? Data(text.replacingOccurrences(of: "ISSUER", with: issuerURL).utf8)
                        .write(to: URL(fileURLWithPath: candidateDirectory + "/" + name))
                }
                configuration.shadowPolicyDirectory = candidateDirectory
                configuration.policyWatchInterval = .milliseconds(50)
                configuration.auditDestination = .file(audit)
                configuration.auditSampleRate = 1
                configure(&configuration)
            }
        ) { harness in
            try await body(Shadowed(harness: harness, candidateDirectory: candidateDirectory, audit: audit))
        }
        try afterStopping(AuditLogTests.records(in: audit))
    }

    /// `shadow` as the OpenAPI document declares it in `Health`: every member declared, the required ones there
    /// (scripts/check-openapi runs policyd without a candidate set, so it never sees this member).
    static func expectDeclared(_ shadow: [String: Any]) throws {
        let health = try #require(OpenAPITests.resolve("#/components/schemas/Health", in: try OpenAPITests.document()) as? [String: Any])
        let declared = try #require((health["properties"] as? [String: Any])?["shadow"] as? [String: Any])
        let members = try #require(declared["properties"] as? [String: Any])
        #expect(Set(shadow.keys).isSubset(of: Set(members.keys)), "\(shadow.keys)")
        #expect(Set(declared["required"] as? [String] ?? []).isSubset(of: Set(shadow.keys)))
        let statuses = (members["status"] as? [String: Any])?["enum"] as? [String]
        #expect(statuses?.contains(shadow["status"] as? String ?? "") == true)
    }

    static func revision(of directory: String) throws -> String {
        PolicyRevision(of: try PolicyLoader().load(directory: directory, allowsEmpty: false)).text
    }

    /// The candidate lets only admins list a namespace, where the live policy lets its viewers:
    /// a viewer is still allowed, live, and the difference is counted and recorded.
    @Test func liveAnswersStayWhileTheCandidateDiffers() async throws {
        try await Self.run(candidate: ["dm.json": ShadowDecisionsTests.candidate(expression: "admin")]) { shadowed in
            let harness = shadowed.harness
            let liveRevision = try Self.revision(of: harness.policyDirectory)
            let candidateRevision = try Self.revision(of: shadowed.candidateDirectory)
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])

            let allowed = try await harness.client.post(Self.list, body: Self.testing, bearer: viewer)
            #expect(allowed.status == 200)
            #expect(allowed.json["is_authorised"] as? Bool == true)
            #expect(allowed.headers["x-policy-revision"] == liveRevision)
            let denied = try await harness.client.post(Self.list, body: Self.other, bearer: viewer)
            #expect(denied.json["is_authorised"] as? Bool == false)
            let refused = try await harness.client.post(Self.list, body: Self.testing)
            #expect(refused.json["reason"] as? String == "missing token")
            let atGateway = try await harness.client.send("GET", Self.gateway, headers: ["Authorization": "Bearer \(viewer)"])
            #expect(atGateway.status == 200)

            #expect(try await shadowed.shadowDecisions("would_deny") == 2)
            #expect(try await shadowed.shadowDecisions("same") == 2)
            #expect(try await shadowed.shadowDecisions("would_allow") == nil)

            #expect(try await harness.eventually { shadowed.records.count == 4 })
            let records = shadowed.records
            #expect(records.map { $0["shadow"] != nil } == [true, false, false, true])
            #expect(records.map { $0["endpoint"] as? String } == ["authorise", "authorise", "authorise", "gateway"])
            for record in [records[0], records[3]] {
                #expect(record["is_authorised"] as? Bool == true)
                #expect(record["policy_revision"] as? String == liveRevision)
                let shadow = try #require(record["shadow"] as? [String: Any])
                #expect(shadow["is_authorised"] as? Bool == false)
                #expect(shadow["reason"] as? String == "GET /data/list/{namespace}: expression false")
                #expect(shadow["policy_revision"] as? String == candidateRevision)
                #expect(shadow["route_template"] as? String == "/data/list/{namespace}")
                #expect(shadow["allowing_role"] as? String == "namespace-viewer")
            }

            // What policyc shadow-report makes of this run's log: the two differences, one group.
            var report = ShadowReport()
            var problems: [AuditLineProblem] = []
            AuditLogReader.read([shadowed.audit], into: &report) { problems.append($0) }
            #expect(problems.isEmpty)
            #expect((report.decisions, report.wouldAllow, report.wouldDeny) == (4, 0, 2))
            #expect(report.candidateRevisions == [candidateRevision: 2])
            #expect(report.groups.map { "\($0.key.service) \($0.key.rule) \($0.key.role?.string ?? "-")" } == [
                "data-management-api GET /data/list/{namespace} namespace-viewer",
            ])
            #expect(report.groups.first?.example.endpoint == "authorise")
            #expect(report.groups.first?.example.requestID == records[0]["request_id"] as? String)

            let health = try await shadowed.health()
            #expect(health["status"] as? String == "UP")
            #expect(health["policy_revision"] as? String == liveRevision)
            let shadow = try #require(health["shadow"] as? [String: Any])
            #expect(shadow["status"] as? String == "serving")
            #expect(shadow["policy_revision"] as? String == candidateRevision)
            #expect(shadow["count"] as? Int == 1)
            try Self.expectDeclared(shadow)
            #expect(try await GroupSourceTests.metric(
                #"policyd_shadow_policy_revision_info{revision="\#(candidateRevision)"}"#, in: harness) == 1)
            #expect(try await GroupSourceTests.metric("policyd_shadow_policies_loaded", in: harness) == 1)
        }
    }

    /// A candidate that does not load at start: policyd serves, healthy, without shadow decisions,
    /// and shows why; once the file is mended the watch loads it and decisions are shadowed.
    @Test func aCandidateThatDoesNotLoadAtStartStopsNothing() async throws {
        try await Self.run(candidate: ["dm.json": "{"]) { shadowed in
            let harness = shadowed.harness
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let answer = try await harness.client.post(Self.list, body: Self.testing, bearer: viewer)
            #expect(answer.json["is_authorised"] as? Bool == true)
            let health = try await shadowed.health()
            #expect(health["status"] as? String == "UP")
            let shadow = try #require(health["shadow"] as? [String: Any])
            #expect(shadow["status"] as? String == "failed")
            #expect(shadow["policy_revision"] == nil)
            let failure = try #require(shadow["last_reload_failure"] as? [String: Any])
            #expect((failure["diagnostics"] as? [String])?.first?.contains("dm.json") == true)
            try Self.expectDeclared(shadow)
            #expect(try await shadowed.shadowDecisions("same") == nil)
            #expect(try await GroupSourceTests.metric("policyd_shadow_policy_reload_failures_total", in: harness) == 1)
            #expect(try await harness.eventually { shadowed.records.count == 1 })
            #expect(shadowed.records[0]["shadow"] == nil)

            try shadowed.writeCandidate(["dm.json": ShadowDecisionsTests.candidate(expression: "admin")])
            #expect(try await harness.eventually { try await shadowed.shadowHealth["status"] as? String == "serving" })
            _ = try await harness.client.post(Self.list, body: Self.testing, bearer: viewer)
            #expect(try await shadowed.shadowDecisions("would_deny") == 1)
        }
    }

    /// A candidate broken by a reload keeps its last good set, as the live one would, and the live
    /// answers never change; a good reload is picked up.
    @Test func aCandidateReloadKeepsItsLastGoodSetOrIsPickedUp() async throws {
        try await Self.run(candidate: ["dm.json": ShadowDecisionsTests.candidate(expression: "admin")]) { shadowed in
            let harness = shadowed.harness
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let first = try Self.revision(of: shadowed.candidateDirectory)

            try Data("{".utf8).write(to: URL(fileURLWithPath: shadowed.candidateDirectory + "/broken.json"))
            #expect(try await harness.eventually { try await shadowed.shadowHealth["last_reload_failure"] != nil })
            #expect(try await shadowed.shadowHealth["policy_revision"] as? String == first)
            #expect(try await shadowed.shadowHealth["status"] as? String == "serving")
            #expect(try await GroupSourceTests.metric("policyd_shadow_policy_reload_failures_total", in: harness) == 1)
            #expect(try await GroupSourceTests.metric("policyd_policy_reload_failures_total", in: harness) == 0)
            #expect((try await shadowed.health()["policies"] as? [String: Any])?["last_reload_failure"] == nil)
            let answer = try await harness.client.post(Self.list, body: Self.testing, bearer: viewer)
            #expect(answer.json["is_authorised"] as? Bool == true)
            #expect(try await shadowed.shadowDecisions("would_deny") == 1)

            try shadowed.writeCandidate(["dm.json": ShadowDecisionsTests.candidate(expression: "namespace-viewer")])
            let second = try Self.revision(of: shadowed.candidateDirectory)
            #expect(try await harness.eventually { try await shadowed.shadowHealth["policy_revision"] as? String == second })
            #expect(try await shadowed.shadowHealth["last_reload_failure"] == nil)
            #expect(try await GroupSourceTests.metric(
                #"policyd_shadow_policy_revision_info{revision="\#(second)"}"#, in: harness) == 1)
            _ = try await harness.client.post(Self.list, body: Self.testing, bearer: viewer)
            #expect(try await shadowed.shadowDecisions("same") == 1)
        }
    }

    /// A service only the candidate has: the live answer is a 404 (and the gateway's `no such
    /// policy`), the candidate's decision a difference, recorded with no live version. A service
    /// neither has is `same`, under a placeholder service label: the name is the caller's.
    @Test func aServiceOnlyTheCandidateHas() async throws {
        let candidate = ["dm.json": TestPolicies.dataManagementV1, "sites.json": TestPolicies.siteCapabilities]
        try await Self.run(candidate: candidate) { shadowed in
            let harness = shadowed.harness
            let token = try await harness.token(audience: "site-capabilities-api", scope: nil)
            let sites = "/v1/authorise/route/site-capabilities-api?route=" + encoded("/sites")
            #expect(try await harness.client.post(sites, bearer: token).status == 404)
            #expect(try await harness.client.post("/v1/authorise/route/nothing-here?route=%2Fx", bearer: token).status == 404)
            let atGateway = try await harness.client.send(
                "GET", "/v1/gateway/nothing-here/x", headers: ["Authorization": "Bearer \(token)"])
            #expect(atGateway.status == 403)

            // Another audience than the live policy's: the token is checked for the candidate, which may
            // finish after the answer (the issuer's keys still to fetch).
            #expect(try await harness.eventually {
                try await shadowed.shadowDecisions("would_allow", service: "site-capabilities-api") == 1
            })
            #expect(try await shadowed.shadowDecisions("same", service: "(no such policy)") == 2)
            #expect(try await harness.eventually { shadowed.records.count == 1 })
            let record = shadowed.records[0]
            #expect(record["endpoint"] as? String == "authorise")
            #expect(record["service"] as? String == "site-capabilities-api")
            #expect(record["version"] is NSNull)
            #expect(record["is_authorised"] as? Bool == false)
            #expect(record["reason"] as? String == "no such policy")
            #expect(record["sub"] as? String == "tester")
            let shadow = try #require(record["shadow"] as? [String: Any])
            #expect(shadow["is_authorised"] as? Bool == true)
            #expect(shadow["allowing_role"] as? String == "any")
        }
    }

    /// An issuer only the candidate names: its keys are fetched on the refresh schedule, without a
    /// call waiting for them, and reported under `shadow.issuers`; the live health is not its.
    @Test func anIssuerOnlyTheCandidateNamesIsRefreshedAndReported() async throws {
        // Nothing listens on port 9: every fetch fails, and says so.
        let candidateIssuer = "http://127.0.0.1:9/candidate-issuer"
        let candidate = ["dm.json": TestPolicies.dataManagementV1.replacingOccurrences(of: "ISSUER", with: candidateIssuer)]
        try await Self.run(candidate: candidate) { shadowed in
            // Generous: a full run's CPU-bound suites can hold the concurrency pool for seconds.
            #expect(try await shadowed.harness.eventually(seconds: 30) {
                let issuers = try await shadowed.shadowHealth["issuers"] as? [[String: Any]] ?? []
                return issuers.first?["last_error"] as? String ?? "keys not fetched yet" != "keys not fetched yet"
            })
            let health = try await shadowed.health()
            #expect(health["status"] as? String == "UP")
            let liveIssuers = try #require(health["issuers"] as? [[String: Any]])
            #expect(liveIssuers.map { $0["issuer"] as? String } == [shadowed.harness.issuerURL])
            let issuers = try #require(try await shadowed.shadowHealth["issuers"] as? [[String: Any]])
            #expect(issuers.count == 1)
            #expect(issuers.first?["issuer"] as? String == candidateIssuer)
            #expect(issuers.first?["fresh"] as? Bool == false)
        }
    }

    /// A shadow decision that waits for its own token check (here for keys that never come) when
    /// policyd stops: the call's audit record is written all the same, once the check ends or is
    /// given up. It was lost: the last flush came before the check's end.
    @Test func aShadowDecisionWaitingAtShutdownKeepsItsCallsRecord() async throws {
        let silent = try HeldLoopbackPort(listening: true)
        let candidate = ["dm.json": TestPolicies.dataManagementV1.replacingOccurrences(of: "ISSUER", with: silent.url)]
        try await Self.run(
            candidate: candidate,
            configure: { $0.keyFetchTimeout = .seconds(2) },
            afterStopping: { records in
                #expect(records.count == 1)
                #expect(records.first?["reason"] as? String ?? "" != "")
                #expect(records.first?["shadow"] == nil)
            }
        ) { shadowed in
            // The live policy refuses the token (another issuer); the candidate expects that issuer,
            // whose keys it must wait for.
            let token = try await shadowed.harness.token(groups: ["data/namespaces/testing/viewer"], issuer: silent.url)
            let answer = try await shadowed.harness.client.post(Self.list, body: Self.testing, bearer: token)
            #expect(answer.isAuthorised == false)
        }
    }
}
