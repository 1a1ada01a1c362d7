import PolicyTokens

/// Why the issuer could not be asked for a caller's groups. `description` (with the URL) goes to `/health`
/// and the log, for the operator; `reason` (without it) to the denied caller.
enum GroupLookupFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The issuer's discovery document could not be had, or names no such endpoint.
    case discovery(String)
    case unusableURL(String, String)
    /// 401 or 403 to the introspection request: the permissions client's id or secret is wrong, or the
    /// client may not introspect.
    case credentialsRefused(Int, url: String)
    case httpStatus(Int, url: String)
    case malformedAnswer(url: String, String)
    case transport(url: String, String)
    case timedOut(Duration)

    var description: String {
        switch self {
        case .discovery(let why): why
        case .unusableURL(let url, let why): "cannot ask \(url): \(why)"
        case .credentialsRefused(let status, let url):
            "HTTP \(status) from \(url): the issuer refused policyd's client credentials"
        case .httpStatus(let status, let url): "HTTP \(status) from \(url)"
        case .malformedAnswer(let url, let why): "the answer of \(url) \(why)"
        case .transport(let url, let error): "asking \(url) failed: \(error)"
        case .timedOut(let timeout): "no answer within \(Self.seconds(timeout))"
        }
    }

    /// The denial reason's detail: what went wrong, in words that help the caller's operator without
    /// describing the issuer's internals.
    var reason: String {
        switch self {
        case .discovery, .unusableURL: "the issuer's endpoint is unknown"
        case .credentialsRefused: "the issuer refused policyd's client credentials"
        case .httpStatus(let status, _): "HTTP \(status) from the issuer"
        case .malformedAnswer: "the issuer's answer is not usable"
        case .transport: "cannot reach the issuer"
        case .timedOut(let timeout): "no answer from the issuer within \(Self.seconds(timeout))"
        }
    }

    var isTimeout: Bool {
        if case .timedOut = self { true } else { false }
    }

    func rejection(_ source: GroupSource) -> TokenRejection {
        TokenRejection(.groupsUnavailable, reason: "\(source) failed: \(reason)")
    }

    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(Double(milliseconds) / 1000) s"
    }
}
