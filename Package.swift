// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "policyd",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PolicyCore", targets: ["PolicyCore"]),
        // For the gateway-path fuzz target of Fuzz/, which checks the same property as the tests.
        .library(name: "GatewayPathOracle", targets: ["GatewayPathOracle"]),
        .executable(name: "policyd", targets: ["policyd"]),
        .executable(name: "policyc", targets: ["policyc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        // Without its default traits: policyd reads no swift-configuration and needs no full Foundation,
        // and with them every new build plan (after a `swift test`, or in another environment)
        // recompiled Hummingbird and HummingbirdCore, the two targets the traits reach, 17 to 22 s.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // jwt-kit 5.8 requires swift-crypto 4.1 or later.
        .package(url: "https://github.com/apple/swift-crypto", "4.1.0"..<"6.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CJansson",
            pkgConfig: "jansson",
            providers: [.apt(["libjansson-dev"])]
        ),
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .target(
            name: "PolicyCore",
            dependencies: ["CJansson", "CPCRE2"]
        ),
        // How upstream servers read request paths, hostile spellings of a policy's paths, and the
        // property the gateway's decisions must hold over them: for the tests and the fuzzer only.
        .target(
            name: "GatewayPathOracle",
            dependencies: ["PolicyCore"]
        ),
        // `policyc eval --batch`'s runner: streaming, bounded memory, input order (docs/architecture.md, "Batch").
        .target(
            name: "PolicyBatch",
            dependencies: ["PolicyCore"]
        ),
        // `policyc shadow-report`: audit logs read in blocks of whole lines (PolicyBatch's LineBlocks)
        // and summed up in bounded memory (docs/architecture.md, "Rooms").
        .target(
            name: "AuditReport",
            dependencies: ["PolicyBatch", "PolicyCore"]
        ),
        // A loaded set's revision (SHA-256 of its policies' identities and bytes), for policyd and
        // `policyc revision` alike; not in PolicyCore, which imports jansson and PCRE2 only
        // (docs/architecture.md, "Rooms").
        .target(
            name: "PolicyDigest",
            dependencies: ["PolicyCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "PolicyTokens",
            dependencies: [
                // PolicyCore's strict JSON reader: Foundation's decoders silently keep one of two duplicate members.
                "PolicyCore",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA verification without jwt-kit's per-call key collection (`VerificationKey`).
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "PolicyServer",
            dependencies: [
                "PolicyCore",
                "PolicyDigest",
                "PolicyTokens",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            // OpenAPI/OpenAPIDocument.json, compiled in as `OpenAPIDocument.json`.
            plugins: ["EmbedDocuments"]
        ),
        .executableTarget(
            name: "policyd",
            dependencies: [
                "PolicyServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "policyc",
            dependencies: [
                "AuditReport",
                "PolicyBatch",
                "PolicyCore",
                "PolicyDigest",
                "PolicyTokens",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `policyc console`: a local HTTP server on 127.0.0.1 (already built for policyd).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            // The console's page, script and style (Console/ConsolePage.html, …), compiled in.
            plugins: ["EmbedDocuments"]
        ),
        // Documents as files, embedded at build time so that policyd and policyc stand alone: a
        // target's .json, .html, .js and .css files become string constants (Plugins/EmbedDocuments).
        .plugin(name: "EmbedDocuments", capability: .buildTool(), dependencies: ["DocumentEmbedder"]),
        // The plugin's generator: no dependencies, no Foundation, about a second to compile.
        .executableTarget(name: "DocumentEmbedder"),
        .testTarget(
            name: "PolicyCoreTests",
            dependencies: ["PolicyCore", "GatewayPathOracle"]
        ),
        .testTarget(
            name: "PolicyDigestTests",
            dependencies: ["PolicyDigest", "PolicyCore"]
        ),
        .testTarget(
            name: "PolicyBatchTests",
            dependencies: ["PolicyBatch", "PolicyCore"]
        ),
        .testTarget(
            name: "AuditReportTests",
            dependencies: ["AuditReport", "PolicyCore"]
        ),
        .testTarget(
            name: "PolicyTokensTests",
            dependencies: [
                "PolicyTokens",
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .testTarget(
            name: "PolicyServerTests",
            dependencies: [
                // A real run's audit log summed up (ShadowServingTests).
                "AuditReport",
                "PolicyServer",
                "PolicyCore",
                "PolicyDigest",
                "PolicyTokens",
                .product(name: "Hummingbird", package: "hummingbird"),
                // policyd's router in process (`InProcessPolicyd`).
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                // A metrics factory that records nothing, for the parts tested in process.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // The channel handlers, tested in process over NIOAsyncTestingChannel.
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
    ]
)
