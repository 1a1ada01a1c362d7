import Foundation
import Metrics
import NIOConcurrencyHelpers
import PolicyCore
import PolicyDigest
@testable import PolicyServer
@testable import PolicyTokens
import Testing

/// `ShadowDecisions` in process: which caller the candidate decides for (the live one when the
/// token requirements are the same, the token checked again when they differ), a policy missing on
/// either side, a verification that must wait (the comparison arrives later, the caller never
/// waits), and a candidate that has not loaded (no shadow decision).
@Suite struct ShadowDecisionsTests {
    static let issuer = InProcessAuthorisation.issuer
    static let route = RouteQuery(service: "data-management-api", route: "/data/list/testing", method: "GET")
    static let viewer = ["data/namespaces/testing/viewer"]

    /// A data-management-api policy with one route, `/data/list/{namespace}` (GET: `expression`),
    /// for tokens of `audience`.
    static func candidate(expression: String, audience: String = "data-management-api") -> String {
        """
        {
          "name": "data-management-api", "type": "route", "iam_subgroup_name": "data-management-api",
          "expected_token_issuer": "ISSUER", "expected_token_audience": "\(audience)",
          "expected_service_token_scope": "data-management-api-service", "version_number": 1,
          "roles": {"namespace-viewer": ["data/namespaces/{namespace}/viewer"], "admin": ["{root_group}/roles/admin"]},
          "routes": {"/data/list/{namespace}": {"GET": "\(expression)"}}
        }
        """
    }

    /// The comparisons handed on, in order.
    final class Recorded: ShadowRecorder, Sendable {
        private let comparisons = NIOLockedValueBox<[ShadowComparison?]>([])
        func record(_ comparison: ShadowComparison?) { comparisons.withLockedValue { $0.append(comparison) } }
        var all: [ShadowComparison?] { comparisons.withLockedValue { $0 } }
    }

    struct Setting {
        let live: PolicyStore
        let candidates: ShadowPolicyStore
        let shadow: ShadowDecisions
        let candidateDirectory: String

        var livePolicy: Policy { live.policies.policy(type: .route, service: "data-management-api", version: .latest)! }

        /// A call of `query` for which the live set found `caller`.
        func call(
            _ caller: AuthorisationCall.Caller, presenting token: PresentedToken, query: Query = .route(ShadowDecisionsTests.route),
            live: Bool = true
        ) -> ShadowedCall<Query> {
            let decision: Decision = switch caller {
            case .verified(let verified): livePolicy.decide(query, groups: verified.groups)
            case .refused(let reason): .denied(.token(reason))
            }
            return ShadowedCall(
                type: query.type, service: query.service, version: query.version, question: query, presentedToken: token,
                live: live ? .init(policy: livePolicy, caller: caller, decision: decision) : nil)
        }

        /// What the candidate makes of `call`, handed on at once.
        func compare(_ call: ShadowedCall<Query>) throws -> ShadowComparison? {
            let recorded = Recorded()
            shadow.decide(call, then: recorded)
            return try #require(recorded.all.count == 1 ? recorded.all[0] : nil)
        }
    }

    static func caller(_ groups: [String]) -> AuthorisationCall.Caller {
        .verified(AuthenticatedCaller(
            groups: CallerGroups(groups), expiresAt: Date().addingTimeInterval(600), subject: "tester", issuer: issuer))
    }

    static func token(audience: String = "data-management-api", groups: [String] = viewer) async throws -> PresentedToken {
        .token(
            try await TestKeys.mint(issuer: issuer, audience: audience, groups: groups, scope: "data-management-api-service"),
            from: .header)
    }

    static func with(
        candidate files: [String: String], keysGate: InProcessAuthorisation.Gate? = nil, _ body: (Setting) async throws -> Void
    ) async throws {
        let liveDirectory = try TestPolicies.directory(issuer: issuer, files: ["dm.json": TestPolicies.dataManagementV1])
        let candidateDirectory = try TestPolicies.directory(issuer: issuer, files: files)
        defer {
            try? FileManager.default.removeItem(atPath: liveDirectory)
            try? FileManager.default.removeItem(atPath: candidateDirectory)
        }
        let metrics = PolicydMetrics(factory: NOOPMetricsHandler.instance, shadow: true)
        let keys = try StaticKeySource(issuer: issuer, jwksJSON: TestKeys.developmentJWKS)
        let authenticator = TokenAuthenticator(
            verifier: TokenVerifier(keys: keysGate.map { InProcessAuthorisation.WaitedForKeys(keys: keys, gate: $0) } ?? keys),
            cache: CallerCache(capacity: 64), metrics: metrics, groups: InProcessAuthorisation.GroupsInTokens())
        let candidates = ShadowPolicyStore(directory: candidateDirectory)
        try await body(Setting(
            live: try PolicyStore(directory: liveDirectory), candidates: candidates,
            shadow: ShadowDecisions(candidates: candidates, authenticator: authenticator, metrics: metrics),
            candidateDirectory: candidateDirectory))
    }

    /// The same token requirements: the live caller is the candidate's, without a second look at
    /// the token (here one that would not pass any: were it checked, the answer would be a refusal).
    @Test func sameRequirementsDecideForTheLiveCaller() async throws {
        try await Self.with(candidate: ["dm.json": Self.candidate(expression: "admin")]) { setting in
            let comparison = try #require(try setting.compare(setting.call(Self.caller(Self.viewer), presenting: .token("not-a-token", from: .header))))
            #expect(comparison.outcome == .wouldDeny)
            let difference = try #require(comparison.difference)
            #expect(difference.decision.reason.description == "GET /data/list/{namespace}: expression false")
            #expect(difference.policyRevision == setting.candidates.serving?.revision)
            #expect(difference.policyRevision != setting.live.snapshot.revision)
            // The live answer allowed, through namespace-viewer: whose callers the difference is about.
            #expect(difference.allowingRole == "namespace-viewer")
        }
    }

    @Test func theSameAnswerIsNoDifference() async throws {
        try await Self.with(candidate: ["dm.json": Self.candidate(expression: "namespace-viewer or admin")]) { setting in
            let comparison = try #require(try setting.compare(setting.call(Self.caller(Self.viewer), presenting: .token("t", from: .query))))
            #expect(comparison.outcome == .same)
            #expect(comparison.difference == nil)
        }
    }

    /// A refusal for the token (expired, missing) is the candidate's too when it asks the same of
    /// tokens: the same refusal, `same`.
    @Test func sameRequirementsSameRefusal() async throws {
        try await Self.with(candidate: ["dm.json": Self.candidate(expression: "admin")]) { setting in
            let comparison = try setting.compare(setting.call(.refused("token expired"), presenting: .token("t", from: .header)))
            #expect(comparison?.outcome == .same)
        }
    }

    /// Another audience: the token is checked for the candidate's requirements. The live caller's token
    /// names the live audience only, so the candidate refuses it; a token for the candidate's
    /// audience, refused live, is taken by the candidate.
    @Test func otherRequirementsCheckTheTokenAgain() async throws {
        let files = ["dm.json": Self.candidate(expression: "namespace-viewer", audience: "data-management-api-v2")]
        try await Self.with(candidate: files) { setting in
            let refused = try #require(try setting.compare(setting.call(Self.caller(Self.viewer), presenting: try await Self.token())))
            #expect(refused.outcome == .wouldDeny)
            #expect(refused.difference?.decision.reason.description.contains("audience") == true)
            #expect(refused.difference?.allowingRole == "namespace-viewer")

            let taken = try #require(try setting.compare(setting.call(
                .refused("the token's audience is not data-management-api"),
                presenting: try await Self.token(audience: "data-management-api-v2"))))
            #expect(taken.outcome == .wouldAllow)
            #expect(taken.difference?.decision.isAuthorised == true)
            #expect(taken.difference?.allowingRole == "namespace-viewer")
            #expect(taken.caller?.subject == "tester")
        }
    }

    /// No token at all is refused by any requirements, with the live refusal's reason.
    @Test func aMissingTokenIsRefusedByBoth() async throws {
        let files = ["dm.json": Self.candidate(expression: "namespace-viewer", audience: "data-management-api-v2")]
        try await Self.with(candidate: files) { setting in
            let comparison = try setting.compare(setting.call(.refused("missing token"), presenting: .missing))
            #expect(comparison?.outcome == .same)
        }
    }

    @Test func aPolicyTheCandidateLacksWouldDeny() async throws {
        try await Self.with(candidate: ["other.json": TestPolicies.siteCapabilities]) { setting in
            let comparison = try #require(try setting.compare(setting.call(Self.caller(Self.viewer), presenting: .missing)))
            #expect(comparison.outcome == .wouldDeny)
            #expect(comparison.difference?.decision.reason == .noSuchPolicy)
            #expect(comparison.difference?.allowingRole == "namespace-viewer")
        }
    }

    /// The live answer was a 404: the candidate decides, its token check finding the caller.
    @Test func aPolicyOnlyTheCandidateHasIsDecidedByIt() async throws {
        let query = Query.route(RouteQuery(service: "data-management-api", route: "/data/list/testing"))
        try await Self.with(candidate: ["dm.json": Self.candidate(expression: "namespace-viewer")]) { setting in
            let allowed = try #require(try setting.compare(
                setting.call(.refused("unused"), presenting: try await Self.token(), query: query, live: false)))
            #expect(allowed.outcome == .wouldAllow)
            #expect(allowed.caller?.subject == "tester")
            let denied = try #require(try setting.compare(setting.call(
                .refused("unused"), presenting: try await Self.token(groups: ["data/namespaces/other/viewer"]), query: query,
                live: false)))
            #expect(denied.outcome == .wouldDeny)
            #expect(denied.difference?.allowingRole == nil)
        }
    }

    @Test func aPolicyNeitherHasIsTheSame() async throws {
        let query = Query.route(RouteQuery(service: "no-such-service", route: "/x"))
        try await Self.with(candidate: ["dm.json": Self.candidate(expression: "admin")]) { setting in
            let comparison = try setting.compare(setting.call(.refused("unused"), presenting: .missing, query: query, live: false))
            #expect(comparison?.outcome == .same)
        }
    }

    /// A token whose keys must be waited for: `decide` returns at once, the comparison (and with it
    /// the audit record) comes once the verification ends.
    @Test func aVerificationThatWaitsHandsTheComparisonOnLater() async throws {
        let gate = InProcessAuthorisation.Gate()
        let files = ["dm.json": Self.candidate(expression: "namespace-viewer", audience: "data-management-api-v2")]
        try await Self.with(candidate: files, keysGate: gate) { setting in
            let recorded = Recorded()
            setting.shadow.decide(
                setting.call(.refused("audience"), presenting: try await Self.token(audience: "data-management-api-v2")),
                then: recorded)
            try await Task.sleep(for: .milliseconds(100))
            #expect(recorded.all.isEmpty)
            gate.open()
            #expect(try await eventually { recorded.all.count == 1 })
            #expect(recorded.all.first??.outcome == .wouldAllow)
        }
    }

    /// A candidate that does not load makes no shadow decisions (nil is handed on) until a reload
    /// loads it.
    @Test func aCandidateNotLoadedDecidesNothingUntilItLoads() async throws {
        try await Self.with(candidate: ["dm.json": "{"]) { setting in
            #expect(setting.candidates.serving == nil)
            #expect(setting.candidates.failureBeforeLoading?.diagnostics.isEmpty == false)
            let recorded = Recorded()
            setting.shadow.decide(setting.call(Self.caller(Self.viewer), presenting: .missing), then: recorded)
            #expect(recorded.all.count == 1)
            #expect(recorded.all.first! == nil)

            try Data(Self.candidate(expression: "admin").replacingOccurrences(of: "ISSUER", with: Self.issuer).utf8)
                .write(to: URL(fileURLWithPath: setting.candidateDirectory + "/dm.json"))
            #expect((try? setting.candidates.reload().get()) != nil)
            #expect(setting.candidates.failureBeforeLoading == nil)
            #expect(try setting.compare(setting.call(Self.caller(Self.viewer), presenting: .missing))?.outcome == .wouldDeny)
        }
    }

    /// Requirements compare by bytes: a scope spelled with a precomposed `é` is not one spelled with
    /// `e` and a combining accent, though Swift's `==` says they are equal.
    @Test func requirementsCompareByBytes() throws {
        func policy(scope: String) throws -> Policy {
            let text = Self.candidate(expression: "admin")
                .replacingOccurrences(of: "ISSUER", with: Self.issuer)
                .replacingOccurrences(of: "data-management-api-service", with: scope)
            return try PolicyLoader().loadPolicy(bytes: Array(text.utf8), file: "p.json").get()
        }
        #expect("caf\u{E9}" == "cafe\u{301}")
        #expect(ShadowDecisions.asksTheSame(of: try policy(scope: "caf\u{E9}"), as: try policy(scope: "caf\u{E9}")))
        #expect(!ShadowDecisions.asksTheSame(of: try policy(scope: "caf\u{E9}"), as: try policy(scope: "cafe\u{301}")))
    }
}
