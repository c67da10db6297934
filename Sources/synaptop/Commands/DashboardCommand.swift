import ArgumentParser
import SynApp
import SynScenes
import TerminalBackend

extension ColorRequest: ExpressibleByArgument {}

/// `synaptop [SCENE]` / `synaptop dashboard [SCENE]`: the live full-screen dashboard.
struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the live dashboard on a scene (the default command: `synaptop [SCENE]`).",
        discussion: """
        A simulation thread steps the scene while the terminal shows its panels.
        Keys: ? help (all keys), q quit, space pause, n step, N big step, +/- speed, r/R rule,
        { } select a control, [ ] move it, o scene picker, : command line, f freeze, tab focus,
        z zoom, 0 reset, s reseed. Needs an interactive terminal; use `synaptop run` headless.
        """
    )

    @Argument(help: "Scene name (see `synaptop list`) or path to a .toml file (default: the default scene).")
    var scene: String?

    @OptionGroup var options: SceneOptions

    @Option(name: .long, help: "Frames per second at most (1-120).")
    var fps: Int = 30

    @Flag(name: .long, help: "Draw with ASCII only (for fonts without braille or block glyphs).")
    var ascii = false

    @Option(name: .long, help: "Colours: auto, truecolor, 256, 16 or none.")
    var colors: ColorRequest = .auto

    @Flag(name: .long, help: "Start paused (step with n, run with space).")
    var paused = false

    func validate() throws {
        guard (1...120).contains(fps) else { throw ValidationError("--fps: expected an integer in [1, 120], got \(fps)") }
    }

    func run() throws {
        guard NcursesTerminal.isInteractive else {
            throw CLIError("the dashboard needs an interactive terminal (stdin and stdout are not a TTY); use `synaptop run SCENE` to run headless or `synaptop render SCENE` for a text frame")
        }
        guard let name = scene ?? SceneLocator.defaultScene() else {
            throw CLIError("no scene given and no default scene found (set SYNAPTOP_SCENES or pass a .toml path)")
        }
        let spec = try options.load(name)
        let term = NcursesTerminal.env("TERM") ?? ""
        let terminal: NcursesTerminal
        do { terminal = try NcursesTerminal(colors: colors) } catch { throw CLIError(error.description) }
        let dashboardOptions = DashboardOptions(fps: fps, ascii: ascii || DashboardTheme.wantsASCII(term: term), paused: paused)
        let runner: SimulationRunner
        do {
            runner = try DashboardApp.makeRunner(spec: spec, seed: options.seed, paused: paused,
                                                 speed: dashboardOptions.startSpeed(for: spec), fps: fps)
        } catch {
            terminal.close()
            throw CLIError(error.description)
        }
        let app = DashboardApp(spec: spec, runner: runner, backend: terminal, options: dashboardOptions,
                               overrides: options.allOverrides, stopRequested: { NcursesTerminal.pendingSignal })
        let exit = app.run()
        app.runner.stop()
        terminal.close()
        if case .signal(let sig) = exit { throw ExitCode(128 + sig) }
    }
}
