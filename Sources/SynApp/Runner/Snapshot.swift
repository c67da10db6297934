import SynModels
import SynScenes

/// An immutable picture of the simulation published by the simulation thread; the UI draws
/// only from these. `generation` increases with every publish.
public struct Snapshot: Sendable {
    public var generation: Int
    public var step: Int
    /// Simulated seconds.
    public var time: Double
    /// Seconds per step (0 for non-temporal models).
    public var dt: Double
    public var seed: UInt64
    public var ruleNames: [String]
    public var activeRule: Int
    public var ruleEquation: String
    public var bigStep: StepUnit
    /// Measured simulation speed (steps per wall-clock second) over the last half second.
    public var stepsPerSecond: Double
    public var paused: Bool
    public var speed: Speed
    public var metricNames: [String]
    /// All metric rows so far, decimated to bounded memory.
    public var history: MetricHistory
    /// Rule switches since the last reset, and forks after a rewind (rule `fork`): the chart
    /// markers.
    public var switches: [RuleSwitch]
    /// Panel views as of `viewsStep` (computed only when the UI asked for them).
    public var views: [String: PanelView]
    /// Step at which `views` and `probe` were computed.
    public var viewsStep: Int
    /// Factors of the rule's update at the probed synapse.
    public var probe: [Factor]
    public var controls: [Control]
    /// The metric that became NaN or infinite, if the run diverged.
    public var divergence: String?
    /// The last error or notice from the simulation thread (e.g. a rejected control value).
    public var message: String?
    /// Commands the simulation thread had applied when it took this snapshot.
    public var commandsApplied: Int = 0
    /// Set when the run paused itself on reaching the scene's `steps` (cleared on resume).
    public var endedAt: Int?
    /// Steps one can rewind from `step` (to the oldest state the rewind history keeps).
    public var rewindDepth: Int = 0
    /// The furthest step reached on this history (ahead of `step` after a rewind): where the
    /// timeline ends.
    public var frontier: Int = 0
    /// The step where the last tour condition (`runUntil`) was met, and whether one is still
    /// being run towards.
    public var untilMetAt: Int?
    public var runningUntil = false
    /// The rewind history's size and spacing (for benchmarks and the README's figures).
    public var rewindStats = RewindStats()
    /// Rule switches and control changes up to `step`, in order (what `:save` writes).
    public var events: [SessionEvent] = []
    /// The simulation's own events so far (e.g. task switches), marked on every chart.
    public var simEvents: [SimulationEvent] = []

    /// Name of the active rule.
    public var ruleName: String {
        ruleNames.indices.contains(activeRule) ? ruleNames[activeRule] : "?"
    }
}

/// What the rewind history holds: saved states, their cost in bytes beyond the live run, the
/// bytes the newest state added, and the steps between states.
public struct RewindStats: Sendable, Equatable {
    public var points = 0
    public var bytes = 0
    public var lastAddedBytes = 0
    public var interval = 0
    public init(points: Int = 0, bytes: Int = 0, lastAddedBytes: Int = 0, interval: Int = 0) {
        self.points = points
        self.bytes = bytes
        self.lastAddedBytes = lastAddedBytes
        self.interval = interval
    }
}
