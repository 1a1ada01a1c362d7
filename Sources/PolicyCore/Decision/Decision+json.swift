extension Decision {
    /// `json(explain: false)` as compact text, written directly: the answer of nearly every call.
    public var compactAnswer: String {
        var bytes: [UInt8] = []
        appendCompactAnswer(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `{"is_authorised":…,"reason":…}`, the Permissions API's answer, appended as bytes; with
    /// `audience`, an exchange answer's `"audience"` member last (`.some(nil)` writes `null`).
    public func appendCompactAnswer(to output: inout [UInt8], audience: String?? = nil) {
        output.append(contentsOf: isAuthorised ? #"{"is_authorised":true,"reason":"#.utf8 : #"{"is_authorised":false,"reason":"#.utf8)
        JSONWriter.appendQuoted(reason, to: &output)
        if let audience {
            output.append(contentsOf: #","audience":"#.utf8)
            if let audience { JSONWriter.appendQuoted(audience, to: &output) } else { output.append(contentsOf: "null".utf8) }
        }
        output.append(UInt8(ascii: "}"))
    }

    /// A batch's answer line: `JSONWriter.string(json(explain:), style: .line)` and a newline.
    /// Without `explain` (nearly every batch) appended as bytes, without building the document.
    public func appendLineAnswer(to output: inout [UInt8], explain: Bool = false) {
        guard !explain else {
            output.append(contentsOf: JSONWriter.string(json(explain: true), style: .line).utf8)
            output.append(UInt8(ascii: "\n"))
            return
        }
        output.append(contentsOf: isAuthorised ? #"{"is_authorised": true, "reason": "#.utf8 : #"{"is_authorised": false, "reason": "#.utf8)
        JSONWriter.appendQuoted(reason, to: &output)
        output.append(contentsOf: "}\n".utf8)
    }

    /// The answer document: `{"is_authorised": …, "reason": …}`, and with `explain` the route
    /// template, the parameters used and each role with the group it matched.
    public func json(explain: Bool = false) -> JSONValue {
        var members = [
            JSONMember("is_authorised", .bool(isAuthorised)),
            JSONMember("reason", .string(reason.description)),
        ]
        if explain, let explanation {
            members.append(JSONMember("explanation", explanation.json))
        }
        return .object(members)
    }
}

extension Explanation {
    public var json: JSONValue {
        var members = [
            JSONMember("policy", .object([
                JSONMember("type", .string(policy.type.rawValue)),
                JSONMember("name", .string(policy.name)),
                JSONMember("version", .number(JSONNumber(Int64(policy.version)))),
            ]))
        ]
        if let routeTemplate { members.append(JSONMember("route", .string(routeTemplate))) }
        if let method { members.append(JSONMember("method", .string(method))) }
        if let action { members.append(JSONMember("action", .string(action))) }
        if let actionParameter { members.append(JSONMember("action_parameter", .string(actionParameter))) }
        if let expression { members.append(JSONMember("expression", .string(expression))) }
        let usable = parameters.entries.filter { $0.value.kind != .repeated }
        members.append(JSONMember("parameters", .object(usable.map { JSONMember($0.name, $0.value.json) })))
        let repeated = parameters.entries.filter { $0.value.kind == .repeated }
        if !repeated.isEmpty {
            // No one value to show: spec 2.6 makes such a name match nothing.
            members.append(JSONMember("repeated_parameters", .array(repeated.map { .string($0.name) })))
        }
        members.append(JSONMember("roles", .array(roles.map { role in
            var fields = [JSONMember("role", .string(role.name)), JSONMember("held", .bool(role.held))]
            if let group = role.matchedGroup { fields.append(JSONMember("matched_group", .string(group))) }
            if role.held && role.matchedGroup == nil {
                fields.append(JSONMember("note", .string("a role with no groups: every caller holds it")))
            }
            fields.append(JSONMember("groups", .array(role.candidates.map { .string($0) })))
            return .object(fields)
        })))
        if !wouldGrant.isEmpty {
            members.append(JSONMember("would_grant", .array(wouldGrant.map { option in
                .array(option.map { grant in
                    .object([
                        JSONMember("role", .string(grant.role)),
                        JSONMember("groups", .array(grant.groups.map { .string($0) })),
                    ])
                })
            })))
        }
        return .object(members)
    }
}
