// swift-tools-version: 6.1
import PackageDescription

// Layers (each depends only on layers below it):
//   btsim → Validation → Experiments → Reports, Live → Swarm → Scenario, Speed → BitTorrent, Incentives, Storage, SimNet
//   → SimKernel → CGSL (Storage also → CISAL, Live also → CGcrypt)
// Release builds skip Swift's dynamic exclusivity checks in the simulator's hot modules: they
// cost about a fifth of the event loop's time (docs/decisions.md). Debug and test builds keep
// them, so the tests still catch an overlapping access.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "btsim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "btsim", targets: ["btsim"]),
        // The simulator's modules, for the Benchmarks package.
        .library(name: "BTSimCore", targets: ["SimKernel", "BitTorrent", "Scenario", "Swarm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // Intel ISA-L: Reed–Solomon erasure coding for the BTFS storage market's shards.
        .systemLibrary(
            name: "CISAL",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"])]
        ),
        // libgcrypt: RC4 and Diffie–Hellman arithmetic for Live's message stream encryption.
        .systemLibrary(
            name: "CGcrypt",
            pkgConfig: "libgcrypt",
            providers: [.apt(["libgcrypt20-dev"])]
        ),
        .target(name: "SimKernel", dependencies: ["CGSL"], swiftSettings: hotPath),
        .target(
            name: "SimNet",
            dependencies: ["SimKernel", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: hotPath
        ),
        .target(
            name: "BitTorrent",
            dependencies: [
                "SimKernel",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "Incentives",
            dependencies: ["SimKernel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: hotPath
        ),
        .target(
            name: "Speed",
            dependencies: ["SimKernel", "BitTorrent", "Incentives", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: hotPath
        ),
        // BTFS: hosts, renters, erasure-coded shards, storage contracts paid through Incentives.
        .target(
            name: "Storage",
            dependencies: ["SimKernel", "Incentives", "CISAL", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The registry of incentive strategies: what each needs from a run and how it is built.
        .target(name: "Strategies", dependencies: ["SimKernel", "BitTorrent", "Incentives", "Speed"]),
        .target(
            name: "Scenario",
            dependencies: ["SimKernel", "SimNet", "BitTorrent", "Incentives", "Storage", "Strategies", "Yams"]),
        .target(
            name: "Swarm",
            dependencies: [
                "SimKernel", "SimNet", "BitTorrent", "Incentives", "Speed", "Storage", "Strategies", "Scenario",
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "Reports",
            dependencies: [
                "CGSL", "SimKernel", "BitTorrent", "Scenario", "Swarm", "Storage",
                .product(name: "CSV", package: "CSV.swift"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Plan → run → collect: what a command runs, on how many threads, and where its results
        // go, with their provenance (docs/architecture.md).
        .target(
            name: "Experiments",
            dependencies: ["SimKernel", "Scenario", "Swarm", "Reports"],
            plugins: ["BuildInfo"]
        ),
        // The git commit the sources were built from, for manifest.json.
        .plugin(name: "BuildInfo", capability: .buildTool()),
        // btsim against closed-form models and measurements (docs/validation.md).
        .target(
            name: "Validation",
            dependencies: ["CGSL", "SimKernel", "BitTorrent", "Scenario", "Swarm", "Reports", "Experiments", "Storage"]),
        // Real TCP (and HTTP, for the tracker) for the same BitTorrent and Speed code.
        .target(
            name: "Live",
            dependencies: [
                "BitTorrent", "Speed", "Incentives", "Storage", "SimKernel", "CGcrypt",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "btsim",
            dependencies: [
                "Scenario", "Swarm", "Reports", "Experiments", "Validation", "Live", "BitTorrent", "Speed",
                "Incentives", "Strategies",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SimKernelTests", dependencies: ["SimKernel", "CGSL"]),
        .testTarget(name: "SimNetTests", dependencies: ["SimNet", "SimKernel"]),
        // Two clients back to back over a fake link, shared by the BitTorrent and Speed tests,
        // and a seeded generator for test data.
        .target(name: "ClientHarness", dependencies: ["BitTorrent", "SimKernel"], path: "Tests/ClientHarness"),
        .testTarget(
            name: "BitTorrentTests",
            dependencies: [
                "BitTorrent", "SimKernel", "ClientHarness", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "IncentivesTests",
            dependencies: [
                "Incentives", "SimKernel", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ScenarioTests", dependencies: ["Scenario", "Incentives", "SimKernel", "BitTorrent", "Strategies"]),
        .testTarget(
            name: "StrategiesTests", dependencies: ["Strategies", "BitTorrent", "Speed", "Incentives", "SimKernel"]),
        .testTarget(
            name: "SpeedTests",
            dependencies: [
                "Speed", "BitTorrent", "Incentives", "SimKernel", "ClientHarness",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "LiveTests",
            dependencies: [
                "Live", "BitTorrent", "Speed", "Incentives", "ClientHarness",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["libtorrent_peer.py"]
        ),
        .testTarget(
            name: "SwarmTests",
            dependencies: [
                "Swarm", "Scenario", "SimKernel", "BitTorrent", "Incentives", "Speed", "Strategies", "Reports",
            ]),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Experiments", "Swarm", "Scenario", "SimKernel", "BitTorrent"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Reports", "Scenario", "SimKernel"]),
        .testTarget(name: "ValidationTests", dependencies: ["Validation", "Swarm", "Scenario", "SimKernel"]),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "Incentives", "SimKernel", "ClientHarness",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "BTSimTests", dependencies: ["btsim", .product(name: "Crypto", package: "swift-crypto")]),
    ],
    swiftLanguageModes: [.v6]
)
