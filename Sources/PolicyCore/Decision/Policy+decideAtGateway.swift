/// Decisions for a gateway (`GatewayQuery`). The path is read as the upstream will read it
/// (`RouteTable.resolve(upstreamPath:)`): decoded before it is matched, and denied as ambiguous
/// when upstreams would read it in different ways. A role whose group template needs a parameter the
/// request line does not carry cannot be known to hold or not: the upstream may read that
/// parameter from the body, which the gateway never sees. Such a role is *unknown*, the
/// expression is evaluated in three-valued logic, and anything but a definite `true` denies, so
/// neither `admin or namespace-viewer` nor `not blocked` can be granted on a value the upstream
/// never reads. No explanation and no would-grant search: a gateway needs the held roles only.
extension Policy {
    public func decide(_ query: GatewayQuery, groups: CallerGroups) -> GatewayDecision {
        guard case .routes(let table) = rules else { return .denied(.noSuchPolicy) }
        let resolution: RouteTable.Resolution
        do {
            resolution = try table.resolve(upstreamPath: query.path)
        } catch {
            return .denied(.ambiguousPath(error))
        }
        guard case .path(let routeIndex, let captured) = resolution else {
            return .denied(table.noMatchReason(for: query.path, upstreamReading: true))
        }
        var supplied = Parameters()
        if let queryParameters = query.queryParameters {
            let checked = Self.singleValued(queryParameters, captured: captured)
            if let refusal = checked.refusal { return .denied(refusal) }
            supplied = checked.parameters
        }
        let template = table.routes[routeIndex].template.text
        guard let method = table.method(exactly: query.method, of: routeIndex) else {
            return .denied(.methodNotAllowed(method: query.method, template: template))
        }
        let bindings = ParameterBindings(captured: captured, supplied: supplied)
        return roleTemplates.withChecker(groups: groups.table, bindings: bindings) { checker in
            var unknownParameter: String?
            let truth = program.evaluate(method.expression) { role in
                let (truth, missing) = checker.truthAtGateway(of: role)
                if unknownParameter == nil { unknownParameter = missing }
                return truth
            }
            switch truth {
            case .unknown:
                return .denied(.parameterNotAtGateway(
                    name: unknownParameter ?? "", queryConsidered: query.queryParameters != nil))
            case .false:
                return .denied(.routeExpression(method: method.name, template: template, holds: false))
            case .true:
                let held = program.roles(of: method.expression).filter { checker.truthAtGateway(of: $0).truth == .true }
                return GatewayDecision(
                    decision: Decision(
                        isAuthorised: true, reason: .routeExpression(method: method.name, template: template, holds: true)),
                    heldRoles: held.map { roles[$0].name })
            }
        }
    }

    /// The query's parameters with each name once. A name given twice with different values denies:
    /// frameworks disagree on which one they read (FastAPI the last, others the first). A value that
    /// disagrees with a captured segment denies, as in the Permissions API. Linear in the parameters.
    private static func singleValued(_ parameters: Parameters, captured: [(name: String, value: String)])
        -> (parameters: Parameters, refusal: DecisionReason?)
    {
        var seen: [ByteString: String] = [:]
        seen.reserveCapacity(parameters.entries.count)
        var single = Parameters()
        for entry in parameters.entries {
            let name = ByteString(entry.name)
            if let earlier = seen[name] {
                guard earlier.hasSameBytes(as: entry.value.text) else {
                    // The name is the client's: it goes into a header, so it is kept short.
                    return (single, .repeatedParameter(name: String(entry.name.prefix(64))))
                }
                continue
            }
            seen[name] = entry.value.text
            single.append(name: entry.name, value: entry.value)
        }
        for segment in captured {
            if let value = single.value(named: segment.name), !value.agrees(withCaptured: segment.value) {
                return (single, .parameterConflict(name: segment.name))
            }
        }
        return (single, nil)
    }
}
