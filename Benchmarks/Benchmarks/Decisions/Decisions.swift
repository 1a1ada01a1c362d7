import Benchmark
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
}
