import SynModels

/// One row of the metrics series: measured at `step` while `rule` was active.
public struct MetricRow: Sendable, Equatable {
    public var step: Int
    /// Simulated seconds (`step * dt`; 0 for non-temporal models).
    public var time: Double
    public var rule: String
    /// Values in `SceneSession.metricNames` order.
    public var values: [Double]
}

/// A rule switch, for chart markers: at `step` the rule became `rule`.
public struct RuleSwitch: Sendable, Equatable {
    public var step: Int
    public var rule: String
}

/// Drives a scene's simulation on its schedule. This is the one simulation core that both the
/// headless `run` command and the dashboard's simulation thread use.
///
/// `advance` moves in chunks that stop exactly at multiples of the metrics interval, so the
/// rows measured do not depend on how callers split the work (watching never changes the run).
/// - Warning: owned by one thread (the simulation thread).
public struct SceneSession {
    public let spec: SceneSpec
    public private(set) var seed: UInt64
    public private(set) var sim: any Simulation
    /// Rule switches since the start (the starting rule is not listed).
    public private(set) var switches: [RuleSwitch] = []
    /// Set when a metric became NaN or infinite (the run diverged); names the metric.
    public private(set) var divergence: String?
    /// The step of the first row with a non-finite metric (when `divergence` is set).
    public private(set) var divergenceStep: Int?

    /// Builds the simulation; `seed` defaults to the scene's.
    public init(spec: SceneSpec, seed: UInt64? = nil) throws(SceneError) {
        self.spec = spec
        self.seed = seed ?? spec.seed
        self.sim = try spec.makeSimulation(seed: self.seed)
    }

    public var step: Int { sim.step }
    public var metricNames: [String] { sim.metricNames }
    public var ruleName: String { sim.ruleNames.indices.contains(sim.activeRule) ? sim.ruleNames[sim.activeRule] : "?" }

    /// Measures the current state into a row (called at step 0 and every `metricsEvery` steps).
    public mutating func measureRow() -> MetricRow {
        let values = sim.measure()
        if divergence == nil, let bad = values.indices.first(where: { !values[$0].isFinite }) {
            divergence = sim.metricNames.indices.contains(bad) ? sim.metricNames[bad] : "metric \(bad)"
            divergenceStep = sim.step
        }
        return MetricRow(step: sim.step, time: sim.time, rule: ruleName, values: values)
    }

    /// Advances up to `steps` steps, stopping at every metrics boundary to measure.
    /// Returns the rows measured during this call (in order).
    public mutating func advance(_ steps: Int) -> [MetricRow] {
        var rows: [MetricRow] = []
        var left = steps
        let every = spec.metricsEvery
        while left > 0 {
            let toBoundary = every - sim.step % every
            let n = min(left, toBoundary)
            sim.advance(n)
            left -= n
            if sim.step % every == 0 { rows.append(measureRow()) }
        }
        return rows
    }

    /// Switches the rule live (weights kept) and records the switch.
    public mutating func selectRule(_ index: Int) {
        guard sim.ruleNames.indices.contains(index), index != sim.activeRule else { return }
        sim.selectRule(index)
        switches.append(RuleSwitch(step: sim.step, rule: ruleName))
    }

    /// Selects a rule by name; returns false when the scene does not allow it.
    public mutating func selectRule(named name: String) -> Bool {
        guard let i = sim.ruleNames.firstIndex(of: name) else { return false }
        selectRule(i)
        return true
    }

    /// Rebuilds the simulation from the spec with `seed` (default: the current seed).
    public mutating func reset(seed newSeed: UInt64? = nil) throws(SceneError) {
        seed = newSeed ?? seed
        sim = try spec.makeSimulation(seed: seed)
        switches = []
        divergence = nil
        divergenceStep = nil
    }

    /// Sets a live control (slider); returns an error text when out of range.
    public mutating func setControl(_ name: String, to value: Double) -> String? {
        sim.setControl(name, to: value)
    }
}
