// swift-tools-version: 6.2
//
// beskplan — the map of the system.
//
// Dependencies flow one way (docs/architecture.md):
//   BeskplanCore ← { Storage, PluginKit } ← Plugins ← AllPlugins ← AppSupport ← { CLI, Server } ← Apps
// Nothing imports an App; a plugin never imports Storage.

import PackageDescription

/// One setting for every target of ours: Swift 6 mode, strict concurrency, no warnings.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

/// How the shipped executables (and the benchmarks that measure them) are linked in a release
/// build on Linux (docs/operations.md, "Release binaries"). Each flag takes memory a process would
/// otherwise hold for nothing:
/// - lld, which can pack the relative relocations a position-independent binary needs (DT_RELR):
///   28 KB instead of 3.4 MB for the loader to read at every start (glibc 2.36 or newer);
/// - only the symbols other libraries link against are exported, not the 51,000 the static Swift
///   runtime's link arguments export, which the loader searches for every library it binds;
/// - the code the main jobs run is laid out together (the sections holding the functions listed in
///   Apps/symbol-order.txt, written by tools/symbol-order), so a command maps the code it runs, not
///   64 KB around each function.
let releaseLinking: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-use-ld=lld",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-Xlinker", "--no-export-dynamic",
            "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Apps/symbol-order.txt",
            // Names the code no longer has are skipped; tools/bench says how many still match.
            "-Xlinker", "--no-warn-symbol-ordering",
        ],
        .when(platforms: [.linux], configuration: .release)
    ),
]

let package = Package(
    name: "beskplan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "beskplan", targets: ["beskplan"]),
        .executable(name: "beskplan-server", targets: ["beskplan-server"]),
        .executable(name: "beskplan-report", targets: ["beskplan-report"]),
        .library(name: "PluginKit", targets: ["PluginKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // MARK: - Modules

        /// The domain: areas, periods, measures, ministermål, plans, rules. Foundation only.
        .target(
            name: "BeskplanCore",
            path: "Modules/BeskplanCore",
            resources: [.process("Resources")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BeskplanCoreTests",
            dependencies: ["BeskplanCore", "TestSupport"],
            path: "Tests/BeskplanCoreTests",
            swiftSettings: strict
        ),

        /// The `Store` protocol over PostgreSQL (PostgresNIO): one database for many kommuner.
        .target(
            name: "PostgresStorage",
            dependencies: [
                "BeskplanCore", "Storage", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Modules/PostgresStorage",
            swiftSettings: strict
        ),

        /// Seeded randomness for the property tests, shared by the test targets.
        .target(
            name: "TestSupport",
            dependencies: [
                "BeskplanCore",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),

        /// Target rules and their evaluation: pure functions over observations.
        .target(
            name: "Evaluation",
            dependencies: ["BeskplanCore", .product(name: "Mustache", package: "swift-mustache")],
            path: "Modules/Evaluation",
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EvaluationTests",
            dependencies: ["BeskplanCore", "Evaluation"],
            path: "Tests/EvaluationTests",
            swiftSettings: strict
        ),

        /// The plan language (YAML) ⇄ model, with validation and line-numbered errors.
        .target(
            name: "PlanFormat",
            dependencies: ["BeskplanCore", "Evaluation", .product(name: "Yams", package: "Yams")],
            path: "Modules/PlanFormat",
            swiftSettings: strict
        ),

        /// The document model, SVG charts, renderers (HTML, Markdown, DOCX, PDF) and the two reports.
        .target(
            name: "Reports",
            dependencies: [
                "BeskplanCore", "Evaluation", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            path: "Modules/Reports",
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),

        /// The `Store` protocol and its SQLite implementation (GRDB), with numbered migrations.
        .target(
            name: "Storage",
            dependencies: [
                "BeskplanCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Modules/Storage",
            swiftSettings: strict
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "PostgresStorage", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/StorageTests",
            swiftSettings: strict
        ),

        /// libxml2, wrapped once; only XMLImport imports it.
        .systemLibrary(
            name: "CLibXML2",
            path: "Modules/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        /// libxlsxwriter, wrapped once; only Spreadsheet imports it.
        .systemLibrary(
            name: "CXLSXWriter",
            path: "Modules/CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),

        /// Tables as Excel workbooks (numbers as numbers, frozen header, source line), via libxlsxwriter.
        .target(
            name: "Spreadsheet",
            dependencies: ["CXLSXWriter"],
            path: "Modules/Spreadsheet",
            swiftSettings: strict
        ),

        /// Import mappings (YAML), shared by the XML and CSV importers.
        .target(
            name: "MappingFormat",
            dependencies: ["BeskplanCore", .product(name: "Yams", package: "Yams")],
            path: "Modules/MappingFormat",
            swiftSettings: strict
        ),

        /// Streaming XML importers over libxml2: the native feed (XSD-validated) and SDMX-ML.
        .target(
            name: "XMLImport",
            dependencies: ["BeskplanCore", "CLibXML2"],
            path: "Modules/XMLImport",
            resources: [.process("Resources")],
            // The readers' per-node state lives in classes, whose every access the runtime checks
            // for overlap: 6 % of an SDMX import's CPU. A release build leaves that check out, as
            // the Swift standard library's own build does; debug builds keep it, so the tests
            // still catch an overlap the compiler cannot see.
            swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .testTarget(
            name: "XMLImportTests",
            dependencies: ["BeskplanCore", "XMLImport", "MappingFormat", "Storage", "TestSupport"],
            path: "Tests/XMLImportTests",
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),

        /// The sources' APIs (Statistikbanken, Jobindsats): requests, keys, retries. Hands the
        /// answers on as files; it imports nothing itself.
        .target(
            name: "Fetch",
            dependencies: [
                "BeskplanCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Modules/Fetch",
            swiftSettings: strict
        ),

        /// Cubes: PX (PC-Axis) and JSON-stat, streamed where the format allows, through mappings.
        .target(
            name: "CubeImport",
            dependencies: ["BeskplanCore"],
            path: "Modules/CubeImport",
            swiftSettings: strict
        ),

        /// libFuzzer over every reader: `tools/fuzz` builds it with `--sanitize=fuzzer --sanitize=address`.
        .executableTarget(
            name: "beskplan-fuzz",
            dependencies: ["BeskplanCore", "CubeImport", "XMLImport", "CSVImport"],
            path: "Fuzz",
            swiftSettings: strict
        ),

        /// CSV from Danmarks Statistik, Jobindsats and local systems, through mappings.
        .target(
            name: "CSVImport",
            dependencies: ["BeskplanCore"],
            path: "Modules/CSVImport",
            resources: [.copy("Mappings")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CSVImportTests",
            dependencies: ["BeskplanCore", "CSVImport", "MappingFormat", "Storage"],
            path: "Tests/CSVImportTests",
            swiftSettings: strict
        ),

        /// What a kommune's plugin implements, and the registry the apps build from the list.
        .target(
            name: "PluginKit",
            dependencies: ["BeskplanCore", "Evaluation", "Reports"],
            path: "Modules/PluginKit",
            swiftSettings: strict
        ),
        .testTarget(
            name: "PluginKitTests",
            dependencies: ["PluginKit"],
            path: "Tests/PluginKitTests",
            swiftSettings: strict
        ),

        /// The one composition root: configuration, the store chosen by `--db`, the plugin registry.
        .target(
            name: "AppSupport",
            dependencies: [
                "BeskplanCore", "Evaluation", "PlanFormat", "Reports", "Storage", "PostgresStorage", "XMLImport", "CSVImport", "CubeImport",
                "MappingFormat", "PluginKit", "AllPlugins", "Fetch", "Spreadsheet",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Modules/AppSupport",
            resources: [.copy("RealData")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AppSupportTests",
            dependencies: [
                "AppSupport", "BeskplanCore", "CSVImport", "CubeImport", "Evaluation", "Fetch", "MappingFormat", "Reports", "Spreadsheet", "Storage",
                "XMLImport", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Tests/AppSupportTests",
            exclude: ["Reports/Golden"],
            resources: [.copy("Cubes/Fixtures")],
            swiftSettings: strict
        ),

        /// The `beskplan` command line: one file per subcommand, no logic of its own.
        .target(
            name: "CLI",
            dependencies: [
                "AppSupport", "CSVImport", "Evaluation", "Fetch", "MappingFormat", "PlanFormat", "Spreadsheet", "Storage", "XMLImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Modules/CLI",
            swiftSettings: strict
        ),

        /// The HTTP application: the API generated from `openapi.yaml`, sessions and tokens, the one
        /// access gate; `buildApplication(configuration:environment:)` is what the executable and the tests run.
        .target(
            name: "Server",
            dependencies: [
                "AppSupport", "CSVImport", "Evaluation", "Fetch", "MappingFormat", "PlanFormat", "Reports", "Spreadsheet", "Storage", "XMLImport",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Modules/Server",
            resources: [.copy("openapi.yaml"), .copy("Templates"), .copy("Static")],
            swiftSettings: strict,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "AppSupport", "Fetch", "PlanFormat", "PostgresStorage", "Storage", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/ServerTests",
            swiftSettings: strict
        ),

        // MARK: - Plugins

        .target(
            name: "Morsoe", dependencies: ["PluginKit"], path: "Plugins/Morsoe", resources: [.copy("Demo"), .copy("Plans")],
            swiftSettings: strict),
        .target(
            name: "Jammerbugt", dependencies: ["PluginKit"], path: "Plugins/Jammerbugt", resources: [.copy("Demo"), .copy("Plans")],
            swiftSettings: strict),
        .target(
            name: "Norddjurs", dependencies: ["PluginKit"], path: "Plugins/Norddjurs",
            resources: [.copy("Plans"), .copy("Mappings")],
            swiftSettings: strict),
        .target(
            name: "Samsoe", dependencies: ["PluginKit"], path: "Plugins/Samsoe", resources: [.copy("Demo"), .copy("Plans")],
            swiftSettings: strict),
        .target(
            name: "Vesthimmerland",
            dependencies: ["PluginKit"],
            path: "Plugins/Vesthimmerland",
            resources: [.copy("Demo"), .copy("Plans")],
            swiftSettings: strict
        ),
        /// The one list of built-in plugins.
        .target(
            name: "AllPlugins",
            dependencies: ["PluginKit", "Morsoe", "Jammerbugt", "Norddjurs", "Samsoe", "Vesthimmerland"],
            path: "Plugins/AllPlugins",
            swiftSettings: strict
        ),
        /// The seed plans and the plugins' own measures and rules, through the real list: what the
        /// plan language, the evaluator and the registry do with them.
        .testTarget(
            name: "AllPluginsTests",
            dependencies: ["AllPlugins", "BeskplanCore", "Evaluation", "PlanFormat", "PluginKit", "XMLImport"],
            path: "Tests/AllPluginsTests",
            swiftSettings: strict
        ),

        // MARK: - Apps

        .executableTarget(
            name: "beskplan", dependencies: ["CLI"], path: "Apps/beskplan", swiftSettings: strict, linkerSettings: releaseLinking
        ),
        .executableTarget(
            name: "beskplan-server",
            dependencies: [
                "Server", "AppSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Apps/beskplan-server",
            swiftSettings: strict,
            linkerSettings: releaseLinking
        ),
        .executableTarget(
            name: "beskplan-report",
            dependencies: ["AppSupport", "Reports", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Apps/beskplan-report",
            swiftSettings: strict,
            linkerSettings: releaseLinking
        ),
        /// Runs the built binaries the way a user does.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "BeskplanCore", "Storage", "PostgresStorage", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/EndToEndTests",
            swiftSettings: strict
        ),

        // MARK: - Benchmarks (run by tools/bench, never by tools/test)

        .executableTarget(
            name: "beskplan-hello",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "tools/benchmarks/HelloServer",
            swiftSettings: strict,
            linkerSettings: releaseLinking
        ),
        .executableTarget(
            name: "beskplan-bench",
            dependencies: ["AppSupport", "BeskplanCore", "CSVImport", "Evaluation", "MappingFormat", "Reports", "Storage", "XMLImport"],
            path: "tools/benchmarks/StoreBench",
            swiftSettings: strict,
            linkerSettings: releaseLinking
        ),
    ]
)
