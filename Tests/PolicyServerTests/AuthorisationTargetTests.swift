@testable import PolicyServer
import Testing

/// Which request targets are authorisation calls, read as Hummingbird's router reads them.
@Suite struct AuthorisationTargetTests {
    static let paths = AuthorisationTarget.Paths(prefixes: ["/v1", "/permissions/api/v1"])

    @Test func aCallsPartsAreReadAsTheRouterReadsThem() throws {
        let plain = try #require(AuthorisationTarget(target: "/v1/authorise/route/data-management-api?route=%2Fa&b=c#f", paths: Self.paths))
        #expect(plain.type == .route)
        #expect(plain.service == "data-management-api")
        #expect(plain.query == "route=%2Fa&b=c")
        #expect(plain.path == "/v1/authorise/route/data-management-api")
        #expect(plain.routePattern == "/v1/authorise/route/{service}")

        let rooted = try #require(AuthorisationTarget(target: "/permissions/api/v1/authorise/exchange/s", paths: Self.paths))
        #expect(rooted.routePattern == "/permissions/api/v1/authorise/exchange/{service}")
        #expect(rooted.query == nil)

        // Runs of `/` count as one, as in the router.
        for target in ["/v1//authorise/plugin/s/", "//v1/authorise/plugin//s"] {
            #expect(AuthorisationTarget(target: target, paths: Self.paths)?.service == "s", "\(target)")
        }
        // A `#` before any `?` stays in the path, as Hummingbird's URI leaves it.
        #expect(AuthorisationTarget(target: "/v1/authorise/route/s#x?y", paths: Self.paths)?.service == "s#x")
        #expect(AuthorisationTarget(target: "http://h:80/v1/authorise/route/s?q", paths: Self.paths)?.query == "q")
    }

    @Test func theServiceIsDecodedOrUnreadable() {
        #expect(AuthorisationTarget(target: "/v1/authorise/route/data%2Dapi", paths: Self.paths)?.service == "data-api")
        let unreadable = AuthorisationTarget(target: "/v1/authorise/route/a%ZZ", paths: Self.paths)
        #expect(unreadable != nil)
        #expect(unreadable?.service == nil, "answered as no such policy")
    }

    @Test func otherTargetsAreTheRouters() {
        for target in [
            "/v1/authorise/route/a/b", "/v1/authorise/route/", "/v1/authorise/gateway/a", "/v1/authorise/Route/a",
            "/V1/authorise/route/a", "/v2/authorise/route/a", "/v1/policies/route/a", "/v1/authorise", "",
        ] {
            #expect(AuthorisationTarget(target: target, paths: Self.paths) == nil, "\(target)")
        }
    }
}
