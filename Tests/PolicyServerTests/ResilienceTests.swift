import Foundation
import PolicyServer
import Testing

/// policyd keeps serving, and keeps deciding right, while what it depends on fails: an issuer that
/// goes away and comes back, a policy file broken in place, reloads under load, SIGHUP.
@Suite struct ResilienceTests {
    static let viewer = ["data/namespaces/testing/viewer"]
    static let body = #"{"namespace": "testing"}"#

    @Test func anIssuerThatGoesAwayAndComesBack() async throws {
        // Held, refusing connections, until the issuer comes up on it: a port merely found free was
        // taken meanwhile by another suite's issuer, whose keys then answered for this one.
        let held = try HeldLoopbackPort(listening: false)
        let port = held.port, issuerURL = held.url
        let directory = try TestPolicies.directory(issuer: issuerURL)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, policyDirectory: directory, reloadsOnHangup: false, auditSampleRate: 0)
        configuration.keyRefresh = KeyRefreshSchedule(minimumInterval: 1, maximumInterval: 1, maximumKeyAge: 60)
        let server = try PolicyServer(configuration: configuration, logger: RunningApplication.quietLogger)
        try await RunningApplication.with({ server.makeApplication(onServerRunning: $0) }) { policydPort in
            let client = HTTPTestClient(port: policydPort)
            let token = try await TestKeys.mint(
                issuer: issuerURL, audience: "data-management-api", groups: Self.viewer,
                scope: "data-management-api-service", lifetime: 600, kid: "dev")

            // No issuer yet: decisions that need it deny with the reason; everything else serves.
            #expect(try await client.get("/v1/health").status == 503)
            let denied = try await client.post(Paths.dataList, body: Self.body, bearer: token)
            #expect(denied.status == 200)
            #expect(denied.isAuthorised == false)
            #expect(denied.reason == "issuer keys unavailable")
            #expect(try await client.get("/v1/ping").status == 200)
            #expect(try await client.get("/v1/policies").status == 200)

            // The issuer comes up where the policies say it is: keys come back by themselves.
            held.release()
            try await TestIssuer().serve(port: port) { _ in
                #expect(try await eventually { try await client.get("/v1/health").status == 200 })
                let allowed = try await client.post(Paths.dataList, body: Self.body, bearer: token)
                #expect(allowed.isAuthorised == true)
            }

            // Gone again: the keys already fetched keep serving until they are too old.
            let stillAllowed = try await client.post(Paths.dataList, body: Self.body, bearer: token)
            #expect(stillAllowed.isAuthorised == true)
        }
    }

    @Test func aBrokenFileKeepsTheLastGoodSetUntilItIsFixed() async throws {
        try await PolicydHarness.run(
            policies: ["data-management-api.json": TestPolicies.dataManagementV1],
            configure: { configuration, _ in configuration.policyWatchInterval = .milliseconds(100) }
        ) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let file = URL(fileURLWithPath: harness.policyDirectory + "/data-management-api.json")
            let good = try String(contentsOf: file, encoding: .utf8)
            // Healthy first (the issuer's keys fetched), so that what follows is the reload's doing.
            #expect(try await harness.eventually { try await harness.client.get("/v1/health").status == 200 })

            try Data(good.replacingOccurrences(of: "namespace-viewer or", with: "namespace-viewr or").utf8).write(to: file)
            #expect(try await harness.eventually { try await lastReloadFailure(harness) != nil })
            let failure = try #require(try await lastReloadFailure(harness))
            #expect(failure.contains("namespace-viewr"), "\(failure)")
            #expect(try await harness.client.get("/v1/health").status == 200, "the last good set still serves")
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: token).isAuthorised == true)

            try Data(good.utf8).write(to: file)
            #expect(try await harness.eventually { try await lastReloadFailure(harness) == nil })
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: token).isAuthorised == true)
        }
    }

    /// Two versions of a directory of two policies, swapped back and forth while requests run: every
    /// answer comes from one whole set (never a 404 for a policy that a half-loaded set would lack).
    @Test func requestsDuringReloadsSeeOneWholeSet() async throws {
        try await PolicydHarness.run(
            policies: ["a.json": TestPolicies.dataManagementV1, "b.json": TestPolicies.siteCapabilities],
            configure: { configuration, _ in configuration.policyWatchInterval = .milliseconds(20) }
        ) { harness in
            let token = try await harness.token(groups: Self.viewer)
            let directory = harness.policyDirectory
            let versionOne = try String(contentsOfFile: directory + "/a.json", encoding: .utf8)
            let versionTwo = versionOne.replacingOccurrences(of: "Permissions policy defining", with: "Permissions policy (v2) defining")
            #expect(versionTwo != versionOne)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for round in 0..<40 {
                        let text = round.isMultiple(of: 2) ? versionTwo : versionOne
                        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/a.json"), options: .atomic)
                        try await Task.sleep(for: .milliseconds(30))
                    }
                }
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<60 {
                            let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: token)
                            #expect(answer.status == 200)
                            #expect(answer.isAuthorised == true)
                            #expect(try await harness.client.get("/v1/policies/route/site-capabilities-api").status == 200)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func sighupReloads() async throws {
        // Ignored first, as the reload service also does, so a signal can never end the test process.
        signal(SIGHUP, SIG_IGN)
        try await PolicydHarness.run(
            policies: ["data-management-api.json": TestPolicies.dataManagementV1],
            configure: { configuration, _ in
                configuration.policyWatchInterval = nil
                configuration.reloadsOnHangup = true
            }
        ) { harness in
            let text = TestPolicies.plugin.replacingOccurrences(of: "ISSUER", with: harness.issuerURL)
            let loadedBefore = try await loadedAt(harness)
            try Data(text.utf8).write(to: URL(fileURLWithPath: harness.policyDirectory + "/plugin.json"))
            // SIGHUP is process-wide: the other test that sends it may reload this server meanwhile
            // (it did, once in a full run). Only without a reload must the new file be unseen.
            let status = try await harness.client.get("/v1/policies/plugin/storage-plugin").status
            let loadedAfter = try await loadedAt(harness)
            #expect(loadedBefore != nil)
            #expect(status == 404 || loadedAfter != loadedBefore, "no watch: not yet")
            #expect(try await harness.eventually {
                kill(getpid(), SIGHUP)
                return try await harness.client.get("/v1/policies/plugin/storage-plugin").status == 200
            })
        }
    }

    /// The candidate set of `--shadow-policies` is read again by the same SIGHUP as the live one.
    @Test func sighupReloadsTheShadowCandidateToo() async throws {
        signal(SIGHUP, SIG_IGN)
        let candidate = FileManager.default.temporaryDirectory.appendingPathComponent("candidate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: candidate, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: candidate) }
        try await PolicydHarness.run(
            policies: ["data-management-api.json": TestPolicies.dataManagementV1],
            configure: { configuration, issuerURL in
                let text = TestPolicies.dataManagementV1.replacingOccurrences(of: "ISSUER", with: issuerURL)
                try? Data(text.utf8).write(to: candidate.appendingPathComponent("data-management-api.json"))
                configuration.shadowPolicyDirectory = candidate.path
                configuration.policyWatchInterval = nil
                configuration.reloadsOnHangup = true
            }
        ) { harness in
            @Sendable func shadowCount() async throws -> Int? {
                let shadow = try await harness.client.get("/v1/health").json["shadow"] as? [String: Any]
                return shadow?["count"] as? Int
            }
            #expect(try await shadowCount() == 1)
            let plugin = TestPolicies.plugin.replacingOccurrences(of: "ISSUER", with: harness.issuerURL)
            try Data(plugin.utf8).write(to: candidate.appendingPathComponent("plugin.json"))
            #expect(try await harness.eventually(seconds: 30) {
                kill(getpid(), SIGHUP)
                return try await shadowCount() == 2
            })
            // The live set is its own directory's, untouched by the candidate's file.
            #expect(try await harness.client.get("/v1/policies/plugin/storage-plugin").status == 404)
        }
    }

    /// A key withdrawn from an `--issuer-jwks` file stopped verifying only at a restart, and the callers
    /// verified with it stayed cached until their tokens expired.
    @Test func sighupRereadsIssuerKeyFilesAndForgetsWhatTheOldKeysVerified() async throws {
        signal(SIGHUP, SIG_IGN)
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json")
        try TestKeys.developmentJWKS.write(to: keyFile)
        defer { try? FileManager.default.removeItem(at: keyFile) }
        try await PolicydHarness.run(
            policies: ["data-management-api.json": TestPolicies.dataManagementV1],
            configure: { configuration, issuerURL in
                configuration.policyWatchInterval = nil
                configuration.reloadsOnHangup = true
                configuration.issuerKeySources = [issuerURL: .file(keyFile.path)]
            }
        ) { harness in
            let token = try await harness.token(groups: Self.viewer)
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: token).isAuthorised == true)

            // The same key, published under another id: the token's `dev` is withdrawn.
            let renamed = String(decoding: TestKeys.developmentJWKS, as: UTF8.self)
                .replacingOccurrences(of: #""kid": "dev""#, with: #""kid": "rotated""#)
                .replacingOccurrences(of: #""kid":"dev""#, with: #""kid":"rotated""#)
            #expect(renamed.contains("rotated"))
            try Data(renamed.utf8).write(to: keyFile)
            #expect(try await harness.eventually {
                kill(getpid(), SIGHUP)
                let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: token)
                return answer.isAuthorised == false && answer.reason?.contains("unknown key") == true
            })

            // A file that no longer reads keeps the last good keys.
            try Data("not a key set".utf8).write(to: keyFile)
            kill(getpid(), SIGHUP)
            try await Task.sleep(for: .milliseconds(300))
            let rotated = try await harness.token(groups: Self.viewer, kid: "rotated")
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: rotated).isAuthorised == true)
        }
    }

    /// When the policies in service were loaded (`/v1/health`).
    private func loadedAt(_ harness: PolicydHarness) async throws -> String? {
        let policies = (try await harness.client.get("/v1/health").json["policies"] as? [String: Any]) ?? [:]
        return policies["loaded_at"] as? String
    }

    private func lastReloadFailure(_ harness: PolicydHarness) async throws -> String? {
        let policies = (try await harness.client.get("/v1/health").json["policies"] as? [String: Any]) ?? [:]
        guard let failure = policies["last_reload_failure"] else { return nil }
        return "\(failure)"
    }
}
