import ArgumentParser
import Foundation
import PolicyBatch
import PolicyCore

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer what-if queries from groups given directly (spec section 6).",
        discussion: """
            One query from flags:
              policyc eval --policies DIR --service NAME [--version N] --route R [--method M] \\
                           [--param k=v]... [--group G]... [--json]
            Many queries, one JSON object a line, one answer a line in the same order:
              policyc eval --policies DIR --batch FILE.jsonl

            A batch line is {"type":"route","service":"…","version":null,"route":"…","method":"GET",
            "params":{…},"groups":[…]} ("type" may be "exchange" or "plugin"; then no route or method).
            Members the engine does not know are ignored. Blank lines are skipped.

            The exit status is 0 whatever the decisions; 1 when the policies do not load or a batch
            line is not a query (then nothing is answered); 2 for a usage error (as every policyc command).
            """
    )

    @Option(help: ArgumentHelp("The policy directory (or file); may be repeated.", valueName: "dir"))
    var policies: [String]

    @Option(help: ArgumentHelp("A file of queries, one JSON object a line ('-' for standard input).", valueName: "file.jsonl"))
    var batch: String?

    @Option(help: "The kind of decision: route, exchange or plugin.")
    var type: PolicyType = .route

    @Option(help: ArgumentHelp("The service: the policy's name.", valueName: "name"))
    var service: String?

    @Option(help: ArgumentHelp("A version number, or 'latest' (the default).", valueName: "n"))
    var version: String?

    @Option(help: ArgumentHelp("A route template of the policy, or a concrete path.", valueName: "route"))
    var route: String?

    @Option(help: ArgumentHelp("The HTTP method (default GET).", valueName: "method"))
    var method: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter, as name=value; may be repeated.", valueName: "k=v"))
    var parameters: [String] = []

    @Option(name: .customLong("group"), help: ArgumentHelp("A group the caller holds; may be repeated.", valueName: "group"))
    var groups: [String] = []

    @Flag(help: "Print the answer as JSON: {\"is_authorised\": …, \"reason\": …}.")
    var json = false

    @Flag(help: "Show the full reasoning: the route, the parameters used, and each role with the group it matched.")
    var explain = false

    @Option(help: ArgumentHelp("With --batch: decide every query this many more times and print the in-process time per decision to standard error (reading and parsing excluded).", valueName: "n"))
    var timingRounds: Int?

    @Option(help: ArgumentHelp("The matcher for concrete paths: trie or pcre2 (they agree; for checks).", visibility: .hidden))
    var matcher: RouteMatcherKind = .trie

    @Flag(help: ArgumentHelp("With --batch: read every line the reference way, through a JSON document (they agree; for checks).", visibility: .hidden))
    var referenceReader = false

    func validate() throws {
        if let timingRounds, batch == nil || timingRounds < 1 {
            throw ValidationError("--timing-rounds takes a positive number, with --batch")
        }
        if batch != nil {
            guard service == nil, route == nil, method == nil, version == nil, parameters.isEmpty, groups.isEmpty else {
                throw ValidationError("--batch takes its queries from the file; give no --service, --route, --method, --version, --param or --group")
            }
            return
        }
        guard service != nil else { throw ValidationError("give --service, or --batch") }
        if type == .route, route == nil { throw ValidationError("a route query needs --route") }
        if type != .route, route != nil || method != nil {
            throw ValidationError("--route and --method belong to route queries")
        }
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("--param takes name=value, got '\(parameter)'")
        }
    }

    func run() throws {
        let engine = DecisionEngine(policies: try loadPolicies(policies, matcher: matcher))
        if let batch {
            try BatchEvaluation(runner: BatchRunner(
                engine: engine, explain: explain, timingRounds: timingRounds ?? 0, referenceReading: referenceReader
            )).run(file: batch)
        } else {
            answerSingleQuery(engine)
        }
    }

    private func answerSingleQuery(_ engine: DecisionEngine) {
        let decision: Decision
        if let version, VersionSelector(queryValue: version) == nil {
            decision = .denied(.unusableVersion(version))
        } else {
            decision = engine.decide(query, groups: CallerGroups(groups), explain: explain)
        }
        var output = BufferedOutput()
        if json {
            output.writeLine(JSONWriter.string(decision.json(explain: explain), style: explain ? .pretty : .line))
        } else {
            for line in DecisionReport(decision: decision).lines { output.writeLine(line) }
        }
    }

    private var query: Query {
        let selector = version.flatMap(VersionSelector.init(queryValue:)) ?? .latest
        var supplied = Parameters()
        for parameter in parameters {
            let split = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            supplied.append(name: String(split[0]), value: .string(String(split[1])))
        }
        // As a batch line's `params`: a name given twice has no one value (docs/policy-engine.md).
        supplied.markRepeatedNames()
        // `validate()` made sure a route query has its route.
        return Query(type: type, service: service!, version: selector, parameters: supplied) { (route!, method) }
    }
}

extension PolicyType: ExpressibleByArgument {}
