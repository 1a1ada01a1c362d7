import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PolicyCore
import Testing

@testable import PolicyServer

/// The IVOA GMS 1.0 search of spec 4.2, as CANFAR's skaha and cavern ask it through opencadc's
/// `IvoaGroupClient` (cadc-gms): `GET {accessURL}` with no `group=` (skaha: every group the caller
/// holds) or with one raw `group=NAME` per candidate group (cavern: names sorted, not
/// percent-encoded), `Authorization: Bearer <the user's token>` as cadc-util's `HttpTransfer` sets it,
/// and Java's default `Accept`. The client reads the answer a line at a time, trims each line, and
/// refuses the whole answer when a line is not a `GroupURI` name (`[A-Za-z0-9/_.~-]+`).
@Suite struct GroupSearchTests {
    static let javaAgent = "OpenCADC/ca.nrc.cadc.net/Java 17.0.9;Eclipse Adoptium/Linux 5.15.0-91-generic"
    /// `sun.net.www.protocol.http.HttpURLConnection`'s default, sent when the caller sets none.
    static let javaAccept = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"
    static let held = [
        "/roles/prod/user", "data/namespaces/testing/viewer", "skaha/users", "with space", "caf\u{E9}", "/",
        "data/namespaces/testing/viewer",
    ]

    /// The request `IvoaGroupClient.getMemberships` makes: its target as it is (no percent-encoding
    /// added) and its headers but those of the connection.
    static func javaRequest(
        _ harness: InProcessPolicyd, _ target: String, token: String, scheme: String = "Bearer"
    ) async throws -> HTTPTestClient.Answer {
        try await harness.client.send(
            "GET", target, headers: ["Authorization": "\(scheme) \(token)", "User-Agent": javaAgent, "Accept": javaAccept])
    }

    /// The names `IvoaGroupClient` reads from an answer: a line at a time (`LineNumberReader`), each
    /// trimmed; nil when it would refuse one (`GroupURI`'s check), as the whole call then fails.
    static func javaRead(_ body: Data) -> [String]? {
        let text = String(decoding: body, as: UTF8.self)
        var names: [String] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).dropLast() {
            let name = line.trimmingCharacters(in: .whitespaces)
            guard name.wholeMatch(of: /[a-zA-Z0-9\/_\-.~]+/) != nil else { return nil }
            names.append(name)
        }
        return text.isEmpty || text.hasSuffix("\r\n") ? names : nil
    }

    /// An HTTP client library would encode the `%` itself; the in-process router is handed it as it is.
    static let undecodable = "/v1/gms/search?group=%zz"

    static func configure(_ configuration: inout ServerConfiguration, _: String) {
        configuration.gmsPublicURL = "https://srcnet.example/permissions/v1/gms"
    }

    // MARK: - The answer

    @Test func withNothingAskedEveryGroupHeldIsAnswered() {
        let answer = GroupSearchAnswer(asking: ByteStringSet([[UInt8]]()), holder: CallerGroups(Self.held))
        #expect(String(decoding: answer.body, as: UTF8.self) == "roles/prod/user\r\ndata/namespaces/testing/viewer\r\nskaha/users\r\n")
        #expect(answer.asked == 0)
        #expect(answer.answered == 3)
        #expect(answer.leftOut == 3, "'with space', 'café' and '' (from '/')")
    }

    @Test func eachGroupAskedAndHeldIsAnsweredOnceAsAsked() {
        let asked = ["roles/prod/user", "other", "/skaha/users", "roles/prod/user", "with space", "Roles/prod/user"]
        let answer = GroupSearchAnswer(asking: ByteStringSet(asked.map(\.utf8)), holder: CallerGroups(Self.held))
        #expect(String(decoding: answer.body, as: UTF8.self) == "roles/prod/user\r\n/skaha/users\r\n")
        #expect(answer.asked == 5)
        #expect(answer.answered == 2)
        #expect(answer.leftOut == 1)
        let none = GroupSearchAnswer(asking: ByteStringSet([Array("nope".utf8)]), holder: CallerGroups(Self.held))
        #expect(none.body.isEmpty)
    }

    // MARK: - The capabilities document

    @Test func theCapabilitiesNameTheSearchAndTheTokenMethod() throws {
        let document = GroupSearchCapabilities(publicURL: "https://srcnet.example/a&b/v1/gms").document
        let text = String(decoding: document, as: UTF8.self)
        #expect(text.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
        let xml = try XMLDocument(data: Data(document))
        let root = try #require(xml.rootElement())
        #expect(root.localName == "capabilities")
        #expect(root.uri == "http://www.ivoa.net/xml/VOSICapabilities/v1.0")
        #expect(root.resolveNamespace(forName: "vs:ParamHTTP")?.stringValue == "http://www.ivoa.net/xml/VODataService/v1.1")
        let capabilities = root.elements(forName: "capability")
        let ids = capabilities.compactMap { $0.attribute(forName: "standardID")?.stringValue }
        #expect(ids == ["ivo://ivoa.net/std/VOSI#capabilities", "ivo://ivoa.net/std/GMS#search-1.0"])
        func interface(_ index: Int) throws -> XMLElement {
            try #require(capabilities[index].elements(forName: "interface").first)
        }
        let vosi = try interface(0)
        #expect(vosi.attribute(forLocalName: "type", uri: "http://www.w3.org/2001/XMLSchema-instance")?.stringValue == "vs:ParamHTTP")
        #expect(vosi.elements(forName: "accessURL").first?.stringValue == "https://srcnet.example/a&b/v1/gms/capabilities")
        #expect(vosi.elements(forName: "accessURL").first?.attribute(forName: "use")?.stringValue == "full")
        let search = try interface(1)
        #expect(search.attribute(forLocalName: "type", uri: "http://www.w3.org/2001/XMLSchema-instance")?.stringValue == "vs:ParamHTTP")
        #expect(search.attribute(forName: "role")?.stringValue == "std")
        #expect(search.attribute(forName: "version")?.stringValue == "1.0")
        let access = try #require(search.elements(forName: "accessURL").first)
        #expect(access.stringValue == "https://srcnet.example/a&b/v1/gms/search")
        #expect(access.attribute(forName: "use")?.stringValue == "base")
        // VOResource's Interface: accessURL first, then securityMethod.
        #expect(search.children?.compactMap(\.localName) == ["accessURL", "securityMethod"])
        #expect(search.elements(forName: "securityMethod").first?.attribute(forName: "standardID")?.stringValue == "ivo://ivoa.net/sso#token")
    }

    @Test func thePublicURLIsAnAbsoluteHTTPURLWithoutQuery() throws {
        #expect(try GroupSearchCapabilities.checkedPublicURL("https://srcnet.example/permissions/v1/gms/") == "https://srcnet.example/permissions/v1/gms")
        #expect(try GroupSearchCapabilities.checkedPublicURL("http://policyd.auth.svc:8080/v1/gms") == "http://policyd.auth.svc:8080/v1/gms")
        for bad in ["", "/v1/gms", "ftp://x/v1/gms", "https:///v1/gms", "https://x/v1/gms?a=b", "https://x/v1/gms#f", "https://u:p@x/gms",
                    "https://x/v 1", "https://x/\u{E9}", "https://x/a\"b", "https://x/a<b"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try GroupSearchCapabilities.checkedPublicURL(bad) }
        }
    }

    // MARK: - Served (in process), as skaha and cavern ask

    /// skaha: no `group=`, every group the caller holds, each a line the Java client reads.
    @Test func skahasRequestGetsEveryGroupHeld() async throws {
        try await InProcessPolicyd.run(configure: Self.configure) { harness in
            let token = try await harness.token(groups: Self.held)
            let answer = try await Self.javaRequest(harness, "/v1/gms/search", token: token)
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "text/plain; charset=utf-8")
            #expect(Self.javaRead(answer.body) == ["roles/prod/user", "data/namespaces/testing/viewer", "skaha/users"])
            // A lower-case scheme, as a client that passes on what its caller sent would send it.
            let lower = try await Self.javaRequest(harness, "/v1/gms/search", token: token, scheme: "bearer")
            #expect(lower.body == answer.body)
        }
    }

    /// cavern: one raw `group=` per candidate group, sorted; the answer holds those the caller holds.
    @Test func cavernsRequestGetsTheGroupsAskedAndHeld() async throws {
        try await InProcessPolicyd.run(configure: Self.configure) { harness in
            let token = try await harness.token(groups: Self.held)
            let target = "/v1/gms/search?group=data/namespaces/lofar/viewer&group=data/namespaces/testing/viewer"
                + "&group=roles/prod/user&group=skaha/admins"
            let answer = try await Self.javaRequest(harness, target, token: token)
            #expect(answer.status == 200)
            #expect(Self.javaRead(answer.body) == ["data/namespaces/testing/viewer", "roles/prod/user"])
            // Asked for nothing held: an empty body, which the client reads as no membership.
            let none = try await Self.javaRequest(harness, "/v1/gms/search?group=skaha/admins", token: token)
            #expect(none.status == 200)
            #expect(none.body.isEmpty)
            #expect(none.headers["content-length"] == "0")
            // Values are URL-decoded (form encoding, as every query here).
            let encoded = try await harness.client.send(
                "GET", "/v1/gms/search?group=roles%2Fprod%2Fuser&group=", headers: ["Authorization": "Bearer \(token)"])
            #expect(String(decoding: encoded.body, as: UTF8.self) == "roles/prod/user\r\n")
        }
    }

    @Test func isServedUnderTheRootPathToo() async throws {
        try await InProcessPolicyd.run(configure: { configuration, issuer in
            Self.configure(&configuration, issuer)
            configuration.rootPath = try! RootPath("/permissions/api")
        }) { harness in
            let token = try await harness.token(groups: ["skaha/users"])
            for prefix in ["/v1", "/permissions/api/v1"] {
                let search = try await harness.client.send("GET", "\(prefix)/gms/search", headers: ["Authorization": "Bearer \(token)"])
                #expect(String(decoding: search.body, as: UTF8.self) == "skaha/users\r\n", "\(prefix)")
                let capabilities = try await harness.client.get("\(prefix)/gms/capabilities")
                #expect(capabilities.status == 200, "\(prefix)")
                #expect(capabilities.headers["content-type"] == "text/xml; charset=utf-8")
                #expect(capabilities.body == Data(GroupSearchCapabilities(publicURL: "https://srcnet.example/permissions/v1/gms").document))
            }
        }
    }

    /// The registry client fetches the capabilities with whatever credentials it holds for the host:
    /// they are never looked at. Without `--gms-public-url` there is no document to give.
    @Test func theCapabilitiesNeedNoTokenAndAConfiguredURL() async throws {
        try await InProcessPolicyd.run(configure: Self.configure) { harness in
            for headers in [[:], ["Authorization": "Bearer not-a-token"], ["Authorization": "Basic YTpi"]] {
                let answer = try await harness.client.send("GET", "/v1/gms/capabilities", headers: headers)
                #expect(answer.status == 200)
            }
        }
        try await InProcessPolicyd.run { harness in
            let answer = try await harness.client.get("/v1/gms/capabilities")
            #expect(answer.status == 404)
            #expect(answer.detail == "no GMS capabilities: policyd runs without --gms-public-url")
        }
    }

    // MARK: - Tokens

    /// No token, or one not Bearer: 401 `WWW-Authenticate: Bearer`; one refused: the same with
    /// `error="invalid_token"`. The token is never in the answer.
    @Test func noUsableTokenIsA401() async throws {
        try await InProcessPolicyd.run(configure: Self.configure) { harness in
            let missing = try await harness.client.get("/v1/gms/search?group=skaha/users")
            #expect(missing.status == 401)
            #expect(missing.headers["www-authenticate"] == "Bearer")
            #expect(missing.detail == "missing token")
            let basic = try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Basic YTpi"])
            #expect(basic.status == 401)
            #expect(basic.headers["www-authenticate"] == "Bearer")
            // The query's token is not the GMS's: only the header is read.
            let queried = try await harness.client.get("/v1/gms/search?token=" + (try await harness.token(groups: ["skaha/users"])))
            #expect(queried.status == 401)
            let refused: [(String, String)] = [
                (try await harness.token(groups: ["skaha/users"], lifetime: -600), "token expired"),
                (try await harness.token(audience: "skaha", groups: ["skaha/users"]), "wrong audience"),
                (try await harness.token(groups: ["skaha/users"], issuer: "https://elsewhere.example"), "wrong issuer"),
                ("opaque-token", "malformed token: expected three dot-separated parts"),
                ("YWJj.YWJj.YWJj", "malformed token: header is not JSON"),
            ]
            for (token, reason) in refused {
                let answer = try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Bearer \(token)"])
                #expect(answer.status == 401, "\(reason)")
                #expect(answer.headers["www-authenticate"] == #"Bearer error="invalid_token""#, "\(reason)")
                #expect(answer.detail == reason)
                #expect(!String(decoding: answer.body, as: UTF8.self).contains(token))
            }
        }
    }

    /// By default a GMS token may have any issuer and any audience the loaded policies name; the
    /// configured lists replace either.
    @Test func whichIssuersAndAudiencesAreConfigured() async throws {
        try await InProcessPolicyd.run(configure: Self.configure) { harness in
            for audience in ["data-management-api", "site-capabilities-api", "authn-api", "storage-plugin"] {
                let token = try await harness.token(audience: audience, groups: ["skaha/users"], scope: nil)
                let answer = try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Bearer \(token)"])
                #expect(answer.status == 200, "\(audience): \(answer.detail ?? "")")
            }
        }
        try await InProcessPolicyd.run(configure: { configuration, issuer in
            Self.configure(&configuration, issuer)
            configuration.gmsAudiences = ["skaha", "cavern"]
        }) { harness in
            let skaha = try await harness.token(audience: "skaha", groups: ["skaha/users"])
            #expect(try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Bearer \(skaha)"]).status == 200)
            let cavern = try await harness.token(audience: "cavern", groups: ["skaha/users"])
            #expect(try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Bearer \(cavern)"]).status == 200)
            let policy = try await harness.token(groups: ["skaha/users"])
            let refused = try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Bearer \(policy)"])
            #expect(refused.detail == "wrong audience")
        }
        try await InProcessPolicyd.run(configure: { configuration, issuer in
            Self.configure(&configuration, issuer)
            configuration.gmsIssuers = ["https://iam.example"]
        }) { harness in
            let token = try await harness.token(groups: ["skaha/users"])
            let refused = try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Bearer \(token)"])
            #expect(refused.status == 401)
            #expect(refused.detail == "wrong issuer")
        }
    }

    /// Where the issuer keeps the groups, they come from it, as for decisions: an opaque token of the
    /// issuer in introspection mode is introspected.
    @Test func groupsComeFromTheIssuerWhereItKeepsThem() async throws {
        let issuer = TestIssuer()
        try await InProcessPolicyd.run(issuer: issuer, configure: { configuration, issuerURL in
            Self.configure(&configuration, issuerURL)
            GroupSourceTests.introspection(&configuration, issuerURL)
        }) { harness in
            try issuer.introspects("opaque-4f1c2a", as: GroupSourceTests.answer(harness, groups: ["/skaha/users", "x y"]))
            let opaque = try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Bearer opaque-4f1c2a"])
            #expect(opaque.status == 200, "\(opaque.detail ?? "")")
            #expect(String(decoding: opaque.body, as: UTF8.self) == "skaha/users\r\n")
            let jwt = try await harness.token(groups: ["in/the/token"])
            try issuer.introspects(jwt, as: GroupSourceTests.answer(harness, groups: ["from/introspection"]))
            let answer = try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Bearer \(jwt)"])
            #expect(String(decoding: answer.body, as: UTF8.self) == "from/introspection\r\n")
        }
    }

    // MARK: - Bounds, metrics, audit

    /// `group=` values count against `--max-parameters` (422 beyond); a query that does not decode is a
    /// 400; both before the token is looked at.
    @Test func theQueryIsBounded() async throws {
        try await InProcessPolicyd.run(configure: { configuration, issuer in
            Self.configure(&configuration, issuer)
            configuration.maximumParameters = 8
        }) { harness in
            let token = try await harness.token(groups: ["g7"])
            let eight = (0..<8).map { "group=g\($0)" }.joined(separator: "&")
            let allowed = try await harness.client.send("GET", "/v1/gms/search?" + eight, headers: ["Authorization": "Bearer \(token)"])
            #expect(String(decoding: allowed.body, as: UTF8.self) == "g7\r\n")
            let nine = try await harness.client.send("GET", "/v1/gms/search?" + eight + "&group=g8", headers: ["Authorization": "Bearer \(token)"])
            #expect(nine.status == 422)
            let undecodable = try await harness.client.get(Self.undecodable)
            #expect(undecodable.status == 400)
        }
    }

    @Test func searchesAreCountedByOutcome() async throws {
        try await InProcessPolicyd.run(configure: Self.configure) { harness in
            let token = try await harness.token(groups: ["skaha/users"])
            for _ in 0..<2 { _ = try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Bearer \(token)"]) }
            _ = try await harness.client.get("/v1/gms/search")
            _ = try await harness.client.get(Self.undecodable)
            _ = try await harness.client.get("/v1/gms/capabilities")
            for (outcome, count) in [("answered", 2.0), ("refused", 1.0), ("invalid", 1.0)] {
                let series = #"policyd_gms_requests_total{outcome="\#(outcome)"}"#
                #expect(try await GroupSourceTests.metric(series, in: harness) == count, "\(outcome)")
            }
        }
    }

    /// One record per search: who asked, how many groups asked and answered; never a group the caller
    /// does not hold, never the token.
    @Test func eachSearchIsAudited() async throws {
        try await AuditLogTests.withAuditLog(configure: { Self.configure(&$0, "") }) { harness, path in
            let token = try await harness.token(groups: ["skaha/users", "with space"])
            _ = try await harness.client.send(
                "GET", "/v1/gms/search?group=skaha/users&group=secret/unheld/group&group=with%20space",
                headers: ["Authorization": "Bearer \(token)", "X-Request-ID": "gms-1", "X-Calling-Service": "cavern"])
            _ = try await harness.client.send("GET", "/v1/gms/search", headers: ["Authorization": "Bearer \(token)"])
            _ = try await harness.client.get("/v1/gms/search?group=secret/unheld/group")
            #expect(try await harness.eventually { AuditLogTests.records(in: path).count == 3 })
            let records = AuditLogTests.records(in: path)
            let asked = records[0]
            #expect(asked["endpoint"] as? String == "gms")
            #expect(asked["groups_asked"] as? Int == 3)
            #expect(asked["groups_answered"] as? Int == 1)
            #expect(asked["groups_left_out"] as? Int == 1)
            #expect(asked["reason"] is NSNull)
            #expect(asked["sub"] as? String == "tester")
            #expect(asked["iss"] as? String == harness.issuerURL)
            #expect(asked["token_source"] as? String == "header")
            #expect(asked["request_id"] as? String == "gms-1")
            #expect(asked["calling_service"] as? String == "cavern")
            #expect(asked["latency_us"] is Int)
            #expect(records[1]["groups_asked"] as? Int == 0)
            #expect(records[1]["groups_answered"] as? Int == 1)
            #expect(records[2]["reason"] as? String == "missing token")
            #expect(records[2]["groups_answered"] as? Int == 0)
            #expect(records[2]["sub"] is NSNull)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!text.contains("secret/unheld"))
            #expect(!text.contains(token.split(separator: ".")[1]))
        }
    }
}
