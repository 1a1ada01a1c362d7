// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for PolicyCore, in a package of their own so that building and testing
// policyd never builds them. They only make sense built with the sanitizer flags; run them with
// `scripts/fuzz` from the checkout (see docs/fuzzing.md), which builds with
//   swift build --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// Each target defines `LLVMFuzzerTestOneInput` and an @main that hands it to libFuzzer's driver.
let package = Package(
    name: "PolicydFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Named, so that the product reference below does not depend on the checkout's folder name.
        .package(name: "policyd", path: ".."),
    ],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver for the targets' @main (see its header).
        .target(name: "LibFuzzerDriver", path: "Targets/LibFuzzerDriver"),
        // The shared @main driver and small helpers.
        .target(name: "FuzzSupport", dependencies: ["LibFuzzerDriver"], path: "Targets/FuzzSupport"),
        // The bytes as one policy file: jansson parse, checks, compile (both matchers); and
        // PolicyCore's own JSONReader with a writer round trip.
        .executableTarget(
            name: "FuzzPolicyLoader",
            dependencies: ["FuzzSupport", .product(name: "PolicyCore", package: "policyd")],
            path: "Targets/PolicyLoader"
        ),
        // The bytes as one role expression: lexer, parser, flat program, checked against a
        // reference evaluator of the parsed tree and against a compiled exchange policy.
        .executableTarget(
            name: "FuzzRoleExpression",
            dependencies: ["FuzzSupport", .product(name: "PolicyCore", package: "policyd")],
            path: "Targets/RoleExpression"
        ),
        // Differential: route templates and queries; the segment trie and the PCRE2 matcher must
        // give the same decisions, and both the answer of a brute-force reading of spec 2.3.
        .executableTarget(
            name: "FuzzRouteMatcher",
            dependencies: ["FuzzSupport", .product(name: "PolicyCore", package: "policyd")],
            path: "Targets/RouteMatcher"
        ),
        // The gateway's path property: hostile spellings of the policies' paths, read as upstream
        // servers read them; a spelling the gateway grants must be served as it decided.
        .executableTarget(
            name: "FuzzGatewayPath",
            dependencies: [
                "FuzzSupport",
                .product(name: "PolicyCore", package: "policyd"),
                .product(name: "GatewayPathOracle", package: "policyd"),
            ],
            path: "Targets/GatewayPath"
        ),
    ]
)
