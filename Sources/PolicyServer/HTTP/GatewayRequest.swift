import HTTPTypes
import Hummingbird
import PolicyCore

/// The request a gateway is about to forward, as it reaches `/v1/gateway/{service}…`, in one of two
/// forms that are never mixed:
/// - URL form (Envoy's `ext_authz`): the original path and query follow the prefix in the URL, and
///   the request's own method is the original method;
/// - header form (nginx's `auth_request`): a fixed URL, and `X-Original-URI` and `X-Original-Method`
///   say what is protected (the subrequest's own method is always GET, so it says nothing).
/// Where the two forms could disagree, the request is refused rather than one of them believed.
struct GatewayRequest {
    /// The original path, still percent-encoded as the client sent it: the engine reads it as the
    /// upstream will (`ConcretePath(upstreamReading:)`).
    let path: String
    let method: String
    /// The original query string, undecoded; its parameters count only when the operator trusts them.
    let query: Substring?

    static let originalURI = HTTPField.Name("X-Original-URI")!
    static let originalMethod = HTTPField.Name("X-Original-Method")!
    /// RFC 9110 methods are tokens; nothing needs more than this (the longest registered is 17).
    static let maximumMethodBytes = 32

    /// - Parameter rest: what follows `/gateway/{service}` in the URL, with the URL's query.
    init(rest: Substring, query: String?, headers: HTTPFields, method: HTTPRequest.Method) throws(HTTPProblem) {
        let headerURI = try Self.single(Self.originalURI, in: headers)
        let headerMethod = try Self.single(Self.originalMethod, in: headers)
        if !rest.isEmpty {
            path = String(rest)
            self.query = query.map { $0[...] }
            self.method = method.rawValue
            // A proxy_pass with a trailing '/' turns every original path into '/': a decision on
            // 'GET /' would then stand for any request.
            if let headerURI {
                let urlTarget = query.map { "\(rest)?\($0)" } ?? String(rest)
                guard headerURI.utf8.elementsEqual(urlTarget.utf8) else {
                    throw HTTPProblem(
                        .badRequest,
                        "X-Original-URI disagrees with the path in the URL: send the original request in one of them")
                }
            }
            if let headerMethod, !headerMethod.utf8.elementsEqual(method.rawValue.utf8) {
                throw HTTPProblem(
                    .badRequest, "X-Original-Method disagrees with the request's method: with the path in the URL, the method is the request's own")
            }
        } else {
            guard let headerURI else {
                throw HTTPProblem(
                    .badRequest, "no original request: append its path to the URL, or send X-Original-URI")
            }
            guard let headerMethod else {
                throw HTTPProblem(.badRequest, "X-Original-URI without X-Original-Method: send the original request's method")
            }
            let parts = headerURI.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            path = String(parts[0])
            self.query = parts.count == 2 ? parts[1] : nil
            self.method = headerMethod
        }
        guard path.utf8.first == UInt8(ascii: "/") else {
            throw HTTPProblem(.badRequest, "the original path must start with '/'")
        }
        guard Self.isMethod(self.method) else {
            throw HTTPProblem(.badRequest, "the original method must be an HTTP method token of at most \(Self.maximumMethodBytes) characters")
        }
    }

    /// The original query's parameters, for a gateway that trusts them: bounded like an authorisation
    /// call's, and refused whole when it is not valid percent-encoding.
    func queryParameters(maximum: Int) throws(HTTPProblem) -> PolicyCore.Parameters {
        let items = try QueryString(query.map(String.init), maximumItems: maximum).items
        var parameters = PolicyCore.Parameters()
        for item in items { parameters.append(name: item.name, value: .string(item.value)) }
        return parameters
    }

    /// A header that may be given at most once: two would be two readings of one request.
    private static func single(_ name: HTTPField.Name, in headers: HTTPFields) throws(HTTPProblem) -> String? {
        let values = headers[values: name]
        guard values.count <= 1 else { throw HTTPProblem(.badRequest, "\(name) is given more than once") }
        return values.first
    }

    /// RFC 9110 §9.1: a method is a token (`tchar`s), compared case-sensitively.
    private static func isMethod(_ text: String) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= maximumMethodBytes && bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
