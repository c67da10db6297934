import ArgumentParser
import SynApp
import SynCore
import SynScenes
import TerminalBackend
#if canImport(Glibc)
import Glibc
#endif

extension ColorRequest: ExpressibleByArgument {}

/// `synaptop [SCENE]` / `synaptop dashboard [SCENE]`: the live full-screen dashboard.
struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the live dashboard on a scene (the default command: `synaptop [SCENE]`).",
        discussion: """
        A simulation thread steps the scene while the terminal shows its panels. \
        Needs an interactive terminal; use `synaptop run` headless.

        Keys: ? help (all keys), q quit, space pause, n step, N big step, b/B rewind, \
        T timeline, t tour, +/- speed, r/R rule, { } select a control, [ ] move it, \
        o scene picker, : command line, f freeze, tab focus, z zoom, 0 reset, s reseed.

        --record FILE.cast records the session (play it with `synaptop replay FILE.cast`); \
        --race a,b races rules beside the run (curves overlaid, views side by side).
        """
    )

    @Argument(help: "Scene name (see `synaptop list`) or path to a .toml file (default: the default scene).")
    var scene: String?

    @OptionGroup var options: SceneOptions
    @OptionGroup var threading: ThreadOptions

    @Option(name: .long, help: "Frames per second at most (1-120).")
    var fps: Int = 30

    @Flag(name: .long, help: "Draw with ASCII only (for fonts without braille or block glyphs).")
    var ascii = false

    @Option(name: .long, help: "Colours: auto, truecolor, 256, 16 or none.")
    var colors: ColorRequest = .auto

    @Flag(name: .long, help: "Start paused (step with n, run with space).")
    var paused = false

    @Option(name: .long, help: ArgumentHelp("Memory for rewinding (b, B) in MiB, 0-65536 (default 256; 0: off).", valueName: "N"))
    var rewindMib = 256

    @Option(name: .long, help: ArgumentHelp("Resume a checkpoint written by :save or run --checkpoint-every (replayed from its seed).", valueName: "FILE"))
    var resume: String?

    @Option(name: .long, help: ArgumentHelp("Record the session as an asciicast v2 file (play it with `synaptop replay FILE` or `asciinema play FILE`).", valueName: "FILE.cast"))
    var record: String?

    @Option(name: .long, help: ArgumentHelp("Race these rules beside the run: same seed, overlaid curves, views side by side (see `synaptop race` for headless races).", valueName: "a,b"))
    var race: String?

    @Option(name: .long, help: ArgumentHelp("Step these seeds beside the run (same rule and settings) and draw their spread as a band and their mean on every chart, e.g. --ensemble 2-5 (at most \(KeyBindings.maxEnsembleSeeds); see `synaptop ensemble` for headless ensembles).", valueName: "LIST"))
    var ensemble: String?

    /// The `--ensemble` seeds (nil without the option).
    var ensembleSeeds: [UInt64]? {
        get throws {
            guard let ensemble else { return nil }
            switch SeedList.parse(ensemble, option: "--ensemble", limit: KeyBindings.maxEnsembleSeeds) {
            case .success(let s): return s
            case .failure(let e): throw ValidationError(e.message)
            }
        }
    }

    func validate() throws {
        _ = try ensembleSeeds
        if race != nil && ensemble != nil { throw ValidationError("--race and --ensemble: choose one (the dashboard runs one race or one ensemble beside the run)") }
        if let race, race.split(separator: ",").isEmpty {
            throw ValidationError("--race: expected comma-separated rule names, e.g. --race feedback_alignment,direct_feedback_alignment")
        }
        if let record, record.isEmpty || FileIO.isDirectory(record) {
            throw ValidationError("--record: expected a file name (e.g. lesson.cast), got \"\(record)\"")
        }
        guard (1...120).contains(fps) else { throw ValidationError("--fps: expected an integer in [1, 120], got \(fps)") }
        guard (0...65536).contains(rewindMib) else {
            throw ValidationError("--rewind-mib: expected an integer in [0, 65536], got \(rewindMib)")
        }
    }

    func run() throws {
        guard NcursesTerminal.isInteractive else {
            throw CLIError("the dashboard needs an interactive terminal (stdin and stdout are not a TTY); use `synaptop run SCENE` to run headless or `synaptop render SCENE` for a text frame")
        }
        _ = try threading.applyThreads()
        ParallelDefaults.reserveCoreForUI()  // auto thread counts (threads = 0) leave the UI a core
        let threads = ParallelDefaults.threads(requested: 0)
        var resumed: Resumed?
        if let resume {
            resumed = try Resumed.load(resume, scene: scene, overrides: options.allOverrides, threads: threads)
        }
        let spec: SceneSpec
        if let resumed {
            spec = resumed.spec
        } else {
            guard let name = scene ?? SceneLocator.defaultScene() else {
                throw CLIError("no scene given and no default scene found (set SYNAPTOP_SCENES or pass a .toml path)")
            }
            spec = try options.load(name)
        }
        let term = NcursesTerminal.env("TERM") ?? ""
        let terminal: NcursesTerminal
        do { terminal = try NcursesTerminal(colors: colors) } catch { throw CLIError(error.description) }
        let dashboardOptions = DashboardOptions(fps: fps, ascii: ascii || DashboardTheme.wantsASCII(term: term), paused: paused,
                                                rewindBytes: rewindMib << 20, version: Synaptop.version)
        let runner: SimulationRunner
        do {
            if let resumed {
                runner = SimulationRunner(session: resumed.session, speed: dashboardOptions.startSpeed(for: spec), paused: paused,
                                          maxPublishRate: Double(fps), stopsAtEnd: true, rewindBytes: dashboardOptions.rewindBytes,
                                          history: (resumed.history, resumed.last))
            } else {
                runner = try DashboardApp.makeRunner(spec: spec, seed: options.seed, paused: paused,
                                                     speed: dashboardOptions.startSpeed(for: spec), fps: fps,
                                                     rewindBytes: dashboardOptions.rewindBytes, threads: threads)
            }
        } catch {
            terminal.close()
            throw CLIError(error.description)
        }
        var lanes: RunLanes?
        let seeds = try ensembleSeeds
        if race != nil || seeds != nil {
            let snap = runner.snapshot
            do {
                if let race {
                    lanes = try RunLanes(spec: spec, seed: snap.seed, rules: race.split(separator: ",").map { String($0.filter { $0 != " " }) },
                                         mainRule: snap.ruleName)
                } else if let seeds {
                    lanes = try RunLanes(spec: spec, seeds: seeds, runSeed: snap.seed)
                }
            } catch {
                runner.stop()
                terminal.close()
                throw CLIError(error.description)
            }
        }
        var recorder: RecordingBackend?
        if let record {
            do {
                recorder = try RecordingBackend(base: terminal, path: record, title: "synaptop " + spec.name,
                                                term: term.isEmpty ? nil : term, unixTime: time(nil))
            } catch {
                runner.stop()
                terminal.close()
                throw CLIError("--record: " + error.message)
            }
        }
        let app = DashboardApp(spec: spec, runner: runner, backend: recorder ?? terminal, options: dashboardOptions,
                               overrides: resumed?.checkpoint.overrides ?? options.allOverrides, stopRequested: { NcursesTerminal.pendingSignal })
        if let lanes { app.adoptLanes(lanes) }
        let exit = app.run()
        app.runner.stop()
        terminal.close()
        if let recorder, let record {
            do {
                try recorder.finish()
                printError("recorded \(recorder.frames) frames to \(record) (play: synaptop replay \(record))")
            } catch {
                printError("error: --record: " + error.message)
            }
        }
        if case .signal(let sig) = exit { throw ExitCode(128 + sig) }
    }
}
