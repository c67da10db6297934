import TUICore
import Dispatch
import SynCore
import SynScenes
import TUICore
import TerminalBackend
import TUIWidgets

/// Dashboard settings from the command line.
public struct DashboardOptions: Sendable {
    /// Frames per second at most (1...120).
    public var fps: Int
    /// Draw with ASCII glyphs only (no braille, blocks or box drawing).
    public var ascii: Bool
    /// Start paused (for teaching).
    public var paused: Bool
    /// Starting speed; nil: the scene's `speed` (else `max`).
    public var speed: Speed?
    /// Memory budget of the rewind history in bytes (`--rewind-mib`; 0 turns rewinding off).
    public var rewindBytes: Int
    /// The synaptop version written into checkpoints (`:save`).
    public var version: String

    public init(fps: Int = 30, ascii: Bool = false, paused: Bool = false, speed: Speed? = nil,
                rewindBytes: Int = SimulationRunner.defaultRewindBytes, version: String = "dev") {
        self.rewindBytes = max(0, rewindBytes)
        self.version = version
        self.fps = min(max(fps, 1), 120)
        self.ascii = ascii
        self.paused = paused
        self.speed = speed
    }

    /// The speed a scene starts at: the one asked for, else the scene's `speed`, else `max`.
    public func startSpeed(for spec: SceneSpec) -> Speed {
        // On the `+`/`-` ladder, so the keys step from where it starts.
        speed ?? spec.speed.map { Speed.ladder[Speed.nearestIndex(to: .stepsPerSecond($0))] } ?? .max
    }
}

/// How the dashboard ended.
public enum DashboardExit: Sendable, Equatable {
    /// The user pressed `q`.
    case quit
    /// A signal (SIGINT, SIGTERM, SIGHUP) asked it to stop.
    case signal(Int32)
}

/// The UI thread's loop: polls input until the next frame deadline, applies `AppLogic.update`,
/// forwards commands to the simulation thread, and redraws only when something changed (a new
/// snapshot generation, input, a resize), writing only the changed cells.
public final class DashboardApp {
    /// The scene shown (another one after `:scene` or the picker).
    public private(set) var spec: SceneSpec
    /// The scene's simulation thread (replaced when another scene opens or `:set` rebuilds).
    public private(set) var runner: SimulationRunner
    public let backend: any TerminalBackend
    public let options: DashboardOptions
    public let theme: Theme
    /// `--set` overrides of the scene shown plus those added with `:set` (a rebuild keeps them).
    public private(set) var overrides: [String]
    /// Returns a signal number when the process was asked to stop (checked every poll).
    private let stopRequested: () -> Int32?
    public private(set) var state: AppState
    /// Frames drawn so far.
    public private(set) var framesDrawn = 0
    /// The last frame drawn (for `:screenshot`).
    private var lastFrame = Buffer(width: 0, height: 0)
    /// The other lanes of the run, while a rule race (`--race`, `:race`) or a seed ensemble
    /// (`--ensemble`, `:ensemble`) runs; at most one at a time.
    public private(set) var lanes: RunLanes?

    public init(spec: SceneSpec, runner: SimulationRunner, backend: any TerminalBackend, options: DashboardOptions,
                overrides: [String] = [], stopRequested: @escaping () -> Int32? = { nil }) {
        self.spec = spec
        self.runner = runner
        self.backend = backend
        self.options = options
        self.overrides = overrides
        self.stopRequested = stopRequested
        theme = DashboardTheme.make(colorMode: backend.colorMode, ascii: options.ascii || !backend.supportsUnicode)
        state = Self.freshState(spec: spec, size: backend.size, paused: options.paused, speed: options.startSpeed(for: spec))
    }

    static func freshState(spec: SceneSpec, size: TerminalSize, paused: Bool, speed: Speed) -> AppState {
        var s = AppState(panels: spec.panels, size: size, paused: paused, speed: speed)
        s.sceneKeys = spec.keys
        s.tourStops = spec.tour
        s.sceneNames = SceneLocator.sceneFiles().map { SceneLoader.baseName($0) }
        return s
    }

    /// Builds a runner for `spec` the way the dashboard runs scenes (pausing at `steps`).
    public static func makeRunner(spec: SceneSpec, seed: UInt64?, paused: Bool, speed: Speed, fps: Int,
                                  rewindBytes: Int = SimulationRunner.defaultRewindBytes,
                                  threads: Int = ParallelDefaults.threads(requested: 0)) throws(SceneError) -> SimulationRunner {
        let session = try SceneSession(spec: spec, seed: seed, threads: threads)
        return SimulationRunner(session: session, speed: speed, paused: paused, maxPublishRate: Double(fps), stopsAtEnd: true,
                                rewindBytes: rewindBytes)
    }

    /// Runs until `q`, a signal, or (when given) `maxFrames` frames have been drawn or
    /// `maxSeconds` have passed (for benchmarks and tests). Starts the runner if needed.
    @discardableResult
    public func run(maxFrames: Int? = nil, maxSeconds: Double? = nil) -> DashboardExit {
        runner.start()
        defer { lanes?.stop() }
        let clock = ContinuousClock()
        let start = clock.now
        let frameInterval = Duration.microseconds(1_000_000 / options.fps)
        var previous = Buffer(width: 0, height: 0)
        var current = Buffer(width: state.size.width, height: state.size.height)
        var changes: [CellChange] = []
        var live = runner.snapshot
        var frozenSnapshot: Snapshot?
        var needsDraw = true
        var frameMilliseconds: Double?
        var nextFrame = clock.now
        state = AppLogic.sceneFacts(state, controls: live.controls, ruleNames: live.ruleNames)
        runner.requestSnapshot(views: true)
        while true {
            if let sig = stopRequested() { return .signal(sig) }
            if let maxSeconds, Self.seconds(clock.now - start) >= maxSeconds { return .quit }
            // Input until the frame deadline.
            // Rounded up: rounding down would spin with zero timeouts through the last
            // millisecond before every frame (up to 3 % of a core at 30 fps).
            let wait = max(0, Int((Self.seconds(nextFrame - clock.now) * 1000).rounded(.up)))
            if let event = backend.pollEvent(timeoutMilliseconds: wait) {
                let wasFrozen = state.frozen
                if case .mouse = event {
                    // Where the frame on screen has clickable things (computed only for a click).
                    let context = FrameContext(sceneName: spec.name, title: spec.title, description: spec.description,
                                               metricsEvery: spec.metricsEvery)
                    state.view.targets = DashboardRenderer.clickTargets(state: state, shown: frozenSnapshot ?? live,
                                                                        live: live, context: context, theme: theme)
                }
                let (next, effects) = AppLogic.reduce(state, event)
                state = next
                var newRunner = false
                for effect in effects {
                    switch effect {
                    case .sim(let c): runner.send(c)
                    case .quit: break
                    default: newRunner = perform(effect) || newRunner
                    }
                }
                if state.quitting { return .quit }
                if newRunner {
                    live = runner.snapshot
                    frozenSnapshot = nil
                    state = AppLogic.sceneFacts(state, controls: live.controls, ruleNames: live.ruleNames)
                    runner.requestSnapshot(views: true)
                }
                if case .resize = event {
                    backend.invalidate()
                    previous = Buffer(width: 0, height: 0)
                }
                if state.frozen && !wasFrozen { frozenSnapshot = live }
                if !state.frozen { frozenSnapshot = nil }
                needsDraw = true
                // Drain queued input before drawing, but never skip a due frame.
                if clock.now < nextFrame { continue }
            }
            guard clock.now >= nextFrame else { continue }
            nextFrame = clock.now + frameInterval
            let snap = runner.snapshot
            if snap.generation != live.generation {
                live = snap
                needsDraw = true
                // The simulation may pause by itself (a diverged run, the scene's end): follow
                // it once the snapshot reflects every command sent, so `space` always does what
                // it shows.
                if snap.commandsApplied == runner.commandsSent { state.paused = snap.paused }
                state = AppLogic.sceneFacts(state, controls: snap.controls, ruleNames: snap.ruleNames)
                state = AppLogic.tourFacts(state, untilMetAt: snap.untilMetAt)
                state = AppLogic.timelineFacts(state, snap)
            }
            if needsDraw {
                let t0 = clock.now
                let size = backend.size
                if size != state.size { state.size = size }
                if current.width != size.width || current.height != size.height {
                    current.resize(width: size.width, height: size.height)
                }
                var context = FrameContext(sceneName: spec.name, title: spec.title, description: spec.description,
                                           frameMilliseconds: frameMilliseconds, metricsEvery: spec.metricsEvery)
                context.tour = AppLogic.tourText(state)
                context.setLanes(lanes)
                let shown = frozenSnapshot ?? live
                DashboardRenderer.render(state: state, live: live, shown: shown, context: context,
                                         theme: theme, into: &current)
                let limits = DashboardRenderer.scrollLimits(state: state, shown: shown, live: live, context: context, theme: theme)
                state.teachingScrollLimit = limits.teaching
                state.helpScrollLimit = limits.help
                state.teachingScroll = min(state.teachingScroll, limits.teaching)
                state.helpScroll = min(state.helpScroll, limits.help)
                current.quantizeColors(to: backend.colorMode)
                current.diff(from: previous, into: &changes)
                backend.draw(changes)
                backend.flush()
                swap(&previous, &current)
                lastFrame = previous
                framesDrawn += 1
                needsDraw = false
                frameMilliseconds = Self.seconds(clock.now - t0) * 1000
                if let maxFrames, framesDrawn >= maxFrames { return .quit }
            }
            runner.requestSnapshot(views: !state.frozen)
            if let lanes, !state.frozen {
                lanes.follow(step: live.step, seed: live.seed, events: live.events, views: true)
                if lanes.lanes.contains(where: { $0.step < live.step }) { needsDraw = true }
            }
        }
    }

    // MARK: - Effects

    /// Carries out an effect with I/O; returns true when a new runner replaced the old one.
    func perform(_ effect: AppEffect) -> Bool {
        switch effect {
        case .sim, .quit:
            return false
        case .listScenes:
            state = AppLogic.openPicker(state, entries: Self.sceneEntries())
            return false
        case .openScene(let nameOrPath):
            return open(nameOrPath, overrides: [], seed: nil, notice: nil)
        case .rebuild(let override):
            let seed = runner.snapshot.seed
            return open(spec.file, overrides: overrides + [override], seed: seed, notice: "rebuilt with " + override + " (seed \(seed))")
        case .exportMetrics(let path, let format):
            let rows = runner.metricRows()
            do throws(FileIOError) {
                try MetricsWriter.write(rows, names: runner.snapshot.metricNames, to: path, format: format)
                state.notice = Notice("wrote \(path) (\(rows.count) rows)")
            } catch {
                state.notice = Notice(error.description, isError: true)
            }
            return false
        case .screenshot(let path):
            let base = path ?? "synaptop-\(spec.name)-step\(runner.snapshot.step).txt"
            let ansPath = (base.hasSuffix(".txt") ? String(base.dropLast(4)) : base) + ".ans"
            do throws(FileIOError) {
                try FileIO.writeAtomically(base, bytes: Array((lastFrame.plainText + "\n").utf8))
                try FileIO.writeAtomically(ansPath, bytes: Array(lastFrame.renderANSI(colorMode: backend.colorMode).utf8))
                state.notice = Notice("wrote \(base) and \(ansPath)")
            } catch {
                state.notice = Notice(error.description, isError: true)
            }
            return false
        case .saveCheckpoint(let path):
            saveCheckpoint(path)
            return false
        case .race(let rules):
            startLanes(rules.isEmpty ? nil : .rules(rules))
            return false
        case .ensemble(let seeds):
            startLanes(seeds.isEmpty ? nil : .seeds(seeds))
            return false
        }
    }

    /// Runs `lanes` (built by the caller from this run's seed, e.g. for `--race` or
    /// `--ensemble`) beside the run.
    public func adoptLanes(_ lanes: RunLanes) {
        self.lanes?.stop()
        self.lanes = lanes
        lanes.start()
    }

    /// Starts a race or an ensemble beside the run (ending the one running), or with nil ends it.
    /// Lanes that cannot be built leave the running ones alone and say why.
    func startLanes(_ kind: RunLanes.Kind?) {
        guard let kind else {
            let ended = lanes?.kind
            lanes?.stop()
            lanes = nil
            state.notice = Notice(ended.map { if case .seeds = $0 { "ensemble ended" } else { "race ended" } } ?? "no race or ensemble runs")
            return
        }
        let snap = runner.snapshot
        do throws(SceneError) {
            let started: RunLanes
            let notice: String
            switch kind {
            case .rules(let rules):
                started = try RunLanes(spec: spec, seed: snap.seed, rules: rules, mainRule: snap.ruleName)
                notice = "racing " + ([snap.ruleName] + rules).joined(separator: " vs ") + " (seed \(snap.seed); :race off ends it)"
            case .seeds(let seeds):
                started = try RunLanes(spec: spec, seeds: seeds, runSeed: snap.seed)
                notice = "ensemble of seeds " + ([snap.seed] + seeds).map(String.init).joined(separator: ", ")
                    + ": min-max band and mean on every chart (:ensemble off ends it)"
            }
            lanes?.stop()
            started.start()
            started.follow(step: snap.step, seed: snap.seed, events: snap.events, views: true)
            lanes = started
            state.notice = Notice(notice)
        } catch {
            state.notice = Notice(error.description, isError: true)
        }
    }

    /// Writes a checkpoint of the run as the last snapshot shows it (`:save`).
    private func saveCheckpoint(_ path: String?) {
        let snap = runner.snapshot
        let file = path ?? "synaptop-\(spec.name)-step\(snap.step).ckpt"
        guard let values = snap.history.latest, let at = snap.history.latestStep else {
            state.notice = Notice(":save: no metrics measured yet", isError: true)
            return
        }
        let checkpoint = Checkpoint(version: options.version, file: spec.file, scene: spec.source, overrides: overrides,
                                    seed: snap.seed, step: snap.step, events: snap.events.filter { $0.step <= snap.step },
                                    digestStep: at, digest: values)
        do throws(FileIOError) {
            try checkpoint.write(to: file)
            state.notice = Notice("saved \(file) at step \(snap.step) (resume: synaptop --resume \(file))")
        } catch {
            state.notice = Notice(error.description, isError: true)
        }
    }

    /// Opens a scene in place: loads it (errors become a notice and keep the current scene),
    /// stops the current runner and starts a new one.
    private func open(_ nameOrPath: String, overrides newOverrides: [String], seed: UInt64?, notice: String?) -> Bool {
        let newSpec: SceneSpec
        let newRunner: SimulationRunner
        let speed: Speed
        do throws(SceneError) {
            let path = try SceneLocator.resolve(nameOrPath)
            newSpec = try SceneLoader.load(path: path, overrides: newOverrides)
            // A rebuild keeps the speed chosen; another scene starts at its own.
            speed = notice != nil ? state.speed : options.startSpeed(for: newSpec)
            newRunner = try Self.makeRunner(spec: newSpec, seed: seed, paused: notice != nil && state.paused, speed: speed,
                                            fps: options.fps, rewindBytes: options.rewindBytes)
        } catch {
            state.notice = Notice(error.description, isError: true)
            return false
        }
        let rebuilt = notice != nil
        // A rebuild (same scene, one more override) keeps its race or ensemble, rebuilt from
        // the new settings; another scene ends it.
        let keptLanes = rebuilt ? lanes?.kind : nil
        runner.stop()
        lanes?.stop()
        lanes = nil
        runner = newRunner
        runner.start()
        var fresh = Self.freshState(spec: newSpec, size: state.size, paused: rebuilt && state.paused, speed: speed)
        if rebuilt {
            fresh.focus = min(state.focus, max(0, newSpec.panels.count - 1))
            fresh.selectedControl = state.selectedControl
        }
        fresh.notice = Notice(notice ?? "opened \(newSpec.name): \(newSpec.title)")
        spec = newSpec
        overrides = newOverrides
        state = fresh
        if let keptLanes {
            startLanes(keptLanes)
            // The rebuild's own notice says what changed; a lane that cannot be rebuilt says why.
            if state.notice?.isError != true { state.notice = fresh.notice }
        }
        return true
    }

    /// Every scene reachable by name, with title, model and the first sentence of its
    /// description (a scene that does not load says why).
    static func sceneEntries() -> [SceneEntry] {
        SceneLocator.sceneFiles().map { path in
            let name = SceneLoader.baseName(path)
            do throws(SceneError) {
                let s = try SceneLoader.load(path: path)
                return SceneEntry(name: name, path: path, title: s.title, model: type(of: s.model).kind,
                                  summary: firstSentence(s.description))
            } catch {
                return SceneEntry(name: name, path: path, title: "(does not load)", model: "?", summary: error.description)
            }
        }
    }

    static func firstSentence(_ text: String) -> String {
        let flat = text.split(whereSeparator: { $0 == "\n" }).joined(separator: " ")
        if let r = flat.range(of: ". ") { return String(flat[..<r.lowerBound]) + "." }
        return flat
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// The dashboard's theme for a terminal: colours by what it can show, ASCII glyphs on request.
public enum DashboardTheme {
    /// Terminals whose fonts lack braille and block glyphs (the Linux console) get the ASCII
    /// glyph set without `--ascii`.
    public static func wantsASCII(term: String) -> Bool {
        term == "linux" || term.hasPrefix("linux-") || term == "vt100" || term == "vt220"
    }

    public static func make(colorMode: ColorMode, ascii: Bool) -> Theme {
        var theme: Theme = colorMode == .palette16 ? .mono16 : .default
        if ascii { theme = theme.asciiOnly }
        if colorMode == .monochrome {
            // Without colour a half-block heatmap shows nothing: draw values with the density
            // ramp instead (plots keep their braille dots).
            theme.glyphs.usesHalfBlocks = false
        }
        return theme
    }
}
