import Testing
@testable import PolicyCore

/// Starlette's path convertors in route templates, as FastAPI services declare them
/// (`/jobs/{job_id:int}`, `/data/locate/{namespace}/{name:path}`), with each matcher.
@Suite struct ConvertorTests {
    static let source = policySource(
        name: "svc",
        roles: #"""
            {"any": [], "viewer": ["ns/{namespace}/viewer"], "named": ["names/{name}"], "owner": ["jobs/{job_id}/owner"],
             "by-id": ["ids/{id}"]}
            """#,
        body: #"""
            "routes": {
              "/data/locate/{namespace}/{name:path}": {"GET": "viewer or named"},
              "/data/locate/{namespace}/latest": {"GET": "any"},
              "/jobs/{job_id:int}": {"GET": "owner"},
              "/jobs/{id:uuid}": {"GET": "by-id"},
              "/jobs/{ratio:float}": {"GET": "any"},
              "/jobs/{name:str}": {"GET": "named"},
              "/files/{rest:path}": {"GET": "any"}
            }
            """#)

    static func template(_ policy: Policy, _ route: String) -> String? {
        RouteMatchingTests.template(policy, route)
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func aTemplateLoadsAsDeclaredAndIsLookedUpExactly(matcher: RouteMatcherKind) throws {
        let policy = try loadPolicy(Self.source, matcher: matcher)
        #expect(Self.template(policy, "/jobs/{job_id:int}") == "/jobs/{job_id:int}")
        // The body's integer substitutes (the FastAPI path_params of an int convertor).
        let owner = policy.route("/jobs/{job_id:int}", params: Parameters([.init(name: "job_id", value: .integer(42))]), groups: ["jobs/42/owner"])
        #expect(owner.isAuthorised)
        #expect(Self.template(policy, "/data/locate/{namespace}/{name:path}") == "/data/locate/{namespace}/{name:path}")
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func concretePathsMatchByTheConvertorsSyntax(matcher: RouteMatcherKind) throws {
        let policy = try loadPolicy(Self.source, matcher: matcher)
        #expect(Self.template(policy, "/jobs/42") == "/jobs/{job_id:int}")
        #expect(Self.template(policy, "/jobs/0123abcd-0123-abcd-0123-0123456789ab") == "/jobs/{id:uuid}")
        #expect(Self.template(policy, "/jobs/0123ABCD0123abcd01230123456789ab") == "/jobs/{id:uuid}")
        #expect(Self.template(policy, "/jobs/1.5") == "/jobs/{ratio:float}")
        #expect(Self.template(policy, "/jobs/abc") == "/jobs/{name:str}")
        #expect(Self.template(policy, "/jobs/1.") == "/jobs/{name:str}", "not a float")
        #expect(Self.template(policy, "/jobs/%34%32") == "/jobs/{name:str}", "convertors read the raw segment")
        #expect(Self.template(policy, "/data/locate/testing/deep/dir/x.fits") == "/data/locate/{namespace}/{name:path}")
        #expect(Self.template(policy, "/data/locate/testing/x.fits") == "/data/locate/{namespace}/{name:path}")
        #expect(Self.template(policy, "/data/locate/testing/latest") == "/data/locate/{namespace}/latest", "a literal beats path")
        #expect(Self.template(policy, "/data/locate/testing") == nil, "path takes one segment or more")
        #expect(Self.template(policy, "/files/a") == "/files/{rest:path}")
        #expect(Self.template(policy, "/files/a/b/") == nil, "a trailing slash matches nothing")
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func aValueCapturedThroughPathHasSlashesAndNeverSubstitutes(matcher: RouteMatcherKind) throws {
        let policy = try loadPolicy(Self.source, matcher: matcher)
        let deep = policy.route("/data/locate/testing/deep/x.fits", groups: ["names/deep/x.fits", "names/deep"])
        #expect(!deep.isAuthorised, "spec 2.2: a value with '/' matches nothing")
        #expect(policy.route("/data/locate/testing/deep/x.fits", groups: ["ns/testing/viewer"]).isAuthorised)
        #expect(policy.route("/data/locate/testing/x.fits", groups: ["names/x.fits"]).isAuthorised, "one segment substitutes")
        // `%2F` inside one segment decodes to '/' too.
        #expect(!policy.route("/data/locate/testing/a%2Fb", groups: ["names/a/b"]).isAuthorised)
    }

    @Test func unknownConvertorsAndAMisplacedPathAreLoadErrors() {
        let unknown = diagnostics(policySource(roles: #"{"any": []}"#, body: #""routes": {"/jobs/{id:integer}": {"GET": "any"}}"#))
        #expect(unknown.map(\.code) == [.unknownConvertor])
        #expect(unknown.first?.message.contains("unknown convertor 'integer'") == true)
        let misplaced = diagnostics(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a/{p:path}/b": {"GET": "any"}}"#))
        #expect(misplaced.map(\.code) == [.malformedRouteTemplate])
        // `{x}` and `{y:str}` are one shape: the same paths.
        let same = diagnostics(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a/{x}": {"GET": "any"}, "/a/{y:str}": {"GET": "any"}}"#))
        #expect(same.map(\.code) == [.indistinctRouteTemplates])
        #expect(diagnostics(policySource(roles: #"{"any": []}"#, body: #""routes": {"/a/{x}": {"GET": "any"}, "/a/{y:int}": {"GET": "any"}}"#)).isEmpty)
    }

    @Test(arguments: [
        ("12", Convertor.int, true), ("", .int, false), ("1a", .int, false), ("1.5", .float, true), ("15", .float, true),
        (".5", .float, false), ("1.", .float, false), ("0123abcd-0123-abcd-0123-0123456789ab", .uuid, true),
        ("0123abcd0123abcd01230123456789ab", .uuid, true), ("0123abcd-0123-abcd-0123-0123456789a", .uuid, false),
        ("0123abcd--0123-abcd-0123-0123456789ab", .uuid, false), ("g123abcd-0123-abcd-0123-0123456789ab", .uuid, false),
    ])
    func convertorSyntax(value: String, convertor: Convertor, accepted: Bool) {
        #expect(convertor.accepts(Array(value.utf8)[...]) == accepted)
    }

    @Test func lintKnowsConvertors() {
        let directory = TemporaryDirectory()
        directory.write("p.json", policySource(
            roles: #"{"any": []}"#, body: #""routes": {"/a/{x:int}": {"GET": "any"}, "/a/{y}": {"GET": "any"}, "/b/{x:int}": {"GET": "any"}, "/b/abc": {"GET": "any"}}"#))
        let codes = PolicyLinter().lint(paths: [directory.path]).map(\.code)
        #expect(codes.contains(.shadowedTemplate), "/a/1 goes to /a/{x:int}, not /a/{y}")
        #expect(codes.filter { $0 == .shadowedTemplate }.count == 1, "'abc' is no int: /b/abc and /b/{x:int} share no path")
    }
}
