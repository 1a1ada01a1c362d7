import Foundation
import Testing

/// `GET /v1/policies…`.
@Suite struct PolicyCatalogTests {
    @Test func everyPolicyIsListed() async throws {
        try await InProcessPolicyd.run { harness in
            let answer = try await harness.client.get("/v1/policies")
            #expect(answer.status == 200)
            let entries = try #require(answer.jsonArray as? [[String: Any]])
            #expect(entries.map { "\($0["type"]!)/\($0["name"]!)" } == [
                "exchange/site-capabilities-api", "plugin/storage-plugin", "route/data-management-api",
                "route/site-capabilities-api",
            ])
            let dataManagement = try #require(entries.first { $0["name"] as? String == "data-management-api" })
            #expect(dataManagement["versions"] as? [Int] == [1, 2])
            #expect(dataManagement["latest"] as? Int == 2)
        }
    }

    @Test func typesAndEntriesByType() async throws {
        try await InProcessPolicyd.run(policies: ["a.json": TestPolicies.dataManagementV1, "b.json": TestPolicies.plugin]) { harness in
            #expect(try await harness.client.get("/v1/policies/types").jsonArray as? [String] == ["plugin", "route"])
            for path in ["/v1/policies/route", "/v1/policies/route/"] {
                let entries = try #require(try await harness.client.get(path).jsonArray as? [[String: Any]])
                #expect(entries.map { $0["name"] as? String } == ["data-management-api"], "\(path)")
            }
            let exchange = try await harness.client.get("/v1/policies/exchange/")
            #expect(exchange.status == 200)
            #expect(exchange.jsonArray.isEmpty)
            let unknownType = try await harness.client.get("/v1/policies/nonsense/")
            #expect(unknownType.status == 404)
            #expect(unknownType.detail == "no such policy type")
        }
    }

    @Test func oneEntryAndItsDocuments() async throws {
        try await InProcessPolicyd.run { harness in
            let entry = try await harness.client.get("/v1/policies/route/data-management-api")
            #expect(entry.json["versions"] as? [Int] == [1, 2])
            #expect(entry.json["type"] as? String == "route")

            let first = try await harness.client.get("/v1/policies/route/data-management-api/1")
            #expect(first.status == 200)
            let loaded = try JSONSerialization.jsonObject(
                with: Data(TestPolicies.dataManagementV1.replacingOccurrences(of: "ISSUER", with: harness.issuerURL).utf8))
            #expect(NSDictionary(dictionary: first.json).isEqual(loaded))
            // Members keep the order of the file.
            #expect(String(decoding: first.body, as: UTF8.self).hasPrefix(#"{"name":"data-management-api","type":"route""#))

            let latest = try await harness.client.get("/v1/policies/route/data-management-api/latest")
            #expect(latest.json["version_number"] as? Int == 2)
        }
    }

    @Test func unknownEntriesAreNotFound() async throws {
        try await InProcessPolicyd.run { harness async throws in
            #expect(try await harness.client.get("/v1/policies/route/no-such-api").status == 404)
            #expect(try await harness.client.get("/v1/policies/exchange/data-management-api").status == 404)
            #expect(try await harness.client.get("/v1/policies/route/data-management-api/7").detail == "no such policy")
            #expect(try await harness.client.get("/v1/policies/route/no-such-api/latest").status == 404)
            #expect(try await harness.client.get("/v1/policies/route/data-management-api/first").status == 422)
        }
    }

    @Test func aChangedDirectoryIsReloaded() async throws {
        try await InProcessPolicyd.run(
            policies: ["a.json": TestPolicies.dataManagementV1],
            configure: { configuration, _ in configuration.policyWatchInterval = .milliseconds(100) }
        ) { harness in
            let text = TestPolicies.plugin.replacingOccurrences(of: "ISSUER", with: harness.issuerURL)
            try Data(text.utf8).write(to: URL(fileURLWithPath: harness.policyDirectory + "/plugin.json"))
            #expect(try await harness.eventually { try await harness.client.get("/v1/policies/plugin/storage-plugin").status == 200 })

            // A broken file is reported and changes nothing.
            try Data("{".utf8).write(to: URL(fileURLWithPath: harness.policyDirectory + "/broken.json"))
            #expect(try await harness.eventually {
                let policies = (try await harness.client.get("/v1/health").json["policies"] as? [String: Any]) ?? [:]
                return policies["last_reload_failure"] != nil
            })
            #expect(try await harness.client.get("/v1/policies/plugin/storage-plugin").status == 200)
        }
    }
}
