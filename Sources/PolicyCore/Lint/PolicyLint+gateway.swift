/// Whether a route can be granted at a gateway, which decides on the request line alone (see
/// `Policy.decide(_: GatewayQuery, …)`): a role whose every group template needs a parameter the
/// path does not capture is never known to hold there.
extension PolicyLint {
    mutating func checkGrantableAtGateway(route: RouteTable.Route, method: RouteTable.Method, at path: JSONPath) {
        let captured = Set(route.template.parameterNames.map(ByteString.init))
        let roles = policy.program.roles(of: method.expression)
        // Roles that can be true or false at a gateway, and roles only ever unknown there.
        var definite: [Int] = []
        var unknownOnly: [Int: String] = [:]
        for role in roles {
            let templates = policy.roles[role].templates
            if templates.isEmpty || templates.contains(where: { $0.source.parameterNames.allSatisfy { captured.contains(ByteString($0)) } }) {
                definite.append(role)
            } else {
                unknownOnly[role] = templates.lazy.flatMap(\.source.parameterNames).first { !captured.contains(ByteString($0)) }
            }
        }
        guard !unknownOnly.isEmpty, definite.count <= Self.constantCheckRoleLimit else { return }
        for assignment in 0..<(1 << definite.count) {
            let truth = policy.program.evaluate(method.expression) { role -> Truth in
                if unknownOnly[role] != nil { return .unknown }
                if policy.roles[role].holdsForEveryone { return .true }
                return assignment & (1 << definite.firstIndex(of: role)!) != 0 ? .true : .false
            }
            if truth == .true { return }
        }
        let needed = Set(unknownOnly.values).sorted().map { "{\($0)}" }.joined(separator: ", ")
        warn(.neverGrantedAtGateway, at: sourceMap.location(of: path),
             "\(method.name) \(route.template.text) can never be granted at a gateway: it needs \(needed), which the path does not capture",
             hint: "a gateway sees no body; let the service ask /v1/authorise/route for this route, or capture the parameter in the path",
             severity: .note)
    }
}
