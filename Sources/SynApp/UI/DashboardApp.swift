import TUICore
import Dispatch
import SynScenes
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
    public var speed: Speed

    public init(fps: Int = 30, ascii: Bool = false, paused: Bool = false, speed: Speed = .max) {
        self.fps = min(max(fps, 1), 120)
        self.ascii = ascii
        self.paused = paused
        self.speed = speed
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
    public let spec: SceneSpec
    public let runner: SimulationRunner
    public let backend: any TerminalBackend
    public let options: DashboardOptions
    public let theme: Theme
    /// Returns a signal number when the process was asked to stop (checked every poll).
    private let stopRequested: () -> Int32?
    public private(set) var state: AppState
    /// Frames drawn so far.
    public private(set) var framesDrawn = 0

    public init(spec: SceneSpec, runner: SimulationRunner, backend: any TerminalBackend, options: DashboardOptions,
                stopRequested: @escaping () -> Int32? = { nil }) {
        self.spec = spec
        self.runner = runner
        self.backend = backend
        self.options = options
        self.stopRequested = stopRequested
        theme = DashboardTheme.make(colorMode: backend.colorMode, ascii: options.ascii || !backend.supportsUnicode)
        state = AppState(panels: spec.panels, size: backend.size, paused: options.paused, speed: options.speed)
    }

    /// Runs until `q`, a signal, or (when given) `maxFrames` frames have been drawn or
    /// `maxSeconds` have passed (for benchmarks and tests). Starts the runner if needed.
    @discardableResult
    public func run(maxFrames: Int? = nil, maxSeconds: Double? = nil) -> DashboardExit {
        runner.start()
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
        runner.requestSnapshot(views: true)
        while true {
            if let sig = stopRequested() { return .signal(sig) }
            if let maxSeconds, Self.seconds(clock.now - start) >= maxSeconds { return .quit }
            // Input until the frame deadline.
            let wait = max(0, Int(Self.seconds(nextFrame - clock.now) * 1000))
            if let event = backend.pollEvent(timeoutMilliseconds: wait) {
                let wasFrozen = state.frozen
                let (next, commands) = AppLogic.update(state, event)
                state = next
                runner.send(commands)
                if state.quitting { return .quit }
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
                // The simulation may pause by itself (a diverged run): follow it once the
                // snapshot reflects every command sent, so `space` always does what it shows.
                if snap.commandsApplied == runner.commandsSent { state.paused = snap.paused }
            }
            if needsDraw {
                let t0 = clock.now
                let size = backend.size
                if size != state.size { state.size = size }
                if current.width != size.width || current.height != size.height {
                    current.resize(width: size.width, height: size.height)
                }
                let context = FrameContext(sceneName: spec.name, title: spec.title, description: spec.description,
                                           frameMilliseconds: frameMilliseconds)
                DashboardRenderer.render(state: state, live: live, shown: frozenSnapshot ?? live, context: context,
                                         theme: theme, into: &current)
                current.quantizeColors(to: backend.colorMode)
                current.diff(from: previous, into: &changes)
                backend.draw(changes)
                backend.flush()
                swap(&previous, &current)
                framesDrawn += 1
                needsDraw = false
                frameMilliseconds = Self.seconds(clock.now - t0) * 1000
                if let maxFrames, framesDrawn >= maxFrames { return .quit }
            }
            runner.requestSnapshot(views: !state.frozen)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// The dashboard's theme for a terminal: colours by what it can show, ASCII glyphs on request.
public enum DashboardTheme {
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
