import Testing
@testable import PolicyCore

/// Route decisions (spec 2.3 and the "Routes" rules of 2.5), with each matcher.
@Suite struct RouteMatchingTests {
    static let source = policySource(
        name: "svc",
        roles: #"{"any": [], "viewer": ["ns/{namespace}/viewer"], "site": ["sites/{site}"], "item": ["items/{item}"]}"#,
        body: #"""
            "routes": {
              "/": {"GET": "any"},
              "/data/list": {"GET": "any"},
              "/data/list/{namespace}": {"GET": "viewer", "DELETE": "viewer"},
              "/data/{namespace}/x": {"GET": "viewer"},
              "/search/data/{site}": {"GET": "site"},
              "/search/{y}/{site}": {"GET": "site"},
              "/a/{item}/c": {"GET": "item"},
              "/{z}/b/d": {"GET": "any"},
              "/{z}/b/c": {"GET": "any"}
            }
            """#)

    static func policy(_ matcher: RouteMatcherKind) throws -> Policy {
        try loadPolicy(source, matcher: matcher)
    }

    static func template(_ policy: Policy, _ route: String, method: String? = nil, params: Parameters = Parameters()) -> String? {
        let decision = policy.route(route, method: method, params: params, groups: [])
        switch decision.reason {
        case .routeExpression(_, let template, _), .methodNotAllowed(_, let template): return template
        default: return nil
        }
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func anExactTemplateIsTakenAsItIsAndCapturesNothing(matcher: RouteMatcherKind) throws {
        let policy = try Self.policy(matcher)
        #expect(Self.template(policy, "/data/list/{namespace}") == "/data/list/{namespace}")
        #expect(policy.route("/data/list/{namespace}", params: .strings(["namespace": "t"]), groups: ["ns/t/viewer"]).isAuthorised)
        #expect(!policy.route("/data/list/{namespace}", groups: ["ns/{namespace}/viewer"]).isAuthorised)
        #expect(Self.template(policy, "/") == "/")
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func aTemplateWithOtherParameterNamesIsAConcretePath(matcher: RouteMatcherKind) throws {
        let policy = try Self.policy(matcher)
        #expect(Self.template(policy, "/data/list/{ns}") == "/data/list/{namespace}")
        #expect(!policy.route("/data/list/{ns}", groups: ["ns/{ns}/viewer"]).isAuthorised, "a captured value with braces is unusable")
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func theFirstDifferingSegmentThatIsLiteralWins(matcher: RouteMatcherKind) throws {
        let policy = try Self.policy(matcher)
        #expect(Self.template(policy, "/data/list") == "/data/list")
        #expect(Self.template(policy, "/data/list/x") == "/data/list/{namespace}")
        #expect(Self.template(policy, "/data/list/x/x") == nil)
        #expect(Self.template(policy, "/data/other/x") == "/data/{namespace}/x")
        #expect(Self.template(policy, "/search/data/s1") == "/search/data/{site}")
        #expect(Self.template(policy, "/search/other/s1") == "/search/{y}/{site}")
        #expect(Self.template(policy, "/a/b/c") == "/a/{item}/c")
        #expect(Self.template(policy, "/a/b/d") == "/{z}/b/d", "backtracks out of the literal branch")
        #expect(Self.template(policy, "/q/b/c") == "/{z}/b/c")
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func capturedSegmentsArePercentDecodedOnce(matcher: RouteMatcherKind) throws {
        let policy = try Self.policy(matcher)
        func allowed(_ path: String, _ group: String) -> Bool { policy.route(path, groups: [group]).isAuthorised }
        #expect(allowed("/data/list/te%73ting", "ns/testing/viewer"))
        #expect(allowed("/data/list/te%73ting", "ns/testing/viewer"))
        #expect(allowed("/data/list/%C3%A9t%c3%a9", "ns/été/viewer"), "lower-case hex, UTF-8")
        #expect(allowed("/data/list/a%20b", "ns/a b/viewer"))
        #expect(allowed("/data/list/a+b", "ns/a+b/viewer"), "'+' stays '+'")
        #expect(allowed("/data/list/50%25", "ns/50%/viewer"))
        #expect(allowed("/data/list/a%252Fb", "ns/a%2Fb/viewer"), "decoded once only")
        #expect(!allowed("/data/list/a%2Fb", "ns/a/b/viewer"), "%2F decodes to '/': unusable")
        #expect(Self.template(policy, "/data/list/a%2Fb") == "/data/list/{namespace}", "the route still matches")
        #expect(!allowed("/data/list/%7Bx%7D", "ns/{x}/viewer"))
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func pathsThatBreakTheRulesMatchNothing(matcher: RouteMatcherKind) throws {
        let policy = try Self.policy(matcher)
        for path in [
            "data/list", "/data//list", "/data/list/", "//", "", "/data/list?x=1", "/data/list#f", "/data/list/%zz",
            "/data/list/%", "/data/list/a%2", "/data/list/%FF", "/data/list/%C3", "/data/li%73t", "/data/LIST",
            "/Data/list", "/data/list/x%2", "/search/data/%e9",
        ] {
            #expect(policy.route(path, groups: []).reason == .noMatchingRoute, "\(path)")
        }
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func invalidEncodingAnywhereSpoilsThePath(matcher: RouteMatcherKind) throws {
        let policy = try Self.policy(matcher)
        #expect(policy.route("/search/%zz/s", groups: []).reason == .noMatchingRoute)
        #expect(policy.route("/%zz/b/c", groups: []).reason == .noMatchingRoute)
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func suppliedParametersMustAgreeWithCapturedOnes(matcher: RouteMatcherKind) throws {
        let policy = try Self.policy(matcher)
        func decide(_ path: String, _ params: String) throws -> Decision {
            guard case .object(let members) = try JSONReader.parse(params) else { fatalError() }
            return policy.route(path, params: try Parameters(jsonObject: members), groups: ["items/42", "items/x"])
        }
        #expect(try decide("/a/42/c", #"{"item": "42"}"#).isAuthorised)
        #expect(try decide("/a/42/c", #"{"item": 42}"#).isAuthorised)
        #expect(try decide("/a/x/c", #"{"other": 1}"#).isAuthorised)
        #expect(try decide("/a/te%73t/c", #"{"item": "test"}"#).reason != .parameterConflict(name: "item"))
        for conflicting in [#"{"item": "43"}"#, #"{"item": "042"}"#, #"{"item": 42.0}"#, #"{"item": true}"#,
                            #"{"item": null}"#, #"{"item": ["42"]}"#, #"{"item": " 42"}"#] {
            #expect(try decide("/a/42/c", conflicting).reason == .parameterConflict(name: "item"), "\(conflicting)")
        }
        var both = Parameters.strings(["item": "42"])
        both.append(contentsOf: .strings(["item": "43"]))
        #expect(policy.route("/a/42/c", params: both, groups: ["items/42"]).reason == .parameterConflict(name: "item"),
                "every supplied value is checked, the query's too")
    }

    @Test(arguments: RouteMatcherKind.allCases)
    func methods(matcher: RouteMatcherKind) throws {
        let policy = try Self.policy(matcher)
        let viewer = ["ns/t/viewer"]
        let params = Parameters.strings(["namespace": "t"])
        #expect(policy.route("/data/list/t", method: nil, groups: viewer).isAuthorised)
        #expect(policy.route("/data/list/t", method: "", groups: viewer).isAuthorised)
        #expect(policy.route("/data/list/t", method: "delete", groups: viewer).isAuthorised)
        #expect(policy.route("/data/list/t", method: "DeLeTe", params: params, groups: viewer).isAuthorised)
        #expect(policy.route("/data/list/t", method: "HEAD", groups: viewer).reason ==
            .methodNotAllowed(method: "HEAD", template: "/data/list/{namespace}"))
        #expect(policy.route("/data/list/t", method: " GET", groups: viewer).reason ==
            .methodNotAllowed(method: " GET", template: "/data/list/{namespace}"))
        #expect(policy.route("/data/list/t", method: "gét", groups: viewer).reason ==
            .methodNotAllowed(method: "GéT", template: "/data/list/{namespace}"), "only ASCII letters are upper-cased")
    }

    /// The trie and the PCRE2 pattern must agree on every path: random templates over a small
    /// alphabet (so that paths collide often), random paths over the same alphabet.
    @Test func bothMatchersAgree() throws {
        var random = SplitMix64(seed: 20261125)
        var matched = 0
        let words = ["a", "b", "c", "{p}", "{q}"]
        for _ in 0..<40 {
            var templates: [String: String] = [:]
            var shapes: Set<String> = []
            for _ in 0..<12 {
                let length = Int(random.next() % 4) + 1
                var used: Set<String> = []
                var segments: [String] = []
                for position in 0..<length {
                    var word = words[Int(random.next() % UInt64(words.count))]
                    if word.hasPrefix("{") { word = "{\(word.dropFirst().dropLast())\(position)}" }
                    if used.insert(word).inserted { segments.append(word) } else { segments.append("a") }
                }
                let template = "/" + segments.joined(separator: "/")
                let shape = segments.map { $0.hasPrefix("{") ? "{}" : $0 }.joined(separator: "/")
                if shapes.insert(shape).inserted { templates[template] = #"{"GET": "any"}"# }
            }
            let body = "\"routes\": {" + templates.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
            let trie = try loadPolicy(policySource(body: body), matcher: .trie)
            let pcre2 = try loadPolicy(policySource(body: body), matcher: .pcre2)
            for _ in 0..<60 {
                let length = Int(random.next() % 5)
                let path = "/" + (0..<length).map { _ in ["a", "b", "c", "d", "a%20"][Int(random.next() % 5)] }.joined(separator: "/")
                let template = Self.template(trie, path)
                #expect(template == Self.template(pcre2, path), "\(path) in \(templates.keys.sorted())")
                if template != nil { matched += 1 }
            }
        }
        #expect(matched > 200, "the paths must exercise the matchers, not miss everything")
    }

    /// Callers that send their route with the API prefix their framework added (`/v1/nodes`) learn
    /// which template they probably meant; it is still a denial.
    @Test(arguments: RouteMatcherKind.allCases)
    func aRouteWithAPrefixNamesTheTemplateItProbablyMeant(matcher: RouteMatcherKind) throws {
        let policy = try Self.policy(matcher)
        let prefixed = policy.route("/v1/data/list/{namespace}", groups: ["ns/t/viewer"])
        #expect(!prefixed.isAuthorised)
        #expect(prefixed.reason == .noMatchingRouteWithPrefix(prefix: "/v1", probableTemplate: "/data/list/{namespace}"))
        #expect(prefixed.reason.description
            == "no matching route (did you mean '/data/list/{namespace}'? the route carries the prefix '/v1', which the service should strip)")
        let api = policy.route("/api/v1/search/data/s1", groups: [])
        #expect(api.reason == .noMatchingRouteWithPrefix(prefix: "/api/v1", probableTemplate: "/search/data/{site}"))
        #expect(policy.route("/nowhere/at/all", groups: []).reason == .noMatchingRoute)
        #expect(policy.route("/v1", groups: []).reason == .noMatchingRoute, "nothing is left to match")
    }
}

/// A small deterministic generator, so that failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

}
