import Foundation
import PolicyServer
import Testing

/// `--issuer-groups` and its companions, from flags, variables and files.
@Suite struct GroupConfigurationTests {
    let noKeys = DevelopmentKeys.SearchLocations(workingDirectory: "/nonexistent", executablePaths: [])
    static let credentials = ["POLICYD_INTROSPECTION_CLIENT_ID": "permissions", "POLICYD_INTROSPECTION_CLIENT_SECRET": "xyzzy-secret"]

    func resolve(_ flags: CommandLineSettings = .init(), _ environment: [String: String] = [:]) throws -> ServerConfiguration {
        try ConfigurationResolver(flags: flags, environment: environment, developmentKeySearch: noKeys).resolve()
    }

    func problem(_ flags: CommandLineSettings = .init(), _ environment: [String: String] = [:]) -> String? {
        do {
            _ = try resolve(flags, environment)
            return nil
        } catch {
            return (error as? ConfigurationError)?.message ?? "\(error)"
        }
    }

    @Test func defaults() throws {
        let configuration = try resolve()
        #expect(configuration.issuerGroupSources.isEmpty)
        #expect(configuration.introspectionURLs.isEmpty)
        #expect(configuration.userinfoURLs.isEmpty)
        #expect(configuration.introspectionCredentials == nil)
        #expect(configuration.groupsAnswerLifetime == 300)
        #expect(configuration.groupsLookupTimeout == .seconds(3))
    }

    @Test func flagsAndVariables() throws {
        let flags: CommandLineSettings = [
            .issuerGroups: ["https://iam.example=introspection", "https://other.example = userinfo"],
            .introspectionURL: ["https://iam.example=https://iam.example/introspect?x=1"],
            .userinfoURL: ["https://other.example=http://127.0.0.1:9/userinfo"], .groupsCacheTTL: "60",
            .groupsLookupTimeout: "0.5",
        ]
        let configuration = try resolve(flags, Self.credentials)
        #expect(configuration.issuerGroupSources == ["https://iam.example": .introspection, "https://other.example": .userinfo])
        #expect(configuration.introspectionURLs == ["https://iam.example": "https://iam.example/introspect?x=1"])
        #expect(configuration.userinfoURLs == ["https://other.example": "http://127.0.0.1:9/userinfo"])
        #expect(configuration.groupsAnswerLifetime == 60)
        #expect(configuration.groupsLookupTimeout == .milliseconds(500))
        #expect(configuration.introspectionCredentials == ClientCredentials(clientID: "permissions", secret: "xyzzy-secret"))

        var environment = Self.credentials
        environment["POLICYD_ISSUER_GROUPS"] = "https://iam.example=INTROSPECTION\nhttps://b.example=jwt"
        environment["POLICYD_GROUPS_CACHE_TTL"] = "0"
        environment["POLICYD_GROUPS_LOOKUP_TIMEOUT"] = "10"
        let fromVariables = try resolve(.init(), environment)
        #expect(fromVariables.issuerGroupSources == ["https://iam.example": .introspection, "https://b.example": .jwt])
        #expect(fromVariables.groupsAnswerLifetime == 0)
        #expect(fromVariables.groupsLookupTimeout == .seconds(10))
    }

    @Test func theSecretComesFromAFileWithoutItsNewline() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try Data("xyzzy-secret\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = ["POLICYD_INTROSPECTION_CLIENT_ID": "permissions", "POLICYD_ISSUER_GROUPS": "https://iam.example=introspection"]
        let fromFlag = try resolve([.introspectionClientSecretFile: .values([path])], environment)
        #expect(fromFlag.introspectionCredentials == ClientCredentials(clientID: "permissions", secret: "xyzzy-secret"))
        var withVariable = environment
        withVariable["POLICYD_INTROSPECTION_CLIENT_SECRET_FILE"] = path
        #expect(try resolve(.init(), withVariable).introspectionCredentials?.clientID == "permissions")
        #expect(!"\(fromFlag.introspectionCredentials!)".contains("xyzzy"), "the description hides the secret")
    }

    @Test func unusableSettingsAreRefused() throws {
        let introspect: CommandLineSettings = [.issuerGroups: ["https://iam.example=introspection"]]
        let cases: [(CommandLineSettings, [String: String], String)] = [
            ([.issuerGroups: ["https://iam.example=ldap"]], [:],
             "issuer groups 'https://iam.example=ldap': give jwt, introspection or userinfo, not 'ldap'"),
            ([.issuerGroups: ["introspection"]], [:],
             "issuer groups 'introspection': expected ISSUER=jwt|introspection|userinfo"),
            ([.issuerGroups: ["https://a.example=jwt", "https://a.example=userinfo"]], [:],
             "issuer groups: 'https://a.example' is given more than once"),
            ([.introspectionURL: ["https://a.example=http://iam.example/introspect"]], [:],
             "introspection URL for https://a.example: cannot fetch http://iam.example/introspect: plain http is allowed only to a loopback address"),
            ([.userinfoURL: ["https://a.example"]], [:], "userinfo URL 'https://a.example': expected ISSUER=URL"),
            ([.groupsLookupTimeout: "0"], [:], "--groups-lookup-timeout '0': give a number of seconds from 0.05 to 60"),
            ([.groupsCacheTTL: "-1"], [:], "--groups-cache-ttl '-1': give a number of seconds from 0 to 86400"),
            (introspect, [:],
             "issuer groups: https://iam.example uses introspection, which needs the permissions client: set POLICYD_INTROSPECTION_CLIENT_ID and POLICYD_INTROSPECTION_CLIENT_SECRET (or --introspection-client-secret-file)"),
            ([.issuerGroups: ["https://a.example=introspection", "https://b.example=introspection"]], Self.credentials,
             "issuer groups: https://a.example and https://b.example both use introspection; policyd holds one set of client credentials, which each issuer would see, so give introspection to one issuer"),
            (introspect, ["POLICYD_INTROSPECTION_CLIENT_ID": "permissions"],
             "POLICYD_INTROSPECTION_CLIENT_ID is given without a secret: set POLICYD_INTROSPECTION_CLIENT_SECRET or --introspection-client-secret-file"),
            (introspect, ["POLICYD_INTROSPECTION_CLIENT_SECRET": "xyzzy-secret"],
             "an introspection client secret is given without POLICYD_INTROSPECTION_CLIENT_ID"),
            ([.introspectionClientSecretFile: "/nonexistent/secret"], Self.credentials,
             "POLICYD_INTROSPECTION_CLIENT_SECRET and --introspection-client-secret-file are both given: give the secret one way"),
            ([.introspectionClientSecretFile: "/nonexistent/secret"], ["POLICYD_INTROSPECTION_CLIENT_ID": "permissions"],
             "--introspection-client-secret-file '/nonexistent/secret': cannot read the client secret file"),
        ]
        for (flags, environment, message) in cases {
            let problem = problem(flags, environment)
            #expect(problem == message)
            #expect(problem?.contains("xyzzy") != true, "no message shows the secret")
        }
    }
}
