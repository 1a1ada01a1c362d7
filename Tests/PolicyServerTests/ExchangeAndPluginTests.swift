import Foundation
import Testing

@Suite struct ExchangeAndPluginTests {
    @Test func theAuthServiceMayExchangeUnlessTheUserIsBlocked() async throws {
        try await InProcessPolicyd.run { harness in
            let path = "/v1/authorise/exchange/site-capabilities-api"
            let service = try await harness.token(audience: "authn-api", groups: ["services/authn-api/roles/service"], scope: nil)
            let noBody = try await harness.client.post(path + "?token=" + encoded(service))
            #expect(noBody.status == 200)
            #expect(noBody.isAuthorised == true)
            #expect(noBody.reason == "exchange expression true")
            // No exchanged_token_audience: the audience of the service's route policy.
            #expect(noBody.json["audience"] as? String == "site-capabilities-api")
            let blocked = try await harness.token(
                audience: "authn-api", groups: ["services/authn-api/roles/service", "blocklist/mallory"], scope: nil)
            #expect(try await harness.client.post(path, body: #"{"user": "mallory"}"#, bearer: blocked).isAuthorised == false)
            #expect(try await harness.client.post(path, body: #"{"user": "alice"}"#, bearer: blocked).isAuthorised == true)
            let nobody = try await harness.token(audience: "authn-api", scope: nil)
            #expect(try await harness.client.post(path + "?version=1", body: "{}", bearer: nobody).isAuthorised == false)
        }
    }

    @Test func pluginActionsAreChosenByTheBody() async throws {
        try await InProcessPolicyd.run { harness in
            let path = "/v1/authorise/plugin/storage-plugin"
            let reader = try await harness.token(audience: "storage-plugin", groups: ["storage/ops/areas/a1/read"], scope: nil)
            let read = try await harness.client.post(path, body: #"{"action": "read", "area": "a1"}"#, bearer: reader)
            #expect(read.isAuthorised == true)
            #expect(read.reason == "action 'read' expression true")
            #expect(try await harness.client.post(path, body: #"{"action": "read", "area": "a2"}"#, bearer: reader).isAuthorised == false)
            #expect(try await harness.client.post(path, body: #"{"action": "Purge"}"#, bearer: reader).isAuthorised == false)
            let missing = try await harness.client.post(path, body: #"{"area": "a1"}"#, bearer: reader)
            #expect(missing.isAuthorised == false)
            #expect(missing.reason == "missing or unknown action")
            let fromQuery = try await harness.client.post(path + "?action=stat&token=" + encoded(reader))
            #expect(fromQuery.isAuthorised == true)
            // An action the query gives twice selects nothing, whichever comes first (the first won:
            // `stat` answered for a plugin that might act on `purge`); the body's still wins.
            for twice in ["?action=stat&action=purge", "?action=purge&action=stat"] {
                let answer = try await harness.client.post(path + twice + "&token=" + encoded(reader))
                #expect(answer.isAuthorised == false, "\(twice)")
                #expect(answer.reason == "missing or unknown action", "\(twice)")
            }
            let bodyWins = try await harness.client.post(
                path + "?action=purge&action=purge&token=" + encoded(reader), body: #"{"action": "stat"}"#)
            #expect(bodyWins.reason == "action 'stat' expression true")
        }
    }

    /// The opencadc client reads `audience` from exchange answers (a string, or null) and asks first,
    /// with an empty body and `Content-Type: application/json`.
    @Test func exchangeAnswersNameTheAudienceOfTheTokenToMint() async throws {
        let declared = TestPolicies.exchange
            .replacingOccurrences(of: #""name": "site-capabilities-api""#, with: #""name": "declared""#)
            .replacingOccurrences(of: #""version_number": 1,"#, with: #""version_number": 1, "exchanged_token_audience": "declared-api","#)
        let orphan = TestPolicies.exchange.replacingOccurrences(of: #""name": "site-capabilities-api""#, with: #""name": "orphan""#)
        let pluginOnly = TestPolicies.exchange.replacingOccurrences(of: #""name": "site-capabilities-api""#, with: #""name": "storage-plugin""#)
        var policies = TestPolicies.all
        policies["exchange/declared.json"] = declared
        policies["exchange/orphan.json"] = orphan
        policies["exchange/storage-plugin.json"] = pluginOnly
        try await InProcessPolicyd.run(policies: policies) { harness in
            let service = try await harness.token(audience: "authn-api", groups: ["services/authn-api/roles/service"], scope: nil)
            func ask(_ name: String, explain: Bool = false) async throws -> HTTPTestClient.Answer {
                try await harness.client.send(
                    "POST", "/v1/authorise/exchange/\(name)?token=\(encoded(service))&version=1" + (explain ? "&explain=true" : ""),
                    bodyBytes: [])
            }
            let declaredAnswer = try await ask("declared")
            #expect(declaredAnswer.status == 200)
            #expect(declaredAnswer.json["audience"] as? String == "declared-api")
            #expect(try await ask("storage-plugin").json["audience"] as? String == "storage-plugin", "a plugin's audience")
            let none = try await ask("orphan")
            #expect(none.json.keys.contains("audience"))
            #expect(none.json["audience"] is NSNull)
            #expect(try await ask("declared", explain: true).json["audience"] as? String == "declared-api")
            // Denied answers carry it too, and route answers do not.
            let nobody = try await harness.token(audience: "authn-api", scope: nil)
            let denied = try await harness.client.post("/v1/authorise/exchange/declared?token=" + encoded(nobody))
            #expect(denied.isAuthorised == false)
            #expect(denied.json["audience"] as? String == "declared-api")
            let route = try await harness.client.post(Paths.dataList, body: #"{"namespace": "testing"}"#, bearer: service)
            #expect(!route.json.keys.contains("audience"))
        }
    }
}
