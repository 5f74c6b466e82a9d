// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // Release builds may inline and specialise across this package's modules (the admission path
    // crosses five of them); measured in docs/benchmarks.md, "Admissions".
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

/// The numeric core is optimised in debug builds too: unoptimised element loops run 10-50 times
/// slower, which would make the trainer's learning tests (and `make run`) crawl.
let numericSettings = swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "traingate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "traingate", targets: ["TraingateCLI"]),
        // The libraries bench/ (a package of its own) builds its tools and its server from.
        .library(name: "TraingateCommands", targets: ["TraingateCommands"]),
        .library(name: "TraingateApp", targets: ["TraingateApp"]),
        .library(name: "TraingateStore", targets: ["TraingateStore"]),
        .library(name: "TraingatePostgres", targets: ["TraingatePostgres"]),
        .library(name: "StrictDocuments", targets: ["StrictDocuments"]),
        .library(name: "PolicyEngine", targets: ["PolicyEngine"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "Geocoding", targets: ["Geocoding"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "Trainer", targets: ["Trainer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // HTTP/1 framing errors (NIOHTTP1) and TLS (NIOSSL), under Hummingbird's own use of them.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        // gzip for streamed exports, over the system zlib.
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // The PostgreSQL store (storage.url: postgres://...), for several instances on one database.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .executableTarget(name: "TraingateCLI", dependencies: ["TraingateCommands"], swiftSettings: swiftSettings),
        .target(
            name: "TraingateCommands",
            dependencies: [
                "TraingateApp", "TraingateStore", "TraingatePostgres", "PolicyEngine", "StrictDocuments",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TraingateApp",
            dependencies: [
                "PolicyEngine", "TraingateStore", "TraingatePostgres", "Geocoding", "StrictDocuments", "Imaging", "Trainer", "Tensors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StrictDocuments",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PolicyEngine",
            dependencies: [
                "StrictDocuments",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "CGeoNamesData", exclude: ["README.md"]),
        .target(name: "Geocoding", dependencies: ["CGeoNamesData"], swiftSettings: swiftSettings),
        // Image intake over the system codecs (Debian 12: libturbojpeg0-dev, libpng-dev,
        // libwebp-dev, libexif-dev; scripts/install-deps installs them).
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
        // XMP packets (rights reserved inside the image): libxml2's SAX2 parser.
        .systemLibrary(name: "CXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // The trainer's numeric core: tensors and layers with hand-written backward passes, over
        // OpenBLAS (Debian 12: libopenblas-dev).
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "Tensors", dependencies: ["COpenBLAS"], swiftSettings: numericSettings),
        // Self-supervised training (SwAV, SimCLR) on top of Tensors: augmentations, model, loop.
        .target(name: "Trainer", dependencies: ["Tensors"], swiftSettings: numericSettings),
        .target(
            name: "Imaging",
            dependencies: [
                "CTurboJPEG", "CPNG", "CWebP", "CExif", "CXML2", "StrictDocuments", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "TraingateStore",
            dependencies: [
                "PolicyEngine", "StrictDocuments",
                .product(name: "GRDB", package: "GRDB.swift"),
                // Raw column access for the verifier's hot loop (GRDB's own SQLite module).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PolicyEngineTests",
            dependencies: ["PolicyEngine", "StrictDocuments", "TestFixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"], swiftSettings: swiftSettings),
        .testTarget(name: "TrainerTests", dependencies: ["Trainer", "Tensors", "TestFixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "StrictDocuments", "TestFixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "GeocodingTests",
            dependencies: ["Geocoding"],
            swiftSettings: swiftSettings
        ),
        // The same store on PostgreSQL, over postgres-nio (docs/postgres.md).
        .target(
            name: "TraingatePostgres",
            dependencies: [
                "TraingateStore", "StrictDocuments",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TraingateStoreTests",
            dependencies: ["TraingateStore", "TraingatePostgres", "PostgresTesting", .product(name: "PostgresNIO", package: "postgres-nio"), "PolicyEngine", "StrictDocuments", "TestFixtures", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: swiftSettings
        ),
        // A database of its own per test on the throw-away PostgreSQL cluster, and the backends.
        .target(
            name: "PostgresTesting",
            dependencies: [
                "TraingatePostgres", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/PostgresTesting", swiftSettings: swiftSettings),
        // Shared by the test targets: the fixture files, the repository's paths, subprocesses.
        .target(name: "TestFixtures", path: "Tests/TestFixtures", resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        // The real app on a scratch data directory, and request helpers, for the HTTP and CLI tests.
        .target(
            name: "TraingateTesting",
            dependencies: [
                "TraingateApp", "TraingateStore", "TraingatePostgres", "PostgresTesting", "TestFixtures", "StrictDocuments",
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/TraingateTesting", swiftSettings: swiftSettings),
        .testTarget(
            name: "TraingateCLITests",
            dependencies: [
                "TraingateCommands", "TraingateApp", "TraingateStore", "TestFixtures", "TraingateTesting", "PostgresTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TraingateAppTests",
            dependencies: [
                "TraingateApp", "TraingateStore", "TraingatePostgres", "PolicyEngine", "StrictDocuments", "TestFixtures", "TraingateTesting",
                "PostgresTesting", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
