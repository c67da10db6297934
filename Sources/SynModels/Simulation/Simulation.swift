/// A running experiment: a network, its active plasticity rule and its task, advanced in integer
/// steps. The headless runner and the dashboard drive simulations only through this protocol.
///
/// Contract (tests hold every conforming type to it):
/// - **Determinism**: all randomness comes from `RNG` streams derived from the seed given at
///   construction. `advance(a)` then `advance(b)` equals `advance(a + b)` bit for bit, and
///   reading `views()`/`probe()` never changes the dynamics (the UI may watch or not).
/// - **Time**: simulated time is `Double(step) * dt` seconds; `dt == 0` means the model is not
///   a dynamical system in time (one step = one sample/update) and time is reported as 0.
/// - **Live rule switching**: `selectRule` keeps every weight and resets only the rule's own
///   state (traces, optimiser moments, eligibility). Every heatmap view (weights, states) is
///   the same immediately before and after `selectRule`, except the views named in
///   `ruleStateViewNames`, which show rule state (e.g. Földiák's learned lateral inhibition).
/// - Warning: a simulation is owned by exactly one thread (the simulation thread); it is not
///   shared. The UI sees immutable `PanelView` values produced by `views()`.
public protocol Simulation {
    /// Steps taken since construction.
    var step: Int { get }
    /// Simulated seconds per step (0 for non-temporal models).
    var dt: Double { get }
    /// Metric names (snake_case, e.g. `loss`, `test_acc`, `rate_hz`), in column order.
    var metricNames: [String] { get }
    /// Display names of the rules a user may switch between; `activeRule` indexes this list.
    var ruleNames: [String] { get }
    /// Index of the active rule in `ruleNames`.
    var activeRule: Int { get }
    /// The larger stepping unit for the `N` key: a trial, an epoch or a phase.
    var bigStep: StepUnit { get }
    /// The active rule's update equation in plain text (shown in the teaching panel).
    var ruleEquation: String { get }
    /// Names of the panel views this simulation can produce (`views()` keys).
    var viewNames: [String] { get }
    /// Live parameters the user may change while it runs (sliders), with current values.
    var controls: [Control] { get }
    /// The views (a subset of `viewNames`) that show the active rule's own state, which
    /// `selectRule` resets; every other view is unchanged by a switch. Default: none.
    var ruleStateViewNames: [String] { get }
    /// Events so far (at steps <= `step`) that charts mark, e.g. task switches. Default: none.
    var events: [SimulationEvent] { get }

    /// Advances exactly `steps` steps.
    mutating func advance(_ steps: Int)
    /// Current metric values, in `metricNames` order. Called at the scene's metrics cadence;
    /// it may evaluate a test set, but must not draw random numbers from the dynamics' streams.
    mutating func measure() -> [Double]
    /// Switches the active rule, keeping weights and resetting the rule's own state.
    mutating func selectRule(_ index: Int)
    /// Sets a live control; returns an error text when `value` is outside the control's range.
    mutating func setControl(_ name: String, to value: Double) -> String?
    /// The current contents of the named panel views (cheap enough to call at frame rate).
    func views() -> [String: PanelView]
    /// The factors of the rule's update at one selected synapse (pre, post, trace, error,
    /// delta-w ...), with live values, for the teaching panel when paused.
    func probe() -> [Factor]
}

extension Simulation {
    /// Simulated time in seconds.
    public var time: Double { Double(step) * dt }
    public var controls: [Control] { [] }
    public var ruleStateViewNames: [String] { [] }
    public var events: [SimulationEvent] { [] }
    public mutating func setControl(_ name: String, to value: Double) -> String? {
        "unknown control '\(name)'"
    }
    public func probe() -> [Factor] { [] }

    /// The shared validation of `setControl`: the error text for setting `name` to `value`, or
    /// nil when `name` is one of `controls` and `value` is finite and inside its range.
    func controlError(_ name: String, _ value: Double) -> String? {
        guard let c = controls.first(where: { $0.name == name }) else { return "unknown control '\(name)'" }
        guard value.isFinite, c.range.contains(value) else {
            return "\(name): expected a value in [\(c.range.lowerBound), \(c.range.upperBound)], got \(value)"
        }
        return nil
    }
}

/// A named multiple of the basic step (`N` advances one of these).
public struct StepUnit: Sendable, Equatable {
    public var name: String
    public var steps: Int
    public init(name: String, steps: Int) {
        self.name = name
        self.steps = max(1, steps)
    }
}

/// A live parameter: a named value in a closed range, changed in steps of `step`.
///
/// An enumerated control (e.g. an activation function) has `labels`: value `i` (an integer in
/// `range`, counted from `range.lowerBound`) means `labels[i]`; the dashboard shows the names.
public struct Control: Sendable, Equatable {
    public var name: String
    public var value: Double
    public var range: ClosedRange<Double>
    public var step: Double
    /// Names of the values of an enumerated control, in value order (nil for a number).
    public var labels: [String]?
    public init(name: String, value: Double, range: ClosedRange<Double>, step: Double, labels: [String]? = nil) {
        self.name = name
        self.value = value
        self.range = range
        self.step = step
        self.labels = labels
    }

    /// The label of the current value of an enumerated control (nil for a number or a value
    /// without a label).
    public var label: String? {
        guard let labels, value.isFinite else { return nil }
        let i = Int((value - range.lowerBound).rounded())
        return labels.indices.contains(i) ? labels[i] : nil
    }

    /// The value named `label` (case-insensitive) of an enumerated control.
    public func value(forLabel label: String) -> Double? {
        guard let i = labels?.firstIndex(where: { $0.lowercased() == label.lowercased() }) else { return nil }
        return range.lowerBound + Double(i)
    }
}

/// One named factor of a plasticity update at a probed synapse, e.g. ("pre x_j", 0.31).
public struct Factor: Sendable, Equatable {
    public var name: String
    public var value: Double
    public init(_ name: String, _ value: Double) {
        self.name = name
        self.value = value
    }
}
