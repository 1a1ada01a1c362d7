import Testing

@Suite struct ExchangeAndPluginTests {
    @Test func theAuthServiceMayExchangeUnlessTheUserIsBlocked() async throws {
        try await PolicydHarness.run { harness in
            let path = "/v1/authorise/exchange/site-capabilities-api"
            let service = try await harness.token(audience: "authn-api", groups: ["services/authn-api/roles/service"], scope: nil)
            let noBody = try await harness.client.post(path + "?token=" + encoded(service))
            #expect(noBody.status == 200)
            #expect(noBody.isAuthorised == true)
            #expect(noBody.reason == "exchange expression true")
            let blocked = try await harness.token(
                audience: "authn-api", groups: ["services/authn-api/roles/service", "blocklist/mallory"], scope: nil)
            #expect(try await harness.client.post(path, body: #"{"user": "mallory"}"#, bearer: blocked).isAuthorised == false)
            #expect(try await harness.client.post(path, body: #"{"user": "alice"}"#, bearer: blocked).isAuthorised == true)
            let nobody = try await harness.token(audience: "authn-api", scope: nil)
            #expect(try await harness.client.post(path + "?version=1", body: "{}", bearer: nobody).isAuthorised == false)
        }
    }

    @Test func pluginActionsAreChosenByTheBody() async throws {
        try await PolicydHarness.run { harness in
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
        }
    }
}
