import SynModels

/// `model = "stdp_wta"`: STDP + winner-take-all + adaptive threshold learning digit prototypes
/// from rate-coded 8x8 digits without labels (Tavanaei et al. 2019; Diehl & Cook 2015, small).
///
/// Keys: `[network]` neurons, tau_m_ms, v_rest_mv, v_reset_mv, v_threshold_mv, refractory_ms,
/// dt_ms, presentation_ms, max_rate_hz, w_max, w0_max, theta_plus_mv, normalisation, wta,
/// adaptive_threshold, raster_ms. `[task]` train_digits, label_digits, test_digits,
/// eval_every (digits). `[rule]` from `WTARules.registry` (diehl_cook: eta, x_tar, mu,
/// tau_pre_ms; none).
public struct STDPWTASceneModel: SceneModel {
    public static let kind = "stdp_wta"
    public static var ruleFamily: String { WTARules.registry.family }
    public static let summary = "STDP + winner-take-all + adaptive threshold on rate-coded digits: unsupervised digit prototypes (Diehl & Cook 2015, small)"
    public var config: STDPWTAConfig
    let selection: RuleSelection<any WTAPlasticity>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = STDPWTAConfig()
        var net = try scene.table("network")
        c.neurons = try net.integer("neurons", in: 1...2000, default: 100)
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
        c.presentation = try net.number("presentation_ms", in: .closed(1, 5000), default: 100) / 1000
        c.maxRateHz = try net.number("max_rate_hz", in: .closed(0, 1000), default: 250)
        if c.maxRateHz * c.dt > 1 {
            throw net.error("max_rate_hz", "expected max_rate_hz * dt_ms / 1000 <= 1 (a spike probability per step), got \(c.maxRateHz * c.dt)")
        }
        c.wMax = Float(try net.number("w_max", in: .closed(0.001, 100), default: 1))
        c.initMax = Float(try net.number("w0_max", in: .closed(0.001, 100), default: 0.3))
        c.thetaPlusMV = Float(try net.number("theta_plus_mv", in: .closed(0, 100), default: 0.05))
        c.normalisation = Float(try net.number("normalisation", in: .closed(0, 1), default: 0.1))
        c.wta = try net.bool("wta", default: true)
        c.adaptiveThreshold = try net.bool("adaptive_threshold", default: true)
        c.rasterSteps = Int((try net.number("raster_ms", in: .closed(10, 100_000), default: 1000) / 1000 / c.dt).rounded())
        if c.presentationSteps > 100_000 {
            throw net.error("presentation_ms", "expected at most 100000 steps per digit (presentation_ms / dt_ms), got \(c.presentationSteps)")
        }
        try net.finish()
        var task = try scene.table("task")
        c.trainCount = try task.integer("train_digits", in: 1...Digits.trainCount, default: 1200)
        c.labelCount = try task.integer("label_digits", in: 1...Digits.trainCount, default: 1000)
        c.testCount = try task.integer("test_digits", in: 1...297, default: 297)
        c.evalEvery = try task.integer("eval_every", in: 1...1_000_000, default: 300)
        try task.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: WTARules.registry, default: DiehlCookSTDP.name)
        try rule.finish()
        config = c
    }

    public var metrics: [MetricSpec] { STDPWTASimulation.metrics }
    public static var metricCatalog: [MetricSpec] { STDPWTASimulation.metrics }
    public var metricNames: [String] { STDPWTASimulation.metricNames }
    public var views: [ViewSpec] { STDPWTASimulation.views }
    public var viewNames: [String] { STDPWTASimulation.viewNames }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        STDPWTASimulation(config: config, rules: selection.rules, names: selection.names, start: selection.start, seed: seed)
    }

    /// Weights and the spike ring; per step 64 input draws, ~5 input spikes x neurons, one
    /// layer update; an evaluation (label + test digits, all presentation steps) every
    /// eval_every digits.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let n = Double(config.neurons), d = 64.0, present = Double(config.presentationSteps)
        c.bytes = n * d * 4 * 2 + Double(1 << 16) * 8 + Double(config.rasterSteps) * 4
        let perStep = d + 8 * n + n
        let evalSteps = Double(config.labelCount + config.testCount) * present
        c.stepFlops = perStep + perStep * evalSteps / (Double(config.evalEvery) * present)
        c.setupFlops = n * d
        return c
    }
}
