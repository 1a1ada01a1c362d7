import PolicyCore

/// The members of each kind of audit record, between `endpoint` and `sub`.
extension AuditRecord.DecisionEvent {
    func write(into output: inout [UInt8]) {
        output.append(contentsOf: #","service":"#.utf8)
        JSONWriter.appendQuoted(service, to: &output)
        output.append(contentsOf: #","type":"#.utf8)
        JSONWriter.appendQuoted(type.rawValue, to: &output)
        output.append(contentsOf: #","version":"#.utf8)
        if let version { AuditRecord.appendDecimal(Int64(version), to: &output) } else { output.append(contentsOf: "null".utf8) }
        output.append(contentsOf: #","route":"#.utf8)
        AuditRecord.appendQuotedOrNull(
            route.map { ClippedText.string(Self.beforeQuery($0), maximumBytes: Self.maximumRouteBytes) }, to: &output)
        output.append(contentsOf: #","route_template":"#.utf8)
        AuditRecord.appendQuotedOrNull(routeTemplate, to: &output)
        output.append(contentsOf: #","method":"#.utf8)
        AuditRecord.appendQuotedOrNull(
            method.map { ClippedText.string($0[...], maximumBytes: Self.maximumMethodBytes) }, to: &output)
        output.append(contentsOf: (decision.isAuthorised ? #","is_authorised":true"# : #","is_authorised":false"#).utf8)
        output.append(contentsOf: #","reason":"#.utf8)
        JSONWriter.appendQuoted(decision.reason, to: &output, maximumBytes: Self.maximumReasonBytes)
        shadow?.write(into: &output)
    }

    /// What a client writes lands in the log only this far: a route or method field can carry
    /// anything, a token or a megabyte included.
    static let maximumRouteBytes = 1024
    static let maximumMethodBytes = DecisionReason.maximumMethodBytes
    static let maximumReasonBytes = 1024

    /// A route never has a query (spec 2.5: `?` matches nothing); what follows one is no route and
    /// may be a token.
    private static func beforeQuery(_ route: String) -> Substring {
        // By bytes: `?` is ASCII, and a Character search walks grapheme clusters.
        guard let question = route.utf8.firstIndex(of: UInt8(ascii: "?")) else { return route[...] }
        return route[..<question]
    }
}

extension AuditRecord.GroupSearchEvent {
    func write(into output: inout [UInt8]) {
        output.append(contentsOf: #","groups_asked":"#.utf8)
        AuditRecord.appendDecimal(Int64(asked), to: &output)
        output.append(contentsOf: #","groups_answered":"#.utf8)
        AuditRecord.appendDecimal(Int64(answered), to: &output)
        output.append(contentsOf: #","groups_left_out":"#.utf8)
        AuditRecord.appendDecimal(Int64(leftOut), to: &output)
        output.append(contentsOf: #","reason":"#.utf8)
        AuditRecord.appendQuotedOrNull(refusal, to: &output)
    }
}
