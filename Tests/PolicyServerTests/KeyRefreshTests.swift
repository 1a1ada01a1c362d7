import Foundation
import PolicyServer
import Testing

/// Issuer keys are fetched again on schedule and after a rotation, within the configured bounds.
@Suite struct KeyRefreshTests {
    static let body = #"{"namespace": "testing"}"#

    @Test func keysAreFetchedAgainWhenTheirIntervalRunsOut() async throws {
        try await PolicydHarness.run(configure: { configuration, _ in
            configuration.keyRefresh = KeyRefreshSchedule(minimumInterval: 1, maximumInterval: 1, maximumKeyAge: 60)
        }) { harness async throws in
            #expect(try await harness.eventually(seconds: 10) { harness.issuer.jwksFetches >= 3 })
        }
    }

    @Test func aRotatedKeyIsPickedUpByItsUnknownKeyID() async throws {
        try await PolicydHarness.run(configure: { configuration, _ in
            configuration.keyRefresh = KeyRefreshSchedule(minimumInterval: 1, maximumInterval: 3600, maximumKeyAge: 7200)
        }) { harness in
            let before = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            #expect(try await harness.client.post(Paths.dataList, body: Self.body, bearer: before).isAuthorised == true)

            let rotated = String(decoding: TestKeys.developmentJWKS, as: UTF8.self)
                .replacingOccurrences(of: #""kid": "dev""#, with: #""kid": "dev-2""#)
            #expect(rotated.contains("dev-2"))
            harness.issuer.state.withLockedValue { $0.jwks = Data(rotated.utf8) }
            try await Task.sleep(for: .milliseconds(1100))

            let after = try await harness.token(groups: ["data/namespaces/testing/viewer"], kid: "dev-2")
            let answer = try await harness.client.post(Paths.dataList, body: Self.body, bearer: after)
            #expect(answer.isAuthorised == true, "\(answer.reason ?? "")")
        }
    }
}
