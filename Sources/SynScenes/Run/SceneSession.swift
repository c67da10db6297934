import SynCore
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
    public init(step: Int, rule: String) {
        self.step = step
        self.rule = rule
    }
}

/// A change of the dynamics made while a session runs (a rule switch or a live control), with
/// the step it happened at: replaying the log from the seed reproduces the run exactly
/// (rewind, checkpoints).
public struct SessionEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case rule(String)
        case control(String, Double)
    }
    public var step: Int
    public var kind: Kind
    public init(step: Int, kind: Kind) {
        self.step = step
        self.kind = kind
    }
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
    /// Every rule switch and control change since the start, in order (the replay log).
    public private(set) var events: [SessionEvent] = []

    /// Threads the dense kernels of the simulation may use (`ComputePool`; 1 = this thread only).
    /// The numbers do not depend on it.
    public var threads: Int { pool?.count ?? 1 }
    private let pool: WorkerPool?

    /// Builds the simulation; `seed` defaults to the scene's. With `threads` > 1 the large matrix
    /// products of rate networks (batched forward and backward passes) are shared over that many
    /// threads; spiking networks choose their own threads (`network.threads`).
    public init(spec: SceneSpec, seed: UInt64? = nil, threads: Int = 1) throws(SceneError) {
        self.spec = spec
        self.seed = seed ?? spec.seed
        self.sim = try spec.makeSimulation(seed: self.seed)
        self.pool = threads > 1 ? WorkerPool(count: min(threads, ParallelDefaults.maxThreads)) : nil
    }

    public var step: Int { sim.step }
    public var metricNames: [String] { sim.metricNames }
    public var ruleName: String { sim.ruleNames.indices.contains(sim.activeRule) ? sim.ruleNames[sim.activeRule] : "?" }

    /// Measures the current state into a row (called at step 0 and every `metricsEvery` steps).
    public mutating func measureRow() -> MetricRow {
        let values = ComputePool.with(pool) { sim.measure() }
        let names = sim.metricNames
        let undefinedOK = Set(spec.model.metrics.filter(\.mayBeUndefined).map(\.name))
        func diverged(_ i: Int) -> Bool {
            guard !values[i].isFinite else { return false }
            return !(values[i].isNaN && names.indices.contains(i) && undefinedOK.contains(names[i]))
        }
        if divergence == nil, let bad = values.indices.first(where: diverged) {
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
            ComputePool.with(pool) { sim.advance(n) }
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
        events.append(SessionEvent(step: sim.step, kind: .rule(ruleName)))
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
        events = []
        divergence = nil
        divergenceStep = nil
    }

    /// Sets a live control (slider); returns an error text when out of range.
    public mutating func setControl(_ name: String, to value: Double) -> String? {
        let error = sim.setControl(name, to: value)
        if error == nil { events.append(SessionEvent(step: sim.step, kind: .control(name, value))) }
        return error
    }

    /// Applies one logged event (a replay); returns an error text when it no longer applies.
    public mutating func apply(_ event: SessionEvent) -> String? {
        switch event.kind {
        case .rule(let name):
            return selectRule(named: name) ? nil : "unknown rule \"\(name)\" (one of: \(sim.ruleNames.joined(separator: ", ")))"
        case .control(let name, let value):
            return setControl(name, to: value)
        }
    }
}
