extension PolicyAccess {
    /// `policyc access who --json`: `{"policies": [...]}`, each policy with its rules and each
    /// rule with its alternatives (documented in docs/policyc.md).
    public static func json(_ policies: [PolicyAccess]) -> JSONValue {
        .object([JSONMember("policies", .array(policies.map { policy in
            policy.json(rules: policy.rules.map { rule in
                rule.json(grants: rule.grants.alternatives.map { .array($0.map(\.json)) } ?? .null)
            })
        }))])
    }

    /// The policy's identity (with a plugin policy's `action_parameter`) and the rules given.
    func json(rules: [JSONValue]) -> JSONValue {
        var members = [
            JSONMember("type", .string(identity.type.rawValue)),
            JSONMember("name", .string(identity.name)),
            JSONMember("version", .number(JSONNumber(Int64(identity.version)))),
        ]
        if let selector = policy.actionParameter { members.append(JSONMember("action_parameter", .string(selector))) }
        members.append(JSONMember("rules", .array(rules)))
        return .object(members)
    }
}

extension PolicyAccess.Rule {
    /// The rule's identity (`route` and `method`, `action`, or nothing for the exchange), then
    /// `grants`, then why it was not analysed when it was not.
    func json(grants: JSONValue) -> JSONValue {
        var members = rule.jsonMembers + [JSONMember("grants", grants)]
        if let reason = self.grants.unanalysed { members.append(JSONMember("unanalysed", .string(reason.description))) }
        return .object(members)
    }
}

extension GrantAlternative {
    public var json: JSONValue {
        .object([
            JSONMember("all_of", .array(allOf.map(JSONValue.string))),
            JSONMember("none_of", .array(noneOf.map(JSONValue.string))),
        ])
    }
}

extension GrantAlternatives.Unanalysed: CustomStringConvertible {
    public var description: String {
        switch self {
        case .tooManyAlternatives(let count, let limit):
            "too many to list: \(count == .max ? "at least \(count)" : "\(count)") alternatives, more than \(limit) (--max-alternatives)"
        case .tooManyCandidates(let count, let limit):
            "too many to list: more than \(count) prime implicants before the redundant ones are dropped, for at most \(limit) alternatives (--max-alternatives)"
        case .tooLarge(let steps):
            Self.tooLarge(steps: steps)
        }
    }

    /// Why an analysis stopped short, for this answer and `AccessChange.Unlisted`'s.
    static func tooLarge(steps: Int) -> String {
        "too large to analyse: stopped after \(steps) steps (\(GrantAlternatives.stepsPerAlternative) for each alternative --max-alternatives allows)"
    }
}

extension AccessChange.Unlisted: CustomStringConvertible {
    public var description: String {
        switch self {
        case .tooMany(let gaining, let losing, let limit):
            "too many to list: \(gaining == .max ? "at least \(gaining)" : "\(gaining)") sets gain and \(losing == .max ? "at least \(losing)" : "\(losing)") lose, more than \(limit) (--max-alternatives)"
        case .tooLarge(let steps):
            GrantAlternatives.Unanalysed.tooLarge(steps: steps)
        }
    }
}

extension AccessQuery {
    /// `policyc access what --json`: `{"groups": [...], "policies": [...]}`, each policy with the
    /// rules these groups are granted (or that were not analysed), each with its grants.
    public func json(_ policies: [PolicyAccess]) -> JSONValue {
        .object([
            JSONMember("groups", .array(groups.map(JSONValue.string))),
            JSONMember("policies", .array(policies.compactMap { policy in
                let rules = policy.rules.compactMap { rule -> JSONValue? in
                    guard let grants = grants(rule) else { return rule.json(grants: .null) }
                    return grants.isEmpty ? nil : rule.json(grants: .array(grants.map(\.json)))
                }
                return rules.isEmpty ? nil : policy.json(rules: rules)
            })),
        ])
    }
}

extension ParameterGrant {
    public var json: JSONValue {
        func object(_ bindings: [ParameterBinding]) -> JSONValue {
            .object(bindings.map { JSONMember($0.name, .string($0.value)) })
        }
        return .object([
            JSONMember("parameters", object(values)),
            JSONMember("except", .array(excluded.map(object))),
            JSONMember("through", alternative.json),
            JSONMember("refused_by_convertor", .array(refusedByConvertor.map(JSONValue.string))),
        ])
    }
}
