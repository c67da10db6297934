import SynModels

/// `model = "sym_stdp"`: the supervised spiking digit network of Hao et al. (2020): symmetric
/// STDP, synaptic scaling and an adaptive threshold in the hidden layer, a teacher-driven output
/// layer learning the labels with the active E → C window.
///
/// Keys: `[network]` neurons, tau_m_ms, v_rest_mv, v_reset_mv, v_threshold_mv, refractory_ms,
/// dt_ms, presentation_ms, max_rate_hz, theta_plus_mv, eta_hidden, w_max_in, w_max_out, w0_max,
/// sum_in, sum_out_fraction, teacher_hz, out_tau_m_ms, out_gain_mv, scaling, adaptive_threshold,
/// lateral_inhibition, raster_ms. `[task]` train_digits, test_digits, eval_every (digits).
/// `[rule]` from `SupervisedSTDPRules.registry` (symmetric, asymmetric: eta, a_trace, tau_trace_ms).
public struct SymSTDPSceneModel: SceneModel {
    public static let kind = "sym_stdp"
    public static var ruleFamily: String { SupervisedSTDPRules.registry.family }
    public static let summary = "supervised SNN on rate-coded digits: symmetric STDP, scaling, adaptive threshold, teacher-driven outputs (Hao et al. 2020)"
    public var config: SymSTDPConfig
    let selection: RuleSelection<any SupervisedSTDPRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = SymSTDPConfig()
        var net = try scene.table("network")
        c.neurons = try net.integer("neurons", in: 1...1000, default: 100)
        c.tauM = try net.number("tau_m_ms", in: .closed(1, 10_000), default: 100) / 1000
        c.restMV = Float(try net.number("v_rest_mv", in: .closed(-200, 100), default: -65))
        c.resetMV = Float(try net.number("v_reset_mv", in: .closed(-200, 100), default: -65))
        c.thresholdMV = Float(try net.number("v_threshold_mv", in: .closed(-200, 100), default: -52))
        if c.resetMV >= c.thresholdMV {
            throw net.error("v_reset_mv", "expected v_reset_mv < v_threshold_mv (\(c.thresholdMV)), got \(c.resetMV)")
        }
        c.refractory = try net.number("refractory_ms", in: .closed(0, 1000), default: 5) / 1000
        c.dt = try net.number("dt_ms", in: .closed(0.01, 5), default: 1) / 1000
        if c.dt >= c.tauM { throw net.error("dt_ms", "expected dt_ms < tau_m_ms (\(c.tauM * 1000)), got \(c.dt * 1000)") }
        c.presentation = try net.number("presentation_ms", in: .closed(1, 5000), default: 150) / 1000
        if c.presentationSteps > 10_000 {
            throw net.error("presentation_ms", "expected at most 10000 steps per digit (presentation_ms / dt_ms), got \(c.presentationSteps)")
        }
        c.maxRateHz = try net.number("max_rate_hz", in: .closed(0, 1000), default: 250)
        if c.maxRateHz * c.dt > 1 {
            throw net.error("max_rate_hz", "expected max_rate_hz * dt_ms / 1000 <= 1 (a spike probability per step), got \(c.maxRateHz * c.dt)")
        }
        c.thetaPlusMV = Float(try net.number("theta_plus_mv", in: .closed(0, 100), default: 0.2))
        c.etaHidden = Float(try net.number("eta_hidden", in: .closed(0, 1), default: 0.005))
        c.wMaxIn = Float(try net.number("w_max_in", in: .closed(0.001, 100), default: 1))
        c.wMaxOut = Float(try net.number("w_max_out", in: .closed(0.001, 100), default: 8))
        c.initMax = Float(try net.number("w0_max", in: .closed(0.001, 100), default: 0.3))
        c.sumIn = Float(try net.number("sum_in", in: .closed(0.001, 10_000), default: 6.4))
        c.sumOutFraction = Float(try net.number("sum_out_fraction", in: .closed(0.001, 1), default: 0.1))
        c.teacherHz = try net.number("teacher_hz", in: .closed(0, 1000), default: 200)
        if c.teacherHz * c.dt > 1 {
            throw net.error("teacher_hz", "expected teacher_hz * dt_ms / 1000 <= 1 (a spike probability per step), got \(c.teacherHz * c.dt)")
        }
        c.outTauM = try net.number("out_tau_m_ms", in: .closed(1, 10_000), default: 10) / 1000
        if c.dt >= c.outTauM { throw net.error("out_tau_m_ms", "expected out_tau_m_ms > dt_ms (\(c.dt * 1000)), got \(c.outTauM * 1000)") }
        c.outGainMV = Float(try net.number("out_gain_mv", in: .closed(0, 1000), default: 14))
        c.scaling = try net.bool("scaling", default: true)
        c.adaptiveThreshold = try net.bool("adaptive_threshold", default: true)
        c.lateralInhibition = try net.bool("lateral_inhibition", default: true)
        c.rasterSteps = max(10, Int((try net.number("raster_ms", in: .closed(10, 100_000), default: 1000) / 1000 / c.dt).rounded()))
        try net.finish()
        var task = try scene.table("task")
        c.trainCount = try task.integer("train_digits", in: 1...Digits.trainCount, default: 1200)
        c.testCount = try task.integer("test_digits", in: 1...297, default: 297)
        c.evalEvery = try task.integer("eval_every", in: 1...1_000_000, default: 200)
        try task.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: SupervisedSTDPRules.registry, default: SymmetricTraceSTDP.name)
        try rule.finish()
        config = c
    }

    public var metrics: [MetricSpec] { SymSTDPSimulation.metrics }
    public static var metricCatalog: [MetricSpec] { SymSTDPSimulation.metrics }
    public var metricNames: [String] { SymSTDPSimulation.metricNames }
    public var views: [ViewSpec] { SymSTDPSimulation.views }
    public var viewNames: [String] { SymSTDPSimulation.viewNames }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        SymSTDPSimulation(config: config, rules: selection.rules, names: selection.names, start: selection.start, seed: seed)
    }

    /// Two weight matrices and the spike ring; per step 64 input draws, ~5 input spikes x 2 x
    /// neurons, the layer, a spike's 64 + 10 updates; a test pass (test digits x presentation
    /// steps) every eval_every digits.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let n = Double(config.neurons), d = 64.0, present = Double(config.presentationSteps)
        c.bytes = n * (d + 10) * 4 * 2 + Double(1 << 16) * 8 + Double(config.rasterSteps) * 4
        let perStep = d + 12 * n + n + d + 10
        c.stepFlops = perStep + perStep * Double(config.testCount) * present / (Double(config.evalEvery) * present)
        c.setupFlops = n * d
        return c
    }
}
