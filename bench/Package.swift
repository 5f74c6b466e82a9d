// swift-tools-version:6.2
import PackageDescription

// Benchmarks, their baseline routes and the intake fuzzer: a package of its own, so that the
// shipped `traingate` binary and a plain `swift build` at the root compile none of it. It builds
// against the root package by path (`..`); bench/* scripts build it with
// `swift build -c release --package-path bench`.

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // The same release flags as the root package, so that a benchmark measures the code as shipped.
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "traingate-bench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "traingate-bench-server", targets: ["BenchServer"]),
        .executable(name: "AuditBenchmark", targets: ["AuditBenchmark"]),
        .executable(name: "GeocodeBenchmark", targets: ["GeocodeBenchmark"]),
        .executable(name: "ImageBenchmark", targets: ["ImageBenchmark"]),
        .executable(name: "TrainerBenchmark", targets: ["TrainerBenchmark"]),
        .executable(name: "IntakeFuzzer", targets: ["IntakeFuzzer"]),
        .executable(name: "ErasureBenchmark", targets: ["ErasureBenchmark"]),
        .executable(name: "StoreScaling", targets: ["StoreScaling"]),
    ],
    dependencies: [
        .package(name: "traingate", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // The traingate server with the baseline routes of bench/admissions mounted
        // (`traingate-bench-server serve` takes every flag `traingate serve` does).
        .executableTarget(
            name: "BenchServer",
            dependencies: [
                "BenchmarkRoutes", .product(name: "TraingateCommands", package: "traingate"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "BenchmarkRoutes",
            dependencies: [
                .product(name: "TraingateApp", package: "traingate"), .product(name: "TraingateStore", package: "traingate"),
                .product(name: "StrictDocuments", package: "traingate"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // What several benchmark tools share (filler bytes, timing).
        .target(name: "BenchSupport", swiftSettings: swiftSettings),
        .executableTarget(
            name: "AuditBenchmark",
            dependencies: [
                "BenchSupport",
                .product(name: "TraingateStore", package: "traingate"), .product(name: "StrictDocuments", package: "traingate"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "GeocodeBenchmark", dependencies: [.product(name: "Geocoding", package: "traingate")], swiftSettings: swiftSettings),
        .executableTarget(
            name: "ImageBenchmark",
            dependencies: [
                .product(name: "Imaging", package: "traingate"), .product(name: "TraingateStore", package: "traingate"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "TrainerBenchmark",
            dependencies: [.product(name: "Trainer", package: "traingate"), .product(name: "Tensors", package: "traingate")],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "ErasureBenchmark",
            dependencies: [
                "BenchSupport",
                .product(name: "TraingateStore", package: "traingate"), .product(name: "PolicyEngine", package: "traingate"),
                .product(name: "StrictDocuments", package: "traingate"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "StoreScaling",
            dependencies: [
                .product(name: "TraingateStore", package: "traingate"), .product(name: "TraingatePostgres", package: "traingate"),
                .product(name: "PolicyEngine", package: "traingate"), .product(name: "StrictDocuments", package: "traingate"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings),
        // libFuzzer target over image intake (docs/images.md); built normally it replays files.
        .executableTarget(name: "IntakeFuzzer", dependencies: [.product(name: "Imaging", package: "traingate")], swiftSettings: swiftSettings),
        .testTarget(
            name: "BenchmarkRoutesTests",
            dependencies: [
                "BenchmarkRoutes", .product(name: "TraingateApp", package: "traingate"),
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
    ]
)
