import Foundation
import Testing

/// The site gatekeepers' calls (spec 2.6) on the shipped `policies/plugin-echo.json`, their target
/// and body byte for byte: `POST /v1/authorise/plugin/echo?version=latest&token=…` (the query in
/// either order, the token empty when the caller sent none), no `Authorization` header, the service
/// and the request nested in the body, `/` escaped as lua-cjson writes it. For a token verified at
/// its first call, and for one the cache holds. In process: what is checked is the answer, not how
/// the request crossed the network.
@Suite struct GatekeeperTests {
    static let uuid = "37ff3e9e-0b7e-4bc4-9fe8-8a1e1b0e2f6d"
    static let member = "services/SKAOSRC/echo/\(uuid)"
    static let admin = "services/echo/roles/admin"

    static var policies: [String: String] {
        let shipped = try! String(contentsOf: TestKeys.packageRoot.appendingPathComponent("policies/plugin-echo.json"), encoding: .utf8)
        var policies = TestPolicies.all
        policies["plugins/echo.json"] = shipped.replacingOccurrences(of: "https://ska-iam.stfc.ac.uk", with: "ISSUER")
        return policies
    }

    /// The gatekeeper's body: its members in an order of their own (a Lua table's), `/` escaped.
    static func body(method: String = "GET", node: String = "SKAOSRC", uuid: String = uuid) -> String {
        #"{"service":{"path":"\/echo","uuid":"\#(uuid)","type":"echo","body":{},"node":"\#(node)","method":"\#(method)","parameters":{"ID":"test"}}}"#
    }

    /// The request as the gatekeeper writes it (the client adds its `Content-Type: application/json`).
    static func ask(
        _ harness: InProcessPolicyd, service: String = "echo", query: String, body: String = body()
    ) async throws -> HTTPTestClient.Answer {
        try await harness.client.send(
            "POST", "/v1/authorise/plugin/\(service)?\(query)", body: body,
            headers: ["User-Agent": "lua-resty-http/0.17.2 (Lua) ngx_lua/10026"])
    }

    @Test func aMemberOfTheServicesGroupIsGrantedEveryForwardedMethodInEitherQueryOrder() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let token = try await harness.token(audience: "echo", groups: [Self.member], scope: nil)
            for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
                for query in ["version=latest&token=\(token)", "token=\(token)&version=latest"] {
                    let answer = try await Self.ask(harness, query: query, body: Self.body(method: method))
                    #expect(answer.status == 200)
                    #expect(String(decoding: answer.body, as: UTF8.self)
                        == #"{"is_authorised":true,"reason":"action '\#(method)' expression true"}"#)
                }
            }
        }
    }

    @Test func everyOtherCallIsADenial() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let member = try await harness.token(audience: "echo", groups: [Self.member], scope: nil)
            let admin = try await harness.token(audience: "echo", groups: [Self.admin], scope: nil)
            let query = "version=latest&token=\(member)"
            func denial(_ answer: HTTPTestClient.Answer) -> String? {
                answer.status == 200 && answer.isAuthorised == false ? answer.reason : "status \(answer.status)"
            }
            #expect(denial(try await Self.ask(harness, query: query, body: Self.body(uuid: "0a3bf4d9"))) == "action 'GET' expression false")
            #expect(denial(try await Self.ask(harness, query: query, body: Self.body(node: "UKSRC"))) == "action 'GET' expression false")
            #expect(denial(try await Self.ask(harness, query: query, body: Self.body(node: ""))) == "action 'GET' expression false",
                    "an empty node names no group")
            #expect(denial(try await Self.ask(harness, query: query, body: Self.body(method: "PROPFIND"))) == "missing or unknown action")
            #expect(denial(try await Self.ask(harness, query: query, body: Self.body(method: "get"))) == "missing or unknown action")
            #expect(denial(try await Self.ask(harness, query: query, body: #"{"action":"GET"}"#)) == "missing or unknown action")
            let twoWays = #"{"service.uuid":"\#(Self.uuid)","# + Self.body().dropFirst()
            #expect(denial(try await Self.ask(harness, query: query, body: twoWays)) == "action 'GET' expression false",
                    "a uuid reached two ways matches nothing")
            let admitted = try await Self.ask(harness, query: "version=latest&token=\(admin)", body: Self.body(node: ""))
            #expect(admitted.isAuthorised == true, "an admin needs no node")
        }
    }

    /// The gatekeeper sends `token=` when its caller sent no `Bearer`: a denial with a reason, never
    /// an error status (the gatekeeper passes every status but 200 on to the user as it is).
    @Test func anEmptyTokenIsADenialWithAReason() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            for query in ["version=latest&token=", "token=&version=latest"] {
                let answer = try await Self.ask(harness, query: query)
                #expect(answer.status == 200)
                #expect(String(decoding: answer.body, as: UTF8.self) == #"{"is_authorised":false,"reason":"missing token"}"#)
            }
        }
    }

    @Test func anUnknownServiceTypeIsANotFound() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let token = try await harness.token(audience: "echo", groups: [Self.member], scope: nil)
            let answer = try await Self.ask(harness, service: "jupyterhub", query: "version=latest&token=\(token)")
            #expect(answer.status == 404)
        }
    }

    @Test func theExplanationShowsTheNestedParametersAndTheSelector() async throws {
        try await InProcessPolicyd.run(policies: Self.policies) { harness in
            let token = try await harness.token(audience: "echo", groups: [Self.member], scope: nil)
            let answer = try await Self.ask(harness, query: "version=latest&explain=true&token=\(token)")
            let explanation = try #require(answer.json["explanation"] as? [String: Any])
            #expect(explanation["action"] as? String == "GET")
            #expect(explanation["action_parameter"] as? String == "service.method")
            let parameters = try #require(explanation["parameters"] as? [String: Any])
            #expect(parameters["service.node"] as? String == "SKAOSRC")
            #expect(parameters["service.path"] as? String == "/echo")
            #expect(parameters["service.parameters.ID"] as? String == "test")
            #expect(parameters["service.method"] == nil, "the selector is no parameter of the decision")
            let twice = #"{"service.uuid":"\#(Self.uuid)","# + Self.body().dropFirst()
            let repeated = try #require(
                try await Self.ask(harness, query: "version=latest&explain=true&token=\(token)", body: twice).json["explanation"]
                    as? [String: Any])
            #expect(repeated["repeated_parameters"] as? [String] == ["service.uuid"])
            // The OpenAPI document allows no member it does not name.
            let schemas = try #require(try OpenAPITests.document()["components"] as? [String: Any])["schemas"] as? [String: Any]
            let documented = try #require((schemas?["Explanation"] as? [String: Any])?["properties"] as? [String: Any])
            #expect(Set(explanation.keys).union(repeated.keys).subtracting(documented.keys).isEmpty)
        }
    }

    /// Nested members are parameters, and count against `--max-parameters` (the gatekeeper's body
    /// has 9); members below level 4 are none, and do not.
    @Test func nestedMembersCountAgainstTheParameterLimit() async throws {
        try await InProcessPolicyd.run(policies: Self.policies, configure: { configuration, _ in configuration.maximumParameters = 11 }) { harness in
            let token = try await harness.token(audience: "echo", groups: [Self.member], scope: nil)
            #expect(try await Self.ask(harness, query: "token=\(token)").isAuthorised == true)
            let deep = Self.body().replacingOccurrences(of: #""body":{}"#, with: #""body":{"a":{"b":{"c":1,"d":2,"e":3}}}"#)
            #expect(try await Self.ask(harness, query: "token=\(token)", body: deep).isAuthorised == true,
                    "service.body.a and service.body.a.b count; c, d and e are level 5")
            let twelve = Self.body().replacingOccurrences(of: #""ID":"test""#, with: #""ID":"test","page":"2","size":"9","sort":"x""#)
            let refused = try await Self.ask(harness, query: "token=\(token)", body: twelve)
            #expect(refused.status == 422)
            #expect(refused.detail?.hasPrefix("too many parameters: 12, at most 11") == true)
        }
    }

    /// A long name over many nested members would make the joined names quadratic: refused, 422.
    @Test func nestedNamesBeyondTheirBudgetAreUnprocessable() async throws {
        try await InProcessPolicyd.run(policies: Self.policies, configure: { configuration, _ in configuration.maximumParameters = 100 }) { harness in
            let token = try await harness.token(audience: "echo", groups: [Self.member], scope: nil)
            let long = String(repeating: "k", count: 64 << 10)
            let body = #"{""# + long + #"":{"# + (0..<17).map { #""c\#($0)":1"# }.joined(separator: ",") + "}}"
            let answer = try await Self.ask(harness, query: "token=\(token)", body: body)
            #expect(answer.status == 422)
            #expect(answer.detail?.contains("the names of nested members, joined, total more than 1048576 bytes") == true)
        }
    }
}
