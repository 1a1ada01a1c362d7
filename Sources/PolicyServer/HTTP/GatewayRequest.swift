import HTTPTypes
import Hummingbird
import PolicyCore

/// The request a gateway is about to forward, as it reaches `/v1/gateway/{service}…`: Envoy's
/// `ext_authz` appends the original path (and query) to the URL and keeps the method; nginx's
/// `auth_request` calls a fixed URL and says what it protects in `X-Original-URI` and
/// `X-Original-Method`.
struct GatewayRequest {
    /// The original path, still percent-encoded: the engine decodes it segment by segment (spec 2.5).
    let path: String
    let method: String
    /// The original query string's parameters, as strings.
    let parameters: PolicyCore.Parameters

    static let originalURI = HTTPField.Name("X-Original-URI")!
    static let originalMethod = HTTPField.Name("X-Original-Method")!

    /// - Parameter rest: what follows `/gateway/{service}` in the URL, with the URL's query.
    init(rest: Substring, query: String?, headers: HTTPFields, method: HTTPRequest.Method) throws(HTTPProblem) {
        let target: (path: Substring, query: Substring?)
        if !rest.isEmpty {
            // The URL wins: a header can only be trusted as far as the gateway overwrites it.
            target = (rest, query.map { $0[...] })
        } else if let uri = headers[Self.originalURI] {
            let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            target = (parts[0], parts.count == 2 ? parts[1] : nil)
        } else {
            throw HTTPProblem(
                .badRequest, "no original request: append its path to the URL, or send X-Original-URI")
        }
        guard target.path.first == "/" else {
            throw HTTPProblem(.badRequest, "the original path must start with '/'")
        }
        path = String(target.path)
        self.method = headers[Self.originalMethod] ?? method.rawValue
        var parameters = PolicyCore.Parameters()
        for item in try QueryString(target.query.map(String.init)).items {
            parameters.append(name: item.name, value: .string(item.value))
        }
        self.parameters = parameters
    }
}
