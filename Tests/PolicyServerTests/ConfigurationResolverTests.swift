import Foundation
import PolicyServer
import Testing

@Suite struct ConfigurationResolverTests {
    let noKeys = DevelopmentKeys.SearchLocations(workingDirectory: "/nonexistent", executablePaths: [])

    func resolve(_ flags: CommandLineSettings = .init(), _ environment: [String: String] = [:]) throws -> ServerConfiguration {
        try ConfigurationResolver(flags: flags, environment: environment, developmentKeySearch: noKeys).resolve()
    }

    @Test func defaults() throws {
        let configuration = try resolve()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.policyDirectory == "policies")
        #expect(configuration.rootPath == .none)
        #expect(configuration.tokenLeeway == 60)
        #expect(configuration.groupsClaim == "groups")
        #expect(configuration.issuerKeySources.isEmpty)
        #expect(configuration.developmentKeys == nil)
    }

    @Test func environmentVariablesApplyAndFlagsWin() throws {
        let environment = [
            "POLICYD_HOST": "0.0.0.0", "POLICYD_PORT": "9000", "POLICYD_POLICIES": "/etc/policies",
            "POLICYD_ROOT_PATH": "/api/permissions", "POLICYD_LEEWAY": "30", "POLICYD_GROUPS_CLAIM": "wlcg.groups",
            "POLICYD_ISSUER_JWKS": "https://a.example=https://a.example/jwks?x=1, https://b.example=/etc/b.json\nhttps://c.example=file:///c.json",
        ]
        let fromEnvironment = try resolve(.init(), environment)
        #expect(fromEnvironment.host == "0.0.0.0")
        #expect(fromEnvironment.port == 9000)
        #expect(fromEnvironment.policyDirectory == "/etc/policies")
        #expect(fromEnvironment.rootPath.versionPrefixes == ["/v1", "/api/permissions/v1"])
        #expect(fromEnvironment.tokenLeeway == 30)
        #expect(fromEnvironment.groupsClaim == "wlcg.groups")
        #expect(fromEnvironment.issuerKeySources == [
            "https://a.example": .url("https://a.example/jwks?x=1"), "https://b.example": .file("/etc/b.json"),
            "https://c.example": .file("/c.json"),
        ])

        let flags: CommandLineSettings = [.port: "9001", .issuerJWKS: ["https://d.example=https://d.example/keys"]]
        let withFlags = try resolve(flags, environment)
        #expect(withFlags.port == 9001)
        #expect(withFlags.host == "0.0.0.0")
        #expect(withFlags.issuerKeySources == ["https://d.example": .url("https://d.example/keys")])
    }

    /// `--shadow-policies`: none unless given; the flag wins over the variable; an empty flag is refused.
    @Test func shadowPolicies() throws {
        #expect(try resolve().shadowPolicyDirectory == nil)
        let environment = ["POLICYD_SHADOW_POLICIES": "/etc/candidate"]
        #expect(try resolve(.init(), environment).shadowPolicyDirectory == "/etc/candidate")
        #expect(try resolve([.shadowPolicies: "/srv/candidate"], environment).shadowPolicyDirectory == "/srv/candidate")
        #expect(throws: ConfigurationError.self) { try resolve([.shadowPolicies: ""]) }
    }

    /// GMS (spec 4.2): the issuers and audiences a search's token may have (unset: the policies'), and
    /// the public URL of the capabilities document (unset: none).
    @Test func groupSearchSettings() throws {
        let defaults = try resolve()
        #expect(defaults.gmsIssuers == nil)
        #expect(defaults.gmsAudiences == nil)
        #expect(defaults.gmsPublicURL == nil)
        let environment = [
            "POLICYD_GMS_ISSUER": "https://iam.example, https://other.example", "POLICYD_GMS_AUDIENCE": "skaha\ncavern",
            "POLICYD_GMS_PUBLIC_URL": "https://srcnet.example/permissions/v1/gms/",
        ]
        let fromEnvironment = try resolve(.init(), environment)
        #expect(fromEnvironment.gmsIssuers == ["https://iam.example", "https://other.example"])
        #expect(fromEnvironment.gmsAudiences == ["skaha", "cavern"])
        #expect(fromEnvironment.gmsPublicURL == "https://srcnet.example/permissions/v1/gms")
        let withFlags = try resolve(
            [.gmsIssuer: ["https://flag.example"], .gmsAudience: ["one"], .gmsPublicURL: "http://policyd.svc:8080/v1/gms"],
            environment)
        #expect(withFlags.gmsIssuers == ["https://flag.example"])
        #expect(withFlags.gmsAudiences == ["one"])
        #expect(withFlags.gmsPublicURL == "http://policyd.svc:8080/v1/gms")
    }

    @Test func emptyVariablesCountAsUnset() throws {
        #expect(try resolve(.init(), ["POLICYD_PORT": "", "POLICYD_DEV": ""]).port == 8080)
    }

    @Test func unusableSettingsAreRefusedByName() {
        let cases: [(CommandLineSettings, [String: String], String)] = [
            ([.port: "http"], [:], "--port"),
            (.init(), ["POLICYD_PORT": "70000"], "POLICYD_PORT"),
            ([.leeway: "-1"], [:], "--leeway"),
            ([.rootPath: "/a/{b}"], [:], "root path"),
            ([.issuerJWKS: ["https://a.example"]], [:], "ISSUER=URL_OR_FILE"),
            (.init(), ["POLICYD_DEV": "maybe"], "POLICYD_DEV"),
            ([.development: true], [:], "--dev"),
            ([.jwksMinimumRefresh: "600", .jwksMaximumRefresh: "60"], [:], "minimum refresh"),
            ([.maximumBodyBytes: "10"], [:], "--max-body-bytes"),
            (.init(), ["POLICYD_MAX_HEADER_BYTES": "lots"], "POLICYD_MAX_HEADER_BYTES"),
            ([.maximumParameters: "0"], [:], "--max-parameters"),
            ([.idleTimeout: "0"], [:], "--idle-timeout"),
            (.init(), ["POLICYD_BODY_TIMEOUT": "-3"], "POLICYD_BODY_TIMEOUT"),
            ([.firstByteTimeout: "0"], [:], "--first-byte-timeout"),
            ([.headTimeout: "2", .firstByteTimeout: "3"], [:], "first-byte timeout must not exceed the head timeout"),
            ([.maximumConnections: "100", .maximumConnectionsPerPeer: "101"], [:], "--max-connections-per-peer"),
            (.init(), ["POLICYD_MAX_CONNECTIONS_PER_PEER": "0"], "POLICYD_MAX_CONNECTIONS_PER_PEER"),
            ([.gmsPublicURL: "/v1/gms"], [:], "--gms-public-url"),
            (.init(), ["POLICYD_GMS_PUBLIC_URL": "https://x.example/gms?a=b"], "POLICYD_GMS_PUBLIC_URL"),
            ([.gmsAudience: [""]], [:], "GMS audiences"),
        ]
        for (flags, environment, mention) in cases {
            do {
                _ = try resolve(flags, environment)
                Issue.record("accepted \(flags) \(environment)")
            } catch {
                #expect("\(error)".contains(mention), "\(error)")
            }
        }
    }

    @Test func limitsHaveDefaultsAndCanBeSet() throws {
        let defaults = try resolve(.init())
        #expect(defaults.maximumBodyBytes == 1 << 20)
        #expect(defaults.maximumHeaderBytes == 64 << 10)
        #expect(defaults.maximumParameters == 64)
        #expect(defaults.idleTimeout == .seconds(30))
        #expect(defaults.bodyTimeout == .seconds(10))
        #expect(defaults.firstByteTimeout == .seconds(5))
        #expect(defaults.maximumConnections == 2048)
        #expect(defaults.maximumConnectionsPerPeer == 512)
        let connections = try resolve([.firstByteTimeout: "0.5", .maximumConnections: "100"])
        #expect(connections.firstByteTimeout == .milliseconds(500))
        #expect(connections.maximumConnectionsPerPeer == 25, "a quarter of --max-connections unless given")
        let perPeer = try resolve([.headTimeout: "2"], ["POLICYD_MAX_CONNECTIONS_PER_PEER": "2048"])
        #expect(perPeer.maximumConnectionsPerPeer == 2048)
        #expect(perPeer.firstByteTimeout == .seconds(2), "at most the head timeout unless given")
        let set = try resolve(
            [.maximumBodyBytes: "4096", .maximumParameters: "8", .idleTimeout: "5"],
            ["POLICYD_MAX_HEADER_BYTES": "8192", "POLICYD_BODY_TIMEOUT": "2.5", "POLICYD_MAX_PARAMETERS": "99"])
        #expect(set.maximumBodyBytes == 4096)
        #expect(set.maximumHeaderBytes == 8192)
        #expect(set.maximumParameters == 8)
        #expect(set.idleTimeout == .seconds(5))
        #expect(set.bodyTimeout == .milliseconds(2500))
    }

    @Test func developmentModeFindsTheKeys() throws {
        let directory = TestKeys.fixturesDirectory.path
        let byFlag = try resolve([.development: true, .developmentKeys: .values([directory])])
        #expect(byFlag.developmentKeys?.directory == directory)
        let byEnvironment = try resolve(.init(), ["POLICYD_DEV": "1", "POLICYD_DEV_KEYS": directory])
        #expect(byEnvironment.developmentKeys != nil)
        let searched = try ConfigurationResolver(
            flags: [.development: true], environment: [:],
            developmentKeySearch: .init(workingDirectory: TestKeys.packageRoot.path, executablePaths: [])
        ).resolve()
        #expect(searched.developmentKeys?.keys.keyIDs == ["dev"])
    }

    @Test func rootPaths() throws {
        #expect(try RootPath("").versionPrefixes == ["/v1"])
        #expect(try RootPath("/").versionPrefixes == ["/v1"])
        #expect(try RootPath("permissions").versionPrefixes == ["/v1", "/permissions/v1"])
        #expect(try RootPath("/a/b/").description == "/a/b")
        #expect(throws: ConfigurationError.self) { try RootPath("/a//b") }
        #expect(throws: ConfigurationError.self) { try RootPath("/:x") }
        #expect(throws: ConfigurationError.self) { try RootPath("/*") }
    }

    @Test func aBadPolicyDirectoryStopsTheStart() throws {
        let directory = try TestPolicies.directory(issuer: "https://issuer.example", files: ["bad.json": #"{"name": 1}"#])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = ServerConfiguration(policyDirectory: directory)
        do {
            _ = try PolicyServer(configuration: configuration, logger: RunningApplication.quietLogger)
            Issue.record("started with a bad policy")
        } catch {
            guard case .policies(let failure) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(!failure.diagnostics.isEmpty)
            #expect(failure.diagnostics.allSatisfy { $0.description.hasPrefix(directory + "/bad.json:") })
        }
    }

    @Test func anUnreadableJWKSFileStopsTheStart() throws {
        let directory = try TestPolicies.directory(issuer: "https://issuer.example")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = ServerConfiguration(policyDirectory: directory)
        configuration.issuerKeySources = ["https://issuer.example": .file("/nonexistent/jwks.json")]
        #expect(throws: StartupError.self) {
            try PolicyServer(configuration: configuration, logger: RunningApplication.quietLogger)
        }
    }
}
