import ArgumentParser
import SynScenes

/// `synaptop list`: every scene reachable by name, with its title.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the scenes with their titles.")

    @Flag(name: .long, help: "Also list the model kinds scene files may use.")
    var models = false

    func run() throws {
        let files = SceneLocator.sceneFiles()
        if files.isEmpty {
            throw CLIError("no scenes found (searched: ./scenes, the source checkout, $SYNAPTOP_SCENES)")
        }
        let width = files.map { SceneLoader.baseName($0).count }.max() ?? 0
        for f in files {
            let name = SceneLoader.baseName(f)
            let pad = String(repeating: " ", count: width - name.count)
            do {
                let spec = try SceneLoader.load(path: f)
                print("\(name)\(pad)  \(spec.title)")
            } catch {
                print("\(name)\(pad)  (invalid: \(error.description))")
            }
        }
        if models {
            print("")
            for m in SceneModels.all { print("model \(m.kind): \(m.summary)") }
        }
    }
}

/// `synaptop check SCENE...`: validate scene files; exit 1 on any error.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate scene files (exit 1 on any error).")

    @Argument(help: "Scene files or names (default: every scene `list` shows).")
    var scenes: [String] = []

    @Option(name: .customLong("set"), parsing: .singleValue, help: ArgumentHelp("Override applied before validation.", valueName: "key=value"))
    var overrides: [String] = []

    func run() throws {
        let targets = scenes.isEmpty ? SceneLocator.sceneFiles() : scenes
        var failed = 0
        for t in targets {
            do {
                let path = try SceneLocator.resolve(t)
                let spec = try SceneLoader.load(path: path, overrides: overrides)
                print("ok    \(path)  (\(spec.title))")
                for n in spec.notes { printError("note: " + n) }
            } catch {
                failed += 1
                // Every error line of every command starts with `Error: ` (ArgumentParser's form).
                printError("Error: \(error.description)")
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
