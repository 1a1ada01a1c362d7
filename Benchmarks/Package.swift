// swift-tools-version:6.1
import PackageDescription

// The benchmarks live in a package of their own, so that building and testing policyd never
// builds the benchmark framework. Run from this folder: `swift package benchmark`.
let package = Package(
    name: "PolicydBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Named, so that the product reference below does not depend on the checkout's folder name.
        .package(name: "policyd", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Decisions",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PolicyCore", package: "policyd"),
            ],
            path: "Benchmarks/Decisions",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
