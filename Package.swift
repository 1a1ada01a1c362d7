// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "policyd",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PolicyCore", targets: ["PolicyCore"]),
        .executable(name: "policyd", targets: ["policyd"]),
        .executable(name: "policyc", targets: ["policyc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.0"),
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
        .target(
            name: "PolicyTokens",
            dependencies: [
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .executableTarget(
            name: "policyd",
            dependencies: [
                "PolicyCore",
                "PolicyTokens",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "policyc",
            dependencies: [
                "PolicyCore",
                "PolicyTokens",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "PolicyCoreTests",
            dependencies: ["PolicyCore"],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "PolicyTokensTests",
            dependencies: ["PolicyTokens"]
        ),
    ]
)
