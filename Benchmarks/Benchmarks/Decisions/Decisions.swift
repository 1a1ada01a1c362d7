import Benchmark
import Foundation
import PolicyCore

/// In-process decisions on the shipped policies. Each figure is one decision; the caller's
/// groups are hashed once outside the loop, as the daemon does once per verified token.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 1_000,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000_000
    )

    let policies = try! PolicyLoader().load(directory: "../policies")
    let engine = DecisionEngine(policies: policies)
    let fiveGroups = CallerGroups([
        "data/namespaces/testing/viewer", "/ska/users", "services/site-capabilities-api/roles/site-a/viewer",
        "compute/operators", "astronomers",
    ])
    let listNamespace = Query.route(RouteQuery(
        service: "data-management-api", route: "/data/list/{namespace}", method: "GET",
        parameters: .strings(["namespace": "testing"])))
    let listNamespacePath = Query.route(RouteQuery(
        service: "data-management-api", route: "/data/download/u-1/testing/PTF10tce.fits", method: "GET"))

    // The floor: what hashing one group and looking it up in a Swift Set costs on this machine.
    let groupSet: Set<[UInt8]> = Set(["data/namespaces/testing/viewer", "ska/users", "x", "y", "z"].map { Array($0.utf8) })
    let probe = Array("data/namespaces/testing/viewer".utf8)
    Benchmark("baseline: one Set<[UInt8]> lookup") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(groupSet.contains(probe)) }
    }

    Benchmark("deck policy: exact template, 5 groups (allow)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(engine.decide(listNamespace, groups: fiveGroups)) }
    }

    Benchmark("deck policy: exact template, 5 groups (deny, every role tried)") { benchmark in
        let outsider = CallerGroups(["a", "b", "c", "d", "e"])
        for _ in benchmark.scaledIterations { blackHole(engine.decide(listNamespace, groups: outsider)) }
    }

    for matcher in RouteMatcherKind.allCases {
        let matcherEngine = DecisionEngine(policies: try! PolicyLoader(matcherKind: matcher).load(directory: "../policies"))
        Benchmark("deck policy: concrete path, 5 groups, \(matcher) matcher") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(matcherEngine.decide(listNamespacePath, groups: fiveGroups)) }
        }
    }

    generatedPolicyBenchmarks()
}

/// On the data of `scripts/generate-bench-data` (written by `scripts/bench` into
/// `.build-bench-data`, or where POLICYD_BENCH_DATA says): a 1,000-route policy asked concrete
/// paths for a caller with 10,000 groups, and a directory of 1,000 policies loaded whole.
func generatedPolicyBenchmarks() {
    let directory = ProcessInfo.processInfo.environment["POLICYD_BENCH_DATA"] ?? "../.build-bench-data"
    guard let groupsData = FileManager.default.contents(atPath: directory + "/caller-groups.json"),
          case .array(let groupValues)? = try? JSONReader.parse([UInt8](groupsData)),
          let queriesData = FileManager.default.contents(atPath: directory + "/queries.jsonl")
    else {
        print("no generated data in \(directory): run scripts/bench (it writes it first)")
        return
    }
    let groupNames = groupValues.compactMap(\.stringValue)
    let queries: [Query] = String(decoding: queriesData, as: UTF8.self).split(separator: "\n").compactMap { line in
        guard case .query(let query, _)? = try? BatchQuery.parse(String(line)) else { return nil }
        return query
    }
    let callerGroups = CallerGroups(groupNames)

    for matcher in RouteMatcherKind.allCases {
        let engine = DecisionEngine(policies: try! PolicyLoader(matcherKind: matcher).load(directory: directory + "/large"))
        Benchmark("generated: 1,000 routes, concrete path, 10,000 groups, \(matcher) matcher") { benchmark in
            for index in benchmark.scaledIterations {
                blackHole(engine.decide(queries[index % queries.count], groups: callerGroups))
            }
        }
    }

    Benchmark("hash a caller's 10,000 groups (once per token)", configuration: .init(scalingFactor: .one, maxDuration: .seconds(3))) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(CallerGroups(groupNames)) }
    }

    Benchmark("load and compile 1,000 policies", configuration: .init(
        metrics: [.wallClock, .peakMemoryResident], scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 10)
    ) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try! PolicyLoader().load(directory: directory + "/many")) }
    }
}
