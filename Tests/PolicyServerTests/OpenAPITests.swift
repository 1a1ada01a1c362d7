import Foundation
import Hummingbird
import Testing
@testable import PolicyServer

/// `GET /v1/openapi.json`: served as JSON, OpenAPI 3.1, and true to the router: every path the router
/// serves is documented, with exactly the methods that path answers (a route added without documentation
/// fails here). `scripts/check-openapi` checks the answers themselves, with schemathesis.
@Suite struct OpenAPITests {
    /// Methods policyd answers on some path; a path answers each either for real or with 405.
    static let methods = ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE"]

    @Test func servesTheDocumentAsJSON() async throws {
        try await InProcessPolicyd.run { harness in
            let answer = try await harness.client.get("/v1/openapi.json")
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "application/json")
            #expect(answer.body == (try Self.file()))
            let version = try #require(answer.json["openapi"] as? String)
            #expect(version.wholeMatch(of: /3\.1\.[0-9]+/) != nil)
            #expect((answer.json["info"] as? [String: Any])?["version"] as? String == PolicydVersion.current)
            #expect(try await harness.client.send("HEAD", "/v1/openapi.json").status == 200)
            let post = try await harness.client.post("/v1/openapi.json")
            #expect(post.status == 405)
            #expect(post.headers["allow"] == "GET, HEAD")
        }
    }

    @Test func isServedUnderTheRootPathToo() async throws {
        try await InProcessPolicyd.run(configure: { configuration, _ in
            configuration.rootPath = try! RootPath("/permissions/api")
        }) { harness in
            let answer = try await harness.client.get("/permissions/api/v1/openapi.json")
            #expect(answer.status == 200)
            #expect(answer.body == (try Self.file()))
        }
    }

    @Test func everyReferenceResolves() throws {
        let document = try Self.document()
        var references: [String] = []
        Self.collectReferences(in: document, into: &references)
        #expect(!references.isEmpty)
        for reference in references {
            #expect(Self.resolve(reference, in: document) != nil, "unresolved \(reference)")
        }
    }

    @Test func documentsEveryPathTheRouterServesWithTheMethodsItAnswers() async throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        let documented = paths.mapValues { Set($0.keys.filter { Self.methods.contains($0.uppercased()) || $0 == "head" }) }
        try await Self.run { client, routed in
            let undocumented = routed.subtracting(documented.keys)
            #expect(undocumented.isEmpty, "served but not in the OpenAPI document: \(undocumented.sorted())")
            let unserved = Set(documented.keys).subtracting(routed)
            #expect(unserved.isEmpty, "in the OpenAPI document but not served: \(unserved.sorted())")

            for path in routed.sorted() {
                let operations = documented[path] ?? []
                let url = Self.example(path)
                for method in Self.methods + ["HEAD"] {
                    let answer = try await client.send(method, url)
                    let isDocumented = operations.contains(method.lowercased())
                        || (method == "HEAD" && operations.contains("get"))
                    #expect(
                        (answer.status == 405) == !isDocumented,
                        "\(method) \(url): \(answer.status), \(isDocumented ? "documented" : "not documented")")
                }
            }
        }
    }

    /// Spec 4.1: every path takes the four correlation headers, and every answer documented carries
    /// `X-Request-ID`.
    @Test func declaresTheCorrelationHeadersEverywhere() throws {
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let correlation = ["requestID", "correlationID", "traceparent", "callingService"].map { "#/components/parameters/\($0)" }
        for (path, item) in paths {
            let references = (item["parameters"] as? [[String: Any]] ?? []).compactMap { $0["$ref"] as? String }
            #expect(Set(correlation).isSubset(of: references), "\(path)")
            for (method, operation) in item {
                guard let responses = (operation as? [String: Any])?["responses"] as? [String: Any] else { continue }
                for (status, response) in responses {
                    let resolved = ((response as? [String: Any])?["$ref"] as? String).flatMap { Self.resolve($0, in: document) } ?? response
                    let headers = (resolved as? [String: Any])?["headers"] as? [String: Any]
                    #expect(
                        (headers?["X-Request-ID"] as? [String: Any])?["$ref"] as? String == "#/components/headers/X-Request-ID",
                        "\(method) \(path) \(status)")
                }
            }
        }
        let methodNotAllowed = try #require(Self.resolve("#/components/responses/MethodNotAllowed", in: document) as? [String: Any])
        #expect((methodNotAllowed["headers"] as? [String: Any])?["X-Request-ID"] != nil)
    }

    /// `X-Policy-Revision` is declared on every answer that carries a decision, and on none other
    /// (what policyd sends is held to the declaration by scripts/check-openapi); `/v1/health` has
    /// `policy_revision`.
    @Test func declaresThePolicyRevisionOnEveryDecision() throws {
        let document = try Self.document()
        let responses = try #require((document["components"] as? [String: Any])?["responses"] as? [String: [String: Any]])
        let decisions: Set = ["Decision", "GatewayAllowed", "GatewayUnauthorized", "GatewayForbidden"]
        for (name, response) in responses {
            let declared = (response["headers"] as? [String: Any])?["X-Policy-Revision"] as? [String: Any]
            #expect((declared?["$ref"] as? String == "#/components/headers/X-Policy-Revision") == decisions.contains(name), "\(name)")
        }
        let health = try #require(Self.resolve("#/components/schemas/Health", in: document) as? [String: Any])
        #expect((health["required"] as? [String])?.contains("policy_revision") == true)
    }

    // MARK: - Support

    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
    }

    /// The document as written in the repository: what is served must be these bytes, exactly (the
    /// EmbedDocuments plugin compiles them in as `OpenAPIDocument.json`).
    static func file() throws -> Data {
        try Data(contentsOf: TestKeys.packageRoot.appendingPathComponent("Sources/PolicyServer/OpenAPI/OpenAPIDocument.json"))
    }

    /// A concrete URL for a documented path, with parameters the test policies know.
    static func example(_ path: String) -> String {
        path.replacingOccurrences(of: "{service}", with: "data-management-api")
            .replacingOccurrences(of: "{type}", with: "route")
            .replacingOccurrences(of: "{version}", with: "1")
            .replacingOccurrences(of: "{path}", with: "data/list/testing")
    }

    /// Runs policyd on the test policies, in process, and hands `body` the paths it serves (its
    /// router's and the authorisation pipeline's), written as the OpenAPI document writes them
    /// (`{name}` captures; the gateway's `**` as `{path}`).
    static func run(_ body: @Sendable (InProcessPolicyd.Client, Set<String>) async throws -> Void) async throws {
        try await InProcessPolicyd.run { harness in
            let paths = Set(harness.servedPaths.map { $0.replacingOccurrences(of: "/**", with: "/{path}") })
            #expect(paths.contains("/v1/openapi.json"))
            try await body(harness.client, paths)
        }
    }

    static func collectReferences(in value: Any, into references: inout [String]) {
        if let object = value as? [String: Any] {
            if let reference = object["$ref"] as? String { references.append(reference) }
            for member in object.values { collectReferences(in: member, into: &references) }
        } else if let array = value as? [Any] {
            for element in array { collectReferences(in: element, into: &references) }
        }
    }

    /// A local JSON pointer (`#/components/schemas/Problem`) looked up in the document.
    static func resolve(_ reference: String, in document: [String: Any]) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var current: Any = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let object = current as? [String: Any], let next = object[key] else { return nil }
            current = next
        }
        return current
    }
}
