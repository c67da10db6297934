import ArgumentParser
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
