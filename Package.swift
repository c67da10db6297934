// swift-tools-version:6.0
import PackageDescription

/// Release builds must vectorise. On x86-64 we set a CPU floor of Haswell (x86-64-v3: AVX2 + FMA, every
/// x86 server and laptop since ~2015) so SIMD8<Float> maps to one ymm register and FMA fuses.
/// `-enforce-exclusivity=unchecked` drops the dynamic exclusivity checks from inner loops.
/// The effect is measured by `synaptop bench kernels` (see README, "Benchmarks").
/// Set SYNAPTOP_PORTABLE=1 to build without the CPU floor (for old CPUs).
let portable = Context.environment["SYNAPTOP_PORTABLE"] == "1"
/// Set SYNAPTOP_NATIVE=1 to target the building machine's CPU instead (AVX-512 where present).
let native = Context.environment["SYNAPTOP_NATIVE"] == "1"
var speed: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
/// Debug builds (the test suite) optimise the numeric modules too: the contract suite steps every
/// scene, and -Onone numerics made it the bulk of `swift test`'s time. SYNAPTOP_DEBUG_ONONE=1 opts out
/// (for stepping through the numerics in a debugger).
if Context.environment["SYNAPTOP_DEBUG_ONONE"] != "1" {
    speed.append(.unsafeFlags(["-O"], .when(configuration: .debug)))
}
#if arch(x86_64)
if !portable {
    speed.append(.unsafeFlags(["-target-cpu", native ? "native" : "haswell"]))
    if native { speed.append(.define("SYNAPTOP_NATIVE")) }
    speed.append(.define("SYNAPTOP_FMA"))  // SynCore kernels may emit fused multiply-add
}
#endif

let package = Package(
    name: "synaptop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "synaptop", targets: ["synaptop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // Numeric core: matrices, kernels, CSR, RNG, ring buffers, statistics, eigen solver.
        .target(name: "SynCore", swiftSettings: speed),
        // Neurons, networks, plasticity rules, tasks, data sets, metrics, the Simulation protocol.
        .target(name: "SynModels", dependencies: ["SynCore"], swiftSettings: speed),
        // Scene files: TOML -> validated specs -> simulations; headless runner.
        .target(name: "SynScenes", dependencies: ["SynCore", "SynModels", "TOMLKit"], swiftSettings: speed),
        // Sweeps: sweep files -> validated grids of runs, the run store, local/Slurm/parallel executors.
        .target(name: "SynSweep", dependencies: ["SynCore", "SynModels", "SynScenes", "CSQLite"]),
        // The system's libsqlite3 (libsqlite3-dev); imported only by SynSweep's run-store index.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // Terminal UI core: cells, colours, rects, cell buffers with diffing, layout, themes.
        .target(name: "TUICore", swiftSettings: speed),
        // Terminal UI widgets (charts, raster, heatmap, ...) rendering into a TUICore buffer.
        .target(name: "TUIWidgets", dependencies: ["TUICore", "SynCore"], swiftSettings: speed),
        // ncurses (wide-character build); imported only by TerminalBackend.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // The terminal: ncurses session (wide chars, colour pairs, input, signals) + in-memory backend.
        .target(name: "TerminalBackend", dependencies: ["CNcurses", "TUICore"]),
        // The dashboard: simulation thread, snapshots, pure update(), frame rendering.
        .target(name: "SynApp", dependencies: ["SynCore", "SynModels", "SynScenes", "TUICore", "TUIWidgets", "TerminalBackend"], swiftSettings: speed),
        // Benchmarks (`synaptop bench`): kernels, eigen solver, rate and spiking networks, scenes, the dashboard.
        .target(name: "SynBench",
                dependencies: ["SynCore", "SynModels", "SynScenes", "TUICore", "TUIWidgets", "TerminalBackend", "SynApp"],
                swiftSettings: speed),
        // The command line.
        .executableTarget(
            name: "synaptop",
            dependencies: ["SynCore", "SynModels", "SynScenes", "SynSweep", "TUICore", "TerminalBackend", "SynApp", "SynBench",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: speed
        ),

        .testTarget(name: "SynCoreTests", dependencies: ["SynCore"]),
        .testTarget(name: "SynModelsTests", dependencies: ["SynCore", "SynModels"]),
        .testTarget(name: "SynScenesTests", dependencies: ["SynCore", "SynModels", "SynScenes"]),
        .testTarget(name: "SynBenchTests", dependencies: ["SynModels", "SynScenes", "SynBench"]),
        // Drives the built binary: commands, exit codes, files, signals.
        .testTarget(name: "SynSweepTests", dependencies: ["SynCore", "SynScenes", "SynSweep"]),
        .testTarget(name: "CLITests", dependencies: ["synaptop"]),
        .testTarget(name: "TUITests", dependencies: ["TUICore", "TUIWidgets", "SynCore"]),
        .testTarget(name: "SynAppTests", dependencies: ["SynCore", "SynModels", "SynScenes", "TUICore", "TerminalBackend", "SynApp"],
                    exclude: ["Golden"]),
        // Drives the real binary (in tmux); depends on the executable so it is built first.
        .testTarget(name: "EndToEndTests", dependencies: ["synaptop"]),
        // One contract suite over every file in scenes/ (found at test time, no list).
        .testTarget(
            name: "ContractTests",
            dependencies: ["SynApp", "SynScenes", "SynModels", "SynCore", "TerminalBackend", "TUICore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
