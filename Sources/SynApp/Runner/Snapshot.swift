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
    /// Rule switches since the last reset (chart markers).
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
    /// The simulation's own events so far (e.g. task switches), marked on every chart.
    public var events: [SimulationEvent] = []

    /// Name of the active rule.
    public var ruleName: String {
        ruleNames.indices.contains(activeRule) ? ruleNames[activeRule] : "?"
    }
}
