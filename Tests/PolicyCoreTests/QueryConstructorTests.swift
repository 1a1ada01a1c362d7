import Testing
@testable import PolicyCore

/// `Query(type:service:version:parameters:route:)`, the one constructor every reader uses.
@Suite struct QueryConstructorTests {
    struct Unasked: Error {}

    static let parameters: Parameters = {
        var parameters = Parameters()
        parameters.append(name: "namespace", value: .string("testing"))
        return parameters
    }()

    @Test func aRouteQueryTakesItsRouteAndMethod() throws {
        let query = Query(type: .route, service: "data", version: .latest, parameters: Self.parameters) { ("/data/list", "POST") }
        guard case .route(let route) = query else {
            Issue.record("not a route query: \(query)")
            return
        }
        #expect(route.service == "data")
        #expect(route.route == "/data/list")
        #expect(route.method == "POST")
        #expect(route.parameters.entries.map(\.name) == ["namespace"])
    }

    /// Another type never asks for a route: a reader that would fail for want of one is not called.
    @Test(arguments: [PolicyType.exchange, .plugin])
    func otherTypesDoNotAskForARoute(type: PolicyType) throws {
        let query = try Query(type: type, service: "echo", version: .latest, parameters: Self.parameters) {
            () throws(Unasked) in throw Unasked()
        }
        #expect(query.type == type)
        #expect(query.service == "echo")
    }

    /// The route reader's own error comes out as it was thrown, typed.
    @Test func aRouteReadersErrorPassesThrough() {
        #expect(throws: Unasked.self) {
            try Query(type: .route, service: "data", version: .latest, parameters: Parameters()) {
                () throws(Unasked) in throw Unasked()
            }
        }
    }
}
