import ArgumentParser
import Synchronization
import SynCore
import SynScenes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Set by SIGINT/SIGTERM during `run`: the loop stops at the next chunk and still writes output.
let stopRequested = Atomic<Bool>(false)

/// `synaptop run SCENE`: steps a scene without a terminal UI and writes its metrics series.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scene headless and write its metrics (CSV or JSON Lines).",
        discussion: """
        Columns: step, time, rule, then the scene's metrics (snake_case), one row per metrics
        interval. The file is written atomically; Ctrl-C stops cleanly and writes what was computed.
        """
    )

    @Argument(help: "Scene name (see `synaptop list`) or path to a .toml file (optional with --resume).")
    var scene: String?

    @Option(name: .long, parsing: .unconditional, help: "Number of steps (default: the scene's `steps`).")
    var steps: Int?

    @OptionGroup var options: SceneOptions
    @OptionGroup var threading: ThreadOptions

    @Option(name: .long, help: "Write the metrics series to FILE.csv or FILE.jsonl.")
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Write the spike trains of a spiking scene to FILE.csv (columns neuron,time_s).", valueName: "FILE.csv"))
    var spikes: String?

    @Option(name: .long, help: ArgumentHelp("Keep only the spikes of the run's last WINDOW: a number of steps, or seconds with s or ms (2s, 500ms). Default: the whole run.", valueName: "WINDOW"))
    var spikesWindow: String?

    @Flag(name: .long, help: "No progress output.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Write a checkpoint every N steps (into --checkpoint-dir).", valueName: "N"))
    var checkpointEvery: Int?

    @Option(name: .long, help: ArgumentHelp("Directory for --checkpoint-every files SCENE-seedS-stepK.ckpt (default: .).", valueName: "DIR"))
    var checkpointDir: String?

    @Option(name: .long, help: ArgumentHelp("Resume a checkpoint: replay it from its seed (headless speed), check it, go on to --steps.", valueName: "FILE"))
    var resume: String?

    func validate() throws {
        if let steps, steps < 1 || steps > 1_000_000_000 {
            throw ValidationError("--steps: expected an integer in [1, 1000000000], got \(steps)")
        }
        if let out, MetricsFormat(path: out) == nil {
            throw ValidationError("--out \(out): expected a file name ending in .csv or .jsonl")
        }
        if let spikes, !spikes.hasSuffix(".csv") {
            throw ValidationError("--spikes \(spikes): expected a file name ending in .csv")
        }
        if spikesWindow != nil && spikes == nil {
            throw ValidationError("--spikes-window: only with --spikes FILE.csv")
        }
        if scene == nil && resume == nil {
            throw ValidationError("expected a scene name or .toml path (or --resume FILE)")
        }
        if let n = checkpointEvery, n < 1 || n > 1_000_000_000 {
            throw ValidationError("--checkpoint-every: expected an integer in [1, 1000000000], got \(n)")
        }
        if checkpointDir != nil && checkpointEvery == nil {
            throw ValidationError("--checkpoint-dir: only with --checkpoint-every N")
        }
        if let dir = checkpointDir {
            guard FileIO.isDirectory(dir) else { throw ValidationError("--checkpoint-dir \(dir): not an existing directory") }
            guard access(dir, W_OK) == 0 else { throw ValidationError("--checkpoint-dir \(dir): directory is not writable") }
        }
        // Fail before a long run, not after it: the files are written into these directories.
        for (flag, path) in [("--out", out), ("--spikes", spikes)] {
            guard let path else { continue }
            let dir = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
            let d = dir.isEmpty ? "/" : dir
            guard FileIO.isDirectory(d) else {
                throw ValidationError("\(flag) \(path): directory \(d) does not exist")
            }
            guard access(d, W_OK) == 0 else { throw ValidationError("\(flag) \(path): directory \(d) is not writable") }
        }
    }

    /// The spike export for `--spikes`, or nil without it; a one-line error for a scene that
    /// does not spike or a malformed window.
    func makeSpikeExport(_ spec: SceneSpec, _ session: SceneSession, total: Int) throws -> SpikeExport? {
        guard let spikes else { return nil }
        var from = 0
        if let w = spikesWindow {
            guard let n = SpikeExport.windowSteps(w, dt: session.sim.dt) else {
                throw CLIError("--spikes-window \(w): expected a positive number of steps, or seconds such as 2s or 500ms")
            }
            from = max(0, total - n)
        }
        guard let export = SpikeExport(session.sim, fromStep: from) else {
            throw CLIError("--spikes \(spikes): scene \(spec.name) (model \(type(of: spec.model).kind)) does not simulate spiking neurons")
        }
        return export
    }

    func run() throws {
        installStopHandlers()
        let threads = try threading.applyThreads()
        let resumed = try resume.map { try Resumed.load($0, scene: scene, overrides: options.allOverrides, threads: threads, quiet: quiet) }
        let spec = try resumed?.spec ?? options.load(scene ?? "")
        let startStep = resumed?.session.step ?? 0
        if let resumed, let steps, steps <= startStep {
            throw CLIError("--steps \(steps): the checkpoint \(resumed.checkpoint.file) is already at step \(startStep)")
        }
        let total = (steps ?? spec.steps) - startStep

        // The output's temp file is created before any work: a directory, a name too long or a
        // full directory fails now, not after the run. Rows are streamed into it as measured.
        var stream: MetricsStream?
        if let out {
            do throws(FileIOError) { stream = try MetricsStream(path: out, format: MetricsFormat(path: out) ?? .csv) } catch {
                throw CLIError(error.description)
            }
            if let t = stream?.tempPath { setSignalTempPath(t) }
        }

        let cost = CostEstimate.of(spec)
        if !quiet && CostEstimate.seconds(cost.setupFlops) >= 5 {
            printError("setting up \(spec.name): about \(CostEstimate.bytesText(cost.bytes)) and \(Fmt.num(CostEstimate.seconds(cost.setupFlops), 0)) s of setup by its sizes (Ctrl-C twice to quit at once)")
        }
        var session: SceneSession
        if let resumed {
            session = resumed.session
        } else {
            do { session = try SceneSession(spec: spec, seed: options.seed, threads: threads) } catch {
                stream?.abandon()
                throw CLIError(error.description)
            }
        }
        let runOverrides = resumed?.checkpoint.overrides ?? options.allOverrides

        var writeError: String?
        if let s = stream {
            do throws(FileIOError) { try s.begin(names: session.metricNames) } catch {
                writeError = error.description
                s.abandon()
            }
        }
        // Only the last row is kept (for the summary); the file gets every row.
        // A resumed run starts its file at the checkpoint's step (with the row measured there,
        // when the step is on the metrics interval).
        var last = resumed?.last ?? session.measureRow()
        var rowCount = resumed == nil || last.step == startStep ? 1 : 0
        func emit(_ rows: [MetricRow]) {
            guard let s = stream, writeError == nil, !rows.isEmpty else { return }
            do throws(FileIOError) { try s.append(rows) } catch {
                writeError = error.description
                s.abandon()
            }
        }
        if rowCount == 1 { emit([last]) }
        var export = try makeSpikeExport(spec, session, total: total)
        // Chunks small enough that no recorder's ring wraps between two drains: a quarter of
        // the smallest ring at the spike rate of the last chunk.
        let ring = SpikeExport.capacity(session.sim)
        var spikeChunk = 10
        let progress = Progress(total: total, tty: stderrIsTTY, quiet: quiet)
        let start = ContinuousClock.now
        let chunk = max(1, min(spec.metricsEvery * 10, total / 100 + 1))
        var done = 0
        var interrupted = false
        while done < total {
            if stopRequested.load(ordering: .relaxed) { interrupted = true; break }
            var n = min(export == nil ? chunk : spikeChunk, total - done)
            if let every = checkpointEvery { n = min(n, every - session.step % every) }
            let rows = session.advance(n)
            emit(rows)
            if let r = rows.last { last = r }
            rowCount += rows.count
            done += n
            if export != nil {
                export?.drain(session.sim)
                let perStep = Double(export?.lastDrained ?? 0) / Double(n)
                let safe = perStep > 0 ? Double(ring / 4) / perStep : Double(2 * n)
                spikeChunk = max(1, min(chunk, Int(min(safe, Double(2 * n)))))
            }
            if let every = checkpointEvery, session.step % every == 0 {
                let dir = checkpointDir ?? "."
                let path = (dir.hasSuffix("/") ? dir : dir + "/") + "\(spec.name)-seed\(session.seed)-step\(session.step).ckpt"
                let checkpoint = Checkpoint(version: Synaptop.version, spec: spec, overrides: runOverrides, session: session, last: last)
                do throws(FileIOError) { try checkpoint.write(to: path) } catch { writeError = error.description }
            }
            progress.update(done: done, elapsed: seconds(since: start), last: last, names: session.metricNames)
            if session.divergence != nil || writeError != nil { break }
        }
        progress.finish()
        let wall = seconds(since: start)

        if let s = stream, writeError == nil {
            do throws(FileIOError) { try s.commit() } catch { writeError = error.description }
        }
        setSignalTempPath(nil)
        if let export, let spikes {
            do { try export.write(to: spikes) } catch { throw CLIError(error.description) }
        }
        printSummary(spec: spec, session: session, last: last, rows: rowCount, wall: wall, interrupted: interrupted,
                     wrote: writeError == nil)
        if let export, let spikes {
            let ids = export.populations.map { "\($0.name) \($0.ids.lowerBound)-\($0.ids.upperBound - 1)" }.joined(separator: ", ")
            let from = export.fromStep > 0 ? " from step \(export.fromStep)" : ""
            print("  wrote \(export.count) spikes\(from) to \(spikes) (neuron ids: \(ids))")
            if export.lost > 0 { printError("warning: \(export.lost) spikes were overwritten before they were read and are missing from \(spikes)") }
            if export.truncated { printError("warning: more than \(export.limit) spikes in the window; \(spikes) holds the first \(export.limit) (use --spikes-window)") }
        }
        if let writeError { throw CLIError(writeError) }
        if let bad = session.divergence {
            let saved = out.map { "; rows up to here are in \($0)" } ?? ""
            throw CLIError("\(spec.file): run diverged at step \(session.divergenceStep ?? session.step): metric \(bad) is not finite (a learning rate or gain too large for this rule?)\(saved)")
        }
        if interrupted { throw ExitCode(130) }
    }

    func printSummary(spec: SceneSpec, session: SceneSession, last: MetricRow?, rows: Int, wall: Double, interrupted: Bool, wrote: Bool) {
        let rate = wall > 0 ? Double(session.step) / wall : 0
        var lines = ["\(spec.name): \(session.step) steps\(interrupted ? " (interrupted)" : "") in \(Fmt.num(wall, 2)) s (\(Fmt.si(rate)) steps/s), seed \(session.seed), rule \(session.ruleName)"]
        if session.sim.dt > 0 { lines.append("  simulated time  \(Fmt.num(session.sim.time, 3)) s") }
        if let last {
            let width = (session.metricNames.map(\.count).max() ?? 0) + 2
            for (n, v) in zip(session.metricNames, last.values) {
                lines.append("  \(n.padding(width))\(Fmt.num(v, 4))")
            }
        }
        if let out, wrote { lines.append("  wrote \(rows) rows to \(out)") }
        print(lines.joined(separator: "\n"))
    }
}

/// Routes SIGINT and SIGTERM to `stopRequested`, and unblocks them in case the parent process
/// started us with them blocked (signal masks are inherited across exec).
/// A second SIGINT/SIGTERM (the first one was not yet honoured, e.g. during a long setup or
/// measurement) exits at once with status 130, removing the output's temp file.
func installStopHandlers() {
    signal(SIGINT) { _ in stopOrExit() }
    signal(SIGTERM) { _ in stopOrExit() }
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

/// The temp file of `run --out` as a C string, for the signal handler (async-signal-safe unlink).
nonisolated(unsafe) private var signalTempPath: UnsafeMutablePointer<CChar>?

func setSignalTempPath(_ path: String?) {
    let old = signalTempPath
    signalTempPath = path.flatMap { strdup($0) }
    free(old)
}

private func stopOrExit() {
    if stopRequested.exchange(true, ordering: .relaxed) {
        if let p = signalTempPath { unlink(p) }
        _exit(130)
    }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Progress on stderr: a redrawn bar on a terminal, a plain line every 10% otherwise.
final class Progress {
    let total: Int
    let tty: Bool
    let quiet: Bool
    private var lastDecile = 0
    private var lastDraw = -1.0

    init(total: Int, tty: Bool, quiet: Bool) {
        self.total = total
        self.tty = tty
        self.quiet = quiet
    }

    func update(done: Int, elapsed: Double, last: MetricRow?, names: [String]) {
        guard !quiet else { return }
        let frac = Double(done) / Double(max(1, total))
        let metric = last.flatMap { r in names.first.flatMap { n in r.values.first.map { "\(n)=\(Fmt.num($0, 4))" } } } ?? ""
        if tty {
            guard elapsed - lastDraw >= 0.1 || done == total else { return }
            lastDraw = elapsed
            let width = 30
            let filled = Int(frac * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let eta = frac > 0 ? elapsed / frac - elapsed : 0
            writeStderr("\r[\(bar)] \(Int(frac * 100))%  step \(done)/\(total)  \(metric)  eta \(Fmt.num(eta, 1)) s\u{1B}[K")
        } else {
            let decile = Int(frac * 10)
            guard decile > lastDecile else { return }
            lastDecile = decile
            printError("\(decile * 10)%  step \(done)/\(total)  \(metric)  \(Fmt.num(elapsed, 1)) s")
        }
    }

    func finish() {
        if tty && !quiet { writeStderr("\n") }
    }
}

/// Number formatting for human-readable output.
/// The summary's number styles, on the project's one formatter (`NumberFormat`).
enum Fmt {
    /// `digits` decimals with trailing zeros dropped; scientific outside [1e-4, 1e7).
    static func num(_ x: Double, _ digits: Int) -> String {
        if x.isFinite, x != 0, abs(x) >= 1e7 || abs(x) < 1e-4 { return NumberFormat.scientific(x, 2, trim: true) }
        return NumberFormat.trimmed(x, digits)
    }

    /// Thousands and millions as k and M: "950", "12.5k", "3.47M".
    static func si(_ x: Double) -> String {
        if x >= 1e6 { return num(x / 1e6, 2) + "M" }
        if x >= 1e3 { return num(x / 1e3, 1) + "k" }
        return num(x, 1)
    }
}

extension String {
    func padding(_ w: Int) -> String { count >= w ? self + " " : self + String(repeating: " ", count: w - count) }
}
