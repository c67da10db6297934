import ArgumentParser
import SynCore
import SynScenes

/// Options shared by every command that opens a scene: which scene, seed, rule and overrides.
struct SceneOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Seed for every random stream (default: the scene's `seed`).")
    var seed: UInt64?

    @Option(name: .long, help: "Starting rule, one of the scene's `rule.switchable` list.")
    var rule: String?

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override a scene parameter, validated like the file (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    /// All overrides, `--rule` included (it is `--set rule.name=NAME`).
    var allOverrides: [String] { overrides + (rule.map { ["rule.name=\($0)"] } ?? []) }

    /// Resolves and loads the scene, turning errors into one-line failures.
    func load(_ nameOrPath: String) throws -> SceneSpec {
        do {
            let path = try SceneLocator.resolve(nameOrPath)
            return try SceneLoader.load(path: path, overrides: allOverrides)
        } catch {
            throw CLIError(error.description)
        }
    }
}

/// A one-line error printed as `synaptop: <message>` with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// `--threads`, for the commands that run one scene (run, the dashboard, render); `race` spreads
/// its copies over threads with its own `--threads`.
struct ThreadOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional,
            help: "Threads for the simulation: 0 = auto (every core; the dashboard keeps one for drawing). The numbers do not depend on it.")
    var threads: Int?

    /// Checks `--threads` and makes it what auto (`threads = 0`) means in this process.
    /// Returns the thread count a session should use.
    func applyThreads() throws -> Int {
        if let threads {
            guard (0...ParallelDefaults.maxThreads).contains(threads) else {
                throw CLIError("--threads: expected an integer in [0, \(ParallelDefaults.maxThreads)] (0 = auto), got \(threads)")
            }
            ParallelDefaults.choose(threads)
        }
        return ParallelDefaults.threads(requested: 0)
    }
}
