import PolicyCore

struct ConsoleRequest {
    let method: String
    /// The request target: path and query.
    let target: String
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var path: String { String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }
}

struct ConsoleResponse {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    /// Nothing but what the binary serves, no framing, nothing cached, no referrer.
    private static let common: [(name: String, value: String)] = [
        ("Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
    ]

    static func asset(_ text: String, type: String) -> ConsoleResponse {
        ConsoleResponse(status: 200, headers: [("Content-Type", type)] + common, body: Array(text.utf8))
    }

    static func json(_ value: JSONValue, status: Int = 200) -> ConsoleResponse {
        ConsoleResponse(status: status, headers: [("Content-Type", "application/json")] + common, body: Array(JSONWriter.string(value).utf8))
    }

    static func text(_ status: Int, _ message: String) -> ConsoleResponse {
        json(.object([JSONMember("detail", .string(message))]), status: status)
    }
}

/// What the console answers: the page and its assets, and the JSON the page asks for. Refuses
/// any request not addressed to this server by its loopback name (DNS rebinding: a page of
/// another site whose name resolves to 127.0.0.1 sends its own Host), any cross-origin one, and
/// a POST that is not JSON (a cross-site form cannot send one without a preflight, which gets
/// no CORS answer).
struct ConsoleRouter: Sendable {
    let workspace: ConsoleWorkspace
    let port: Int

    func respond(to request: ConsoleRequest) -> ConsoleResponse {
        let origins = ["127.0.0.1:\(port)", "localhost:\(port)"]
        guard let host = request.header("Host"), origins.contains(host) else {
            return .text(421, "this console answers only requests for 127.0.0.1:\(port) or localhost:\(port)")
        }
        if let origin = request.header("Origin"), !origins.map({ "http://" + $0 }).contains(origin) {
            return .text(403, "cross-origin requests are refused")
        }
        switch (request.method, request.path) {
        case ("GET", "/"): return .asset(ConsolePage.html, type: "text/html; charset=utf-8")
        case ("GET", "/console.css"): return .asset(ConsoleStyle.css, type: "text/css; charset=utf-8")
        case ("GET", "/console.js"): return .asset(ConsoleScript.js, type: "text/javascript; charset=utf-8")
        case ("GET", "/api/diagnostics"): return .json(ConsoleJSON.diagnostics(workspace.current()))
        case ("GET", "/api/policies"): return .json(ConsoleJSON.policies(workspace.current(), alternativeLimit: workspace.alternativeLimit))
        case ("POST", "/api/decide"):
            guard request.header("Content-Type")?.lowercased().hasPrefix("application/json") == true else {
                return .text(415, "send the query as application/json")
            }
            return decide(request.body)
        case (_, "/"), (_, "/console.css"), (_, "/console.js"), (_, "/api/diagnostics"), (_, "/api/policies"), (_, "/api/decide"):
            return .text(405, "method \(request.method) not allowed here")
        default:
            return .text(404, "not found")
        }
    }

    /// A query as a line of `policyc eval --batch`, decided with the explanation and what would
    /// grant a denial, as `policyc eval --explain` gives them.
    private func decide(_ body: [UInt8]) -> ConsoleResponse {
        let state = workspace.current()
        let decision: Decision
        do {
            switch try BatchQuery.parse(String(decoding: body, as: UTF8.self)) {
            case .answered(let answered): decision = answered
            case .query(let query, let groups): decision = DecisionEngine(policies: state.policies).decide(query, groups: groups, explain: true)
            }
        } catch {
            return .text(400, "not a query: \(error)")
        }
        return .json(.object([
            JSONMember("generation", .number(JSONNumber(Int64(state.generation)))),
            JSONMember("decision", decision.json(explain: true)),
            JSONMember("text", .string(DecisionReport(decision: decision).lines.joined(separator: "\n"))),
        ]))
    }
}
