import Foundation
import PolicyCore
import PolicyTokens

/// A ready authorisation call for `--dev` mode: the data-management-api `GET /data/list/{namespace}`
/// check of the deck when that policy is loaded (else the first route of the first route policy), with a
/// token freshly minted by the development key for the policy's issuer, audience and scope, carrying the
/// least group that the policy itself says is allowed.
public struct DevelopmentExample: Sendable {
    public let url: String
    public let token: String
    public let body: String

    public static let preferredService = "data-management-api"
    public static let preferredRoute = "/data/list/{namespace}"
    static let sampleParameterValue = "testing"

    /// Nil when no route policy is loaded or the development directory has no signing key.
    public static func make(
        policies: PolicySet, keys: DevelopmentKeys, baseURL: String, lifetime: TimeInterval = 3600
    ) async throws -> DevelopmentExample? {
        guard let signingKey = keys.signingKeyPEM, let (policy, route) = exampleRoute(in: policies) else { return nil }
        let methods = policy.document["routes"]?[route].flatMap(Self.memberNames) ?? []
        let method = methods.first { $0.uppercased() == "GET" } ?? methods.first ?? "GET"
        let parameters = parameterNames(of: route).map { JSONMember($0, .string(sampleParameterValue)) }
        let query = RouteQuery(
            service: policy.name, version: .number(policy.version), route: route, method: method,
            parameters: try Parameters(jsonObject: parameters))
        let groups = allowingGroups(policy, query: query)
        let token = try await TokenMinter(privateKeyPEM: signingKey, keyID: "dev").mint(
            TokenMinter.Claims(
                issuer: policy.expectedTokenIssuer, audience: policy.expectedTokenAudience, subject: "policyd-dev",
                groups: groups, scope: policy.expectedServiceTokenScope, lifetime: lifetime))
        let url = baseURL + "/v1/authorise/route/" + QueryEncoding.component(policy.name)
            + "?route=" + QueryEncoding.component(route) + "&method=" + QueryEncoding.component(method)
        return DevelopmentExample(url: url, token: token, body: JSONWriter.string(.object(parameters)))
    }

    /// One line to paste into a shell.
    public var curlCommand: String {
        "curl -s -X POST " + ShellQuoting.quoted(url) + " -H " + ShellQuoting.quoted("Authorization: Bearer " + token)
            + " -H 'Content-Type: application/json' -d " + ShellQuoting.quoted(body)
    }

    private static func exampleRoute(in policies: PolicySet) -> (Policy, String)? {
        if let policy = policies.policy(type: .route, service: preferredService, version: .latest),
           policy.routeTemplates.contains(preferredRoute)
        {
            return (policy, preferredRoute)
        }
        for policy in policies.policies where policy.type == .route {
            if let route = policy.routeTemplates.first { return (policy, route) }
        }
        return nil
    }

    /// The groups the policy's roles name, substituted for this query; the first that allows the call
    /// alone wins, else all of them together.
    private static func allowingGroups(_ policy: Policy, query: RouteQuery) -> [String] {
        var candidates: [String] = []
        if case .object(let roles)? = policy.document["roles"] {
            for role in roles {
                guard case .array(let templates) = role.value else { continue }
                for case .string(let template) in templates {
                    let group = substituted(template, rootGroup: policy.rootGroup)
                    if !group.contains("{"), !candidates.contains(group) { candidates.append(group) }
                }
            }
        }
        for group in candidates where policy.decide(query, groups: CallerGroups([group])).isAuthorised {
            return [group]
        }
        return candidates
    }

    private static func substituted(_ template: String, rootGroup: String) -> String {
        var group = template.replacingOccurrences(of: "{root_group}", with: rootGroup)
        for name in parameterNames(of: template) where name != "root_group" {
            group = group.replacingOccurrences(of: "{\(name)}", with: sampleParameterValue)
        }
        return group.hasPrefix("/") ? String(group.dropFirst()) : group
    }

    private static func parameterNames(of template: String) -> [String] {
        template.split(separator: "{").dropFirst().compactMap { piece in
            piece.firstIndex(of: "}").map { String(piece[..<$0]) }
        }
    }

    private static func memberNames(_ value: JSONValue) -> [String]? {
        guard case .object(let members) = value else { return nil }
        return members.map(\.key)
    }
}
