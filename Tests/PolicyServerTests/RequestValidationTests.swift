import Foundation
import Testing

/// 422 before 404 before the token: the order of spec section 4 and issue 3.
@Suite struct RequestValidationTests {
    @Test func unknownServicesAndVersionsAreNotFound() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token()
            let unknownService = try await harness.client.post(
                "/v1/authorise/route/no-such-api?route=" + encoded("/x"), bearer: token)
            #expect(unknownService.status == 404)
            #expect(unknownService.detail == "no such policy")
            let unknownVersion = try await harness.client.post(Paths.dataList + "&version=3", bearer: token)
            #expect(unknownVersion.status == 404)
            #expect(unknownVersion.detail == "no such policy")
            // A route policy's name is not an exchange policy.
            let wrongType = try await harness.client.post("/v1/authorise/exchange/data-management-api", bearer: token)
            #expect(wrongType.status == 404)
            // No token is needed to learn that a policy does not exist.
            #expect(try await harness.client.post("/v1/authorise/plugin/nothing").status == 404)
        }
    }

    @Test func aMissingRouteIsUnprocessable() async throws {
        try await InProcessPolicyd.run { harness in
            let answer = try await harness.client.post("/v1/authorise/route/data-management-api?method=GET")
            #expect(answer.status == 422)
            #expect(answer.detail?.hasPrefix("missing route") == true)
            // Checked before the policy lookup.
            #expect(try await harness.client.post("/v1/authorise/route/no-such-api").status == 422)
            #expect(try await harness.client.post("/v1/authorise/route/data-management-api?route=").status == 422)
        }
    }

    @Test func aBodyThatIsNotAJSONObjectIsUnprocessable() async throws {
        try await InProcessPolicyd.run { harness in
            for body in ["[]", #""text""#, "42", "null", "{", #"{"a": 1,}"#, #"{"namespace": "a", "namespace": "b"}"#] {
                let answer = try await harness.client.post(Paths.dataList, body: body)
                #expect(answer.status == 422, "body \(body)")
                #expect(answer.detail != nil)
            }
            #expect(try await harness.client.post("/v1/authorise/exchange/no-such-api", body: "[1]").status == 422)
        }
    }

    @Test func anEmptyBodyCountsAsAnEmptyObject() async throws {
        try await InProcessPolicyd.run { harness in
            let token = try await harness.token(groups: ["data/namespaces/testing/viewer"])
            let answer = try await harness.client.post(Paths.dataList + "&namespace=testing", body: "", bearer: token)
            #expect(answer.status == 200)
            #expect(answer.isAuthorised == true)
        }
    }

    @Test func unusableVersionsAreUnprocessable() async throws {
        try await InProcessPolicyd.run { harness in
            for version in ["0", "-1", "1.0", "1e0", "abc", "", "LATEST", "99999999999999999999"] {
                let answer = try await harness.client.post(Paths.dataList + "&version=" + encoded(version))
                #expect(answer.status == 422, "version \(version)")
                #expect(answer.detail?.hasPrefix("unusable version") == true)
            }
            #expect(try await harness.client.post(Paths.dataList + "&version=1&version=2").status == 422)
        }
    }

    @Test func versionsAreSelectedByNumberOrLatest() async throws {
        try await InProcessPolicyd.run { harness in
            // Version 2 opens /data/list to any valid token; version 1 only to admins and developers.
            let token = try await harness.token()
            let route = "/v1/authorise/route/data-management-api?route=" + encoded("/data/list")
            #expect(try await harness.client.post(route, bearer: token).isAuthorised == true)
            #expect(try await harness.client.post(route + "&version=latest", bearer: token).isAuthorised == true)
            #expect(try await harness.client.post(route + "&version=2", bearer: token).isAuthorised == true)
            let first = try await harness.client.post(route + "&version=1&explain=true", bearer: token)
            #expect(first.isAuthorised == false)
            let policy = (first.json["explanation"] as? [String: Any])?["policy"] as? [String: Any]
            #expect(policy?["version"] as? Int == 1)
        }
    }

    @Test func oversizedBodiesAreRefused() async throws {
        try await InProcessPolicyd.run(configure: { configuration, _ in configuration.maximumBodyBytes = 64 }) { harness in
            let answer = try await harness.client.post(
                Paths.dataList, body: #"{"namespace": "\#(String(repeating: "x", count: 100))"}"#)
            #expect(answer.status == 413)
            #expect(answer.detail != nil)
        }
    }
}
