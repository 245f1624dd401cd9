// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "aduan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "aduan-server", targets: ["AduanServer"]),
        .executable(name: "aduan-admin", targets: ["AduanAdmin"]),
        .executable(name: "aduan-store-bench", targets: ["AduanStoreBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        /// libcrypto from the system's OpenSSL (libssl-dev): SHA-256, HMAC and secure random bytes.
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        /// libvips (libvips-dev) for photos: decoding JPEG, PNG, WebP and HEIF, EXIF, rotation, resizing, JPEG encoding.
        /// Its variadic calls are wrapped in `shim.h`.
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        /// The SQL migrations, embedded in the binaries so that a fresh machine needs no files beside them.
        .target(
            name: "AduanSchema",
            path: "schema",
            resources: [
                .embedInCode("aduan_0001_init.sql"), .embedInCode("aduan_0002_triage.sql"), .embedInCode("aduan_0003_report.sql"),
                .embedInCode("aduan_0004_calendar.sql"), .embedInCode("aduan_0005_photos.sql"),
                .embedInCode("aduan_0006_outbox.sql"), .embedInCode("aduan_0007_citizens.sql"),
                .embedInCode("aduan_0008_open311.sql"), .embedInCode("aduan_0009_hardening.sql"),
                .embedInCode("aduan_0010_rakor.sql"), .embedInCode("aduan_0011_counters.sql"),
                // PostgreSQL's: a baseline equal to the SQLite schema 1-11, then pairs with SQLite's.
                .embedInCode("postgres/aduan_0011_baseline.sql"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The bundled Lampung catalog (regions, boundaries, holidays, OPDs, categories, rules), embedded likewise.
        .target(
            name: "AduanBundledCatalog",
            path: "config/catalog",
            exclude: ["lampung/SOURCES.md", "tools"],
            resources: [
                .embedInCode("lampung/catalog.json"),
                .embedInCode("lampung/regions.csv"),
                .embedInCode("lampung/kecamatan.geojson"),
                .embedInCode("lampung/holidays.csv"),
                .embedInCode("lampung/population.csv"),
                .embedInCode("lampung/kabkota.geojson"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The JSON the API speaks: request and response bodies as Codable values, shared by the server, the admin CLI
        /// and the tests (the tests hold every response to the OpenAPI document).
        .target(name: "AduanWire", swiftSettings: swiftSettings),
        .target(
            name: "AduanCore",
            dependencies: ["CCrypto", "AduanBundledCatalog"],
            swiftSettings: swiftSettings
        ),
        /// Photos: format sniffing, EXIF, the public copy, thumbnail and perceptual hash (libvips), and the
        /// content-addressed files.
        .target(name: "AduanPhotos", dependencies: ["AduanCore", "CVips"], swiftSettings: swiftSettings),
        .target(
            name: "AduanStore",
            dependencies: [
                "AduanCore",
                "AduanSchema",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API GRDB is built on: the report reads its scan's columns without copies.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        /// PostgreSQL, for several servers on one database: postgres-nio's connection pool with a deadline on every use,
        /// the database URL, and PostgreSQL's migrations.
        .target(
            name: "AduanPostgres",
            dependencies: [
                "AduanStore",
                "AduanSchema",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The monthly SLA report: figures from the store, and its HTML, Markdown, CSV and JSON renderings.
        .target(
            name: "AduanReport",
            dependencies: ["AduanCore", "AduanStore"],
            swiftSettings: swiftSettings
        ),
        /// Background work of a running server: the SLA monitor, the calendar refresher, the photo sweeper and the outbox's
        /// dispatcher.
        .target(
            name: "AduanServices",
            dependencies: [
                "AduanCore",
                "AduanStore",
                "AduanPhotos",
                "AduanWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The dispatcher's webhooks and messages.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AduanAPI",
            dependencies: [
                "AduanCore",
                "AduanStore",
                "AduanReport",
                "AduanServices",
                "AduanWire",
                "AduanPhotos",
                .product(name: "MultipartKit", package: "multipart-kit"),
                // HTTP parts on the channel, for the handler that answers `Expect: 100-continue`.
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.embedInCode("Resources/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AduanServer",
            dependencies: [
                "AduanAPI",
                "AduanCore",
                "AduanStore",
                "AduanPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // To tell "address already in use" from other start-up failures.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The process's metrics backend: the application's Prometheus registry.
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Filings through the store on each engine, for ops/bench/postgres.sh.
        .executableTarget(
            name: "AduanStoreBench",
            dependencies: ["AduanCore", "AduanStore", "AduanPostgres", "AduanBundledCatalog"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AduanAdmin",
            dependencies: [
                "AduanCore",
                "AduanWire",
                "AduanStore",
                "AduanReport",
                "AduanPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // Staff commands talk to the server's API; the admin never links the server itself.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        /// What several test suites share: a real webhook receiver on loopback.
        .target(
            name: "AduanTestSupport",
            dependencies: [
                "AduanCore", "AduanStore", "AduanPostgres", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AduanPostgresTests",
            dependencies: [
                "AduanPostgres", "AduanStore", "AduanSchema", "AduanCore", "AduanBundledCatalog",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AduanPhotosTests", dependencies: ["AduanPhotos", "AduanCore"], swiftSettings: swiftSettings),
        .testTarget(name: "AduanCoreTests", dependencies: ["AduanCore", "AduanBundledCatalog"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AduanReportTests",
            dependencies: [
                "AduanReport", "AduanStore", "AduanCore", "AduanBundledCatalog", "AduanTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AduanStoreTests",
            dependencies: [
                "AduanStore", "AduanSchema", "AduanCore", "AduanServices", "AduanPhotos", "AduanBundledCatalog", "AduanTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AduanAPITests",
            dependencies: [
                "AduanAPI",
                "AduanWire",
                "AduanCore",
                "AduanStore",
                "AduanReport",
                "AduanPhotos",
                "AduanBundledCatalog",
                "AduanServices",
                "AduanTestSupport",
                // To hold the write lock from outside, as another process would.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "AduanCore",
                "AduanWire",
                "AduanStore",
                "AduanTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
