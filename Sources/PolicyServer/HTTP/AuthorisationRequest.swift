import Hummingbird
import PolicyCore

/// An authorisation call (`POST /v1/authorise/{type}/{service}`) read into an engine query, with every
/// check that answers 422 done here, before the policy is even looked up.
struct AuthorisationRequest {
    let query: Query
    let explain: Bool

    /// Query parameters that steer the call; every other query parameter is a policy parameter.
    static let controlParameters = ["route", "method", "version", "token", "explain"]

    init(
        type: PolicyType, service: String, queryString: QueryString, body: ByteBuffer, maximumParameters: Int
    ) throws(HTTPProblem) {
        let version = try Self.version(queryString)
        explain = try queryString.single("explain").map { $0.lowercased() == "true" || $0 == "1" } ?? false
        var parameters = try Self.bodyParameters(body)
        var queryParameters = PolicyCore.Parameters()
        for item in queryString.items where !Self.controlParameters.contains(where: { $0.utf8.elementsEqual(item.name.utf8) }) {
            queryParameters.append(name: item.name, value: .string(item.value))
        }
        // A name the query gives twice has no one value; the body's member of that name still wins.
        queryParameters.markRepeatedNames()
        parameters.append(contentsOf: queryParameters)
        // Each parameter costs a comparison per group-template substitution: thousands would make one
        // call as dear as thousands. Members nested in the body are parameters, and count.
        guard parameters.entries.count <= maximumParameters else {
            throw HTTPProblem(
                .unprocessableContent,
                "too many parameters: \(parameters.entries.count), at most \(maximumParameters) (--max-parameters; members nested in the body count)")
        }
        query = try Query(type: type, service: service, version: version, parameters: parameters) { () throws(HTTPProblem) in
            guard let route = try queryString.single("route"), !route.isEmpty else {
                throw HTTPProblem(.unprocessableContent, "missing route: give the route template or path as ?route=")
            }
            return (route, try queryString.single("method"))
        }
    }

    private static func version(_ queryString: QueryString) throws(HTTPProblem) -> VersionSelector {
        guard let text = try queryString.single("version") else { return .latest }
        guard let version = VersionSelector(queryValue: text) else {
            throw HTTPProblem(.unprocessableContent, DecisionReason.unusableVersion(Self.quoted(text)).description)
        }
        return version
    }

    /// The body's members, nested ones included (spec 2.6). An empty (or all-whitespace) body counts
    /// as `{}`: clients that have no parameters often send nothing at all.
    private static func bodyParameters(_ body: ByteBuffer) throws(HTTPProblem) -> PolicyCore.Parameters {
        let fast: PolicyCore.Parameters?? = body.withUnsafeReadableBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.contains(where: { !Self.isJSONWhitespace($0) }) else { return .some(PolicyCore.Parameters()) }
            return PolicyCore.Parameters(flatJSONObject: bytes).map { .some($0) }
        }
        if let fast = fast.flatMap({ $0 }) {
            if let later = RepeatedNames.firstRepeat(count: fast.entries.count, name: { fast.entries[$0].name }) {
                throw repeatedName(fast.entries[later].name)
            }
            return fast
        }
        let members: [JSONMember]
        do {
            members = try JSONReader.parseObject(Array(body.readableBytesView))
        } catch {
            switch error {
            case .syntax(let error):
                throw HTTPProblem(.unprocessableContent, "the request body is not valid JSON: \(error.description)")
            case .notAnObject(let kind):
                throw HTTPProblem(.unprocessableContent, "the request body must be a JSON object, not \(kind)")
            // Two values for one top-level name would let the reader of the policy and the engine see
            // different requests. (A nested name reached twice is no error: it matches nothing, spec 2.6.)
            case .repeatedName(let name):
                throw repeatedName(name)
            }
        }
        do {
            return try PolicyCore.Parameters(jsonObject: members)
        } catch {
            throw HTTPProblem(.unprocessableContent, "the request body is too large to read: \(error)")
        }
    }

    private static func repeatedName(_ name: String) -> HTTPProblem {
        HTTPProblem(.unprocessableContent, "the request body has member '\(Self.clipped(name))' more than once")
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    private static func quoted(_ text: String) -> String {
        "'" + clipped(text) + "'"
    }

    /// Client text echoed in an error stays short.
    private static func clipped(_ text: String) -> String {
        text.count > 64 ? String(text.prefix(64)) + "..." : text
    }
}
