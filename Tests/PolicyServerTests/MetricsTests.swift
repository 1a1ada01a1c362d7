import Foundation
import Testing

/// `/metrics`: after known requests, the counters say exactly what happened.
@Suite struct MetricsTests {
    static let body = #"{"namespace": "testing"}"#

    /// The value of one series, e.g. `policyd_decisions_total{service="a",type="route",outcome="allow"}`.
    func value(_ series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func decisionsCacheKeysAndReloadsAreCounted() async throws {
        // The issuer's keys fetched from it (on loopback), so that their refresh is counted.
        try await InProcessPolicyd.run(
            issuer: TestIssuer(),
            policies: ["dm.json": TestPolicies.dataManagementV1],
            configure: { configuration, _ in configuration.policyWatchInterval = .milliseconds(100) }
        ) { harness in
            let viewer = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: viewer).isAuthorised == true)
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: viewer).isAuthorised == true)
            let lofar = #"{"namespace": "lofar"}"#
            #expect(try await harness.client.post(Paths.dataList, body: lofar, bearer: viewer).isAuthorised == false)
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: nil).isAuthorised == false)
            try Data("{".utf8).write(to: URL(fileURLWithPath: harness.policyDirectory + "/broken.json"))
            #expect(try await harness.eventually {
                let text = String(decoding: try await harness.client.get("/metrics").body, as: UTF8.self)
                return value("policyd_policy_reload_failures_total", in: text) == 1
            })

            let answer = try await harness.client.get("/metrics")
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"]?.hasPrefix("text/plain") == true)
            let text = String(decoding: answer.body, as: UTF8.self)
            let decisions = #"policyd_decisions_total{service="data-management-api",type="route",outcome="#
            #expect(value(decisions + #""allow"}"#, in: text) == 2)
            #expect(value(decisions + #""deny"}"#, in: text) == 1)
            #expect(value(decisions + #""refused"}"#, in: text) == 1)
            #expect(value(#"policyd_decision_duration_seconds_count{type="route"}"#, in: text) == 3)
            #expect(value("policyd_token_cache_misses_total", in: text) == 1)
            #expect(value("policyd_token_cache_hits_total", in: text) == 2)
            #expect(value("policyd_policies_loaded", in: text) == 1)
            #expect(value("policyd_policy_reloads_total", in: text) == 0)
            #expect(value(#"policyd_jwks_refreshes_total{issuer="\#(harness.issuerURL)"}"#, in: text) ?? 0 >= 1)
            #expect(value(#"policyd_request_duration_seconds_count{route="/v1/authorise/route/{service}"}"#, in: text) == 4)
            #expect(!text.contains("Bearer"), "no token in metrics")
        }
    }
}
