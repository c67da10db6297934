import SynModels

/// `model = "pspm"`: pre-synaptic pool modification (Bagley et al. 2020) teaching a recurrent
/// LIF network the spike trains of a teacher with the same topology and drive.
///
/// Keys: `[network]` neurons, connection_probability, dt_ms, tau_m_ms, v_rest_mv,
/// v_threshold_mv, v_reset_mv, refractory_ms, input_rate_hz, input_weight_mv, weight_mean_mv,
/// weight_sd_mv, epoch_ms, van_rossum_tau_ms. `[rule]` from `PSPMRules.registry` (pspm,
/// pool_only, scaling_only: match_ms, pool_ms, p_update, delta_frac).
public struct PSPMSceneModel: SceneModel {
    public static let kind = "pspm"
    public static var ruleFamily: String { PSPMRules.registry.family }
    public static let summary = "PSPM: a recurrent LIF network learns target spike trains by local pool updates (Bagley et al. 2020)"
    public var config: PSPMConfig
    let selection: RuleSelection<any PSPMRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = PSPMConfig()
        var net = try scene.table("network")
        c.neurons = try net.integer("neurons", in: 2...1000, default: 30)
        c.connectionProbability = try net.number("connection_probability", in: .openClosed(0, 1), default: 0.3)
        c.dt = try net.number("dt_ms", in: .closed(0.01, 5), default: 0.5) / 1000
        c.tauM = try net.number("tau_m_ms", in: .closed(0.1, 10_000), default: 20) / 1000
        if c.dt >= c.tauM { throw net.error("dt_ms", "expected dt_ms < tau_m_ms (\(c.tauM * 1000)), got \(c.dt * 1000)") }
        c.restMV = Float(try net.number("v_rest_mv", in: .closed(-200, 100), default: -65))
        c.thresholdMV = Float(try net.number("v_threshold_mv", in: .closed(-200, 100), default: -50))
        c.resetMV = Float(try net.number("v_reset_mv", in: .closed(-200, 100), default: -65))
        if c.resetMV >= c.thresholdMV {
            throw net.error("v_reset_mv", "expected v_reset_mv < v_threshold_mv (\(c.thresholdMV)), got \(c.resetMV)")
        }
        c.refractory = try net.number("refractory_ms", in: .closed(0, 1000), default: 2) / 1000
        c.inputRateHz = try net.number("input_rate_hz", in: .closed(0, 100_000), default: 800)
        if c.inputRateHz * c.dt > 1 {
            throw net.error("input_rate_hz", "expected input_rate_hz * dt_ms / 1000 <= 1 (a spike probability per step), got \(c.inputRateHz * c.dt)")
        }
        c.inputWeightMV = Float(try net.number("input_weight_mv", in: .closed(0, 100), default: 1))
        c.weightMeanMV = Float(try net.number("weight_mean_mv", in: .closed(-100, 100), default: 0))
        c.weightSDMV = Float(try net.number("weight_sd_mv", in: .closed(0, 100), default: 3))
        c.epoch = try net.number("epoch_ms", in: .closed(1, 600_000), default: 2000) / 1000
        c.vanRossumTau = try net.number("van_rossum_tau_ms", in: .closed(0.1, 10_000), default: 10) / 1000
        if c.epochSteps * c.neurons > 50_000_000 {
            throw net.error("epoch_ms", "expected epoch_ms / dt_ms * neurons <= 50000000 frozen input slots, got \(c.epochSteps * c.neurons)")
        }
        try net.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: PSPMRules.registry, default: PSPMBoth.name)
        try rule.finish()
        config = c
    }

    public var metrics: [MetricSpec] { PSPMSimulation.metrics }
    public static var metricCatalog: [MetricSpec] { PSPMSimulation.metrics }
    public var metricNames: [String] { PSPMSimulation.metricNames }
    public var views: [ViewSpec] { PSPMSimulation.views }
    public var viewNames: [String] { PSPMSimulation.viewNames }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        PSPMSimulation(config: config, rules: selection.rules, names: selection.names, start: selection.start, seed: seed)
    }

    /// The frozen input (one byte per neuron and step of an epoch), two weight matrices; the
    /// teacher's epoch at setup; per step N neuron updates plus ~N² p / 10 recurrent adds.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let n = Double(config.neurons), T = Double(config.epochSteps)
        c.bytes = T * n + 3 * n * n * 4 + Double(1 << 16) * 8
        c.stepFlops = 4 * n + n * n * config.connectionProbability
        c.setupFlops = T * c.stepFlops
        return c
    }
}
