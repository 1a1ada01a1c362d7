import Foundation
import Metrics
import NIOConcurrencyHelpers
import PolicyCore
import PolicyTokens
import Testing

@testable import PolicyServer

/// Token verification in process: the development keys from memory (`StaticKeySource`), the group
/// lookup a fake that records what it is asked (`GroupLookup`), or the real resolver with an issuer
/// in memory (`GroupResolverTests.FakeIssuer`). No socket, no issuer process.
@Suite struct TokenAuthenticatorTests {
    static let issuer = GroupResolverTests.issuer
    static let requirements = GroupResolverTests.requirements
    static let viewer = ["data/namespaces/testing/viewer"]

    /// Records each question and answers with a caller of `viewer`'s groups.
    final class RecordingLookup: GroupLookup {
        let mode: GroupSource
        let asked = NIOLockedValueBox<[(verified: VerifiedToken?, requirements: TokenRequirements)]>([])

        init(_ mode: GroupSource) {
            self.mode = mode
        }

        func source(for issuer: String) -> GroupSource { mode }

        func caller(
            for token: String, verified: VerifiedToken?, source: GroupSource, requirements: TokenRequirements,
            leeway: TimeInterval, groupsClaim: String
        ) async -> Result<AuthenticatedCaller, TokenRejection> {
            asked.withLockedValue { $0.append((verified, requirements)) }
            return .success(AuthenticatedCaller(groups: CallerGroups(viewer), expiresAt: Date() + 60))
        }
    }

    static func authenticator(_ groups: any GroupLookup) throws -> TokenAuthenticator {
        TokenAuthenticator(
            verifier: TokenVerifier(keys: try StaticKeySource(issuer: issuer, jwksJSON: TestKeys.developmentJWKS)),
            cache: CallerCache(capacity: 100), metrics: PolicydMetrics(factory: NOOPMetricsHandler.instance),
            groups: groups)
    }

    static func token(scope: String? = nil, groups: [String] = [], lifetime: TimeInterval = 600) async throws -> String {
        try await TestKeys.mint(
            issuer: issuer, audience: "data-management-api", groups: groups, scope: scope, lifetime: lifetime)
    }

    static func reason(_ result: Result<AuthenticatedCaller, TokenRejection>) -> String? {
        if case .failure(let rejection) = result { return rejection.reason }
        return nil
    }

    @Test func inJWTModeTheTokensOwnGroupsAndScopeAreAllThereIs() async throws {
        let lookup = RecordingLookup(.jwt)
        let authenticator = try Self.authenticator(lookup)
        let scoped = try await Self.token(scope: "data-management-api-service", groups: Self.viewer)
        let caller = try await authenticator.authenticate(scoped, requirements: Self.requirements).get()
        #expect(caller.groups.count == 1)
        let unscoped = try await Self.token(groups: Self.viewer)
        let refused = await authenticator.authenticate(unscoped, requirements: Self.requirements)
        #expect(Self.reason(refused) == "missing scope 'data-management-api-service'")
        #expect(lookup.asked.withLockedValue { $0.count } == 0)
    }

    /// INDIGO IAM's `iam` profile leaves `scope` out of access tokens: in introspection mode the
    /// answer must vouch for it, so the lookup is asked with the scope among the requirements. A
    /// scope claim the token has must hold the scope itself, and then the issuer is not asked.
    @Test func inIntrospectionModeTheAnswerVouchesForTheScope() async throws {
        let lookup = RecordingLookup(.introspection)
        let authenticator = try Self.authenticator(lookup)
        let unscoped = try await Self.token()
        #expect(Self.reason(await authenticator.authenticate(unscoped, requirements: Self.requirements)) == nil)
        let asked = lookup.asked.withLockedValue { $0 }
        #expect(asked.count == 1)
        #expect(asked.first?.verified?.subject == "tester")
        #expect(asked.first?.requirements.scope == "data-management-api-service")

        let otherScope = try await Self.token(scope: "openid", lifetime: 601)
        let refused = await authenticator.authenticate(otherScope, requirements: Self.requirements)
        #expect(Self.reason(refused) == "missing scope 'data-management-api-service'")
        #expect(lookup.asked.withLockedValue { $0.count } == 1)
    }

    /// The whole way in process: the real resolver and answer check, the issuer in memory. The
    /// permissions client was not granted the service scope, so INDIGO IAM filters it out of the answer.
    /// (The answers carry no time of their own: the tokens are minted on the real clock.)
    @Test func aScopeTheAnswerDoesNotHoldIsADenial() async throws {
        let allowed = try await Self.token()
        let filtered = try await Self.token(lifetime: 601)
        let issuer = GroupResolverTests.FakeIssuer([
            allowed: GroupResolverTests.answer(["exp": nil, "iat": nil]),
            filtered: GroupResolverTests.answer(["exp": nil, "iat": nil, "scope": .string("openid profile")]),
        ])
        let authenticator = try Self.authenticator(GroupResolverTests.resolver(issuer, now: Date.init))
        #expect(Self.reason(await authenticator.authenticate(allowed, requirements: Self.requirements)) == nil)
        let denied = await authenticator.authenticate(filtered, requirements: Self.requirements)
        #expect(Self.reason(denied) == "introspection: missing scope 'data-management-api-service'")
    }

    @Test func aCachedCallerIsNotAskedForAgain() async throws {
        let lookup = RecordingLookup(.introspection)
        let authenticator = try Self.authenticator(lookup)
        let token = try await Self.token()
        for _ in 0..<3 { _ = await authenticator.authenticate(token, requirements: Self.requirements) }
        #expect(lookup.asked.withLockedValue { $0.count } == 1)
    }

    @Test func anOpaqueTokenIsAskedAboutOnlyInIntrospectionMode() async throws {
        let introspecting = RecordingLookup(.introspection)
        let asked = await try Self.authenticator(introspecting).authenticate("opaque-4f1c2a", requirements: Self.requirements)
        #expect(Self.reason(asked) == nil)
        #expect(introspecting.asked.withLockedValue { $0.first.map { $0.verified == nil } } == true)
        let jwtMode = RecordingLookup(.jwt)
        let refused = await try Self.authenticator(jwtMode).authenticate("opaque-4f1c2a", requirements: Self.requirements)
        #expect(Self.reason(refused)?.hasPrefix("malformed token") == true)
        #expect(jwtMode.asked.withLockedValue { $0.count } == 0)
    }
}
