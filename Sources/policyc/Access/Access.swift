import ArgumentParser
import PolicyCore

struct Access: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Who can call what: the exact groups each rule grants, and what given groups are granted.",
        discussion: """
            'access who' lists, for each rule (a route's method, the exchange expression, a plugin \
            action), the minimal alternatives that grant it: the group templates a caller must all \
            hold and those it must hold none of ({root_group} substituted, request parameters kept \
            as {name}). A caller is granted exactly when one alternative holds.

            'access what' takes a caller's groups and lists every rule they are granted, with the \
            parameter values that grant it (namespace = testing), or 'every value'.

            Templates are compared as written: two texts are two groups, although a parameter value \
            can make them one. A 'not' of a template with a {parameter} also holds when the request \
            has no usable value for it (spec 2.2; lint W0712). Every rule is analysed, whatever its \
            number of groups; one with more alternatives than --max-alternatives (default 1024) says \
            how many instead of listing them, never an approximation. See docs/policyc.md.
            """,
        subcommands: [Who.self, What.self]
    )
}

/// The options every `access` subcommand shares: where the policies are and how to answer.
struct AccessOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The policy directory (or file); may be repeated.", valueName: "dir"))
    var policies: [String]

    @Option(help: "Only policies of this type: route, exchange or plugin.")
    var type: PolicyType?

    @Option(help: ArgumentHelp("Only this service's policies.", valueName: "name"))
    var service: String?

    @Option(help: ArgumentHelp("Only this version (default: the latest).", valueName: "n"))
    var version: String?

    @Flag(help: "Answer as one JSON document.")
    var json = false

    @Flag(help: "Answer as Markdown, for a pull-request comment.")
    var markdown = false

    @OptionGroup var maxAlternatives: AlternativeLimit

    func validate() throws {
        if json && markdown { throw ValidationError("give --json or --markdown, not both") }
        if let version, VersionSelector(queryValue: version) == nil {
            throw ValidationError("--version takes a positive integer or 'latest', got '\(version)'")
        }
    }
}

extension AccessOptions {
    /// The rules asked about, by policy: of each (type, service) the version given, else the
    /// latest. Fails (exit 1) when the policies do not load or nothing matches.
    func selectedRules(filter: RuleFilter = RuleFilter()) throws -> [PolicyAccess] {
        let version = version.flatMap(VersionSelector.init(queryValue:)) ?? .latest
        let set = try loadPolicies(policies)
        let filtering = filter.route != nil || filter.method != nil || filter.action != nil
        let selected = set.entries.compactMap { entry -> PolicyAccess? in
            guard type.map({ $0 == entry.type }) ?? true, service.map({ $0.hasSameBytes(as: entry.name) }) ?? true,
                  filter.applies(to: entry.type),
                  let policy = set.policy(type: entry.type, service: entry.name, version: version)
            else { return nil }
            let access = PolicyAccess(policy: policy, filter: filter, limit: maxAlternatives.value)
            return filtering && access.rules.isEmpty ? nil : access
        }
        guard !selected.isEmpty else {
            printError("error: no rule matches the --type, --service, --version, --route, --method or --action given")
            throw ExitCode(1)
        }
        return selected
    }
}

extension PolicyAccess {
    /// The line above a policy's table: which policy, and for a plugin policy which parameter names
    /// the action (`action_parameter`, spec 2.6), since its rules are named by the action alone.
    func heading(markdown: Bool) -> String {
        let selector = policy.actionParameter.map { markdown ? ", actions named by `\($0)`" : ", actions named by \($0)" } ?? ""
        return markdown
            ? "### \(identity.type) policy `\(identity.name)` version \(identity.version)\(selector)"
            : identity.description + selector
    }
}

/// An alternative as a person reads it: `users + not services/x/blocked`.
func describe(_ alternative: GrantAlternative) -> String {
    if alternative.isUnconditional { return "(any valid token)" }
    return (alternative.allOf + alternative.noneOf.map { "not " + $0 }).joined(separator: " + ")
}

/// The footnote owed whenever a `not` names a template with a parameter.
func negatedParameterNote(_ alternatives: [GrantAlternative]) -> String? {
    guard alternatives.contains(where: { $0.noneOf.contains { $0.contains("{") } }) else { return nil }
    return "note: 'not T' also holds when the request has no usable value for a {parameter} of T (spec 2.2; lint W0712)"
}
