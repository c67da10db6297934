import SynModels

/// `model = "ultralif"`: UltraLIF (exact gradients of a max-plus smoothed LIF, Miñoza 2026)
/// against a surrogate-gradient LIF, two networks trained side by side on the standardised digits.
///
/// Keys: `[network]` hidden (layer widths), time_steps, tau, v_threshold, eps, lif_tau_steps,
/// surrogate_alpha, batch, init_gain, shown_digits. `[rule]` from `UltraLIFRules.registry`
/// (learned_eps, fixed_eps: eta).
public struct UltraLIFSceneModel: SceneModel {
    public static let kind = "ultralif"
    public static var ruleFamily: String { UltraLIFRules.registry.family }
    public static let summary = "UltraLIF (max-plus smoothed LIF, exact gradients, learnable ε) vs a surrogate-gradient LIF on digits (Miñoza 2026)"
    public var config: UltraLIFConfig
    let selection: RuleSelection<any UltraLIFTraining>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = UltraLIFConfig()
        var net = try scene.table("network")
        c.hidden = try net.integers("hidden", in: 1...1024, count: 1...10, default: [64])
        c.timeSteps = try net.integer("time_steps", in: 1...100, default: 1)
        c.tau = Float(try net.number("tau", in: .closed(0.01, 0.99), default: 0.9))
        c.threshold = Float(try net.number("v_threshold", in: .closed(0.01, 100), default: 1))
        c.eps = Float(try net.number("eps", in: .closed(0.1, 20), default: 1))
        c.lifTauSteps = Float(try net.number("lif_tau_steps", in: .closed(1, 1000), default: 1))
        c.surrogateAlpha = Float(try net.number("surrogate_alpha", in: .closed(0.1, 100), default: 4))
        c.batch = try net.integer("batch", in: 1...1500, default: 128)
        c.gain = Float(try net.number("init_gain", in: .closed(0.01, 100), default: 1))
        c.shownDigits = try net.integer("shown_digits", in: 1...297, default: 24)
        let units = c.hidden.reduce(0, +) + 74
        if (c.batch + 297) * c.timeSteps * units * 5 > 50_000_000 {
            throw net.error("batch", "expected (batch + 297) * time_steps * (sum of hidden + 74) * 5 <= 50000000 tape entries, got \((c.batch + 297) * c.timeSteps * units * 5)")
        }
        try net.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: UltraLIFRules.registry, default: LearnedEpsilon.name)
        try rule.finish()
        config = c
    }

    public var metrics: [MetricSpec] { UltraLIFSimulation.metrics }
    public static var metricCatalog: [MetricSpec] { UltraLIFSimulation.metrics }
    public var metricNames: [String] { UltraLIFSimulation.metricNames }
    public var views: [ViewSpec] { UltraLIFSimulation.views }
    public var viewNames: [String] { UltraLIFSimulation.viewNames }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        UltraLIFSimulation(config: config, rules: selection.rules, names: selection.names, start: selection.start, seed: seed)
    }

    /// Two arms' parameters x 3 (Adam) and tapes (batch and the 297 test digits, five arrays per
    /// unit and step); per step forward + backward of both arms ≈ 2 x 6 x batch x T x weights;
    /// per row two test forwards and the finite-difference check.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let sizes = [64] + config.hidden + [10]
        let weights = Double(zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 })
        let units = Double(sizes.reduce(0, +)), T = Double(config.timeSteps)
        c.bytes = weights * 4 * 6 + (Double(config.batch) + 297) * T * units * 5 * 4
        c.stepFlops = 12 * Double(config.batch) * T * weights + (4 * 297 + 12 * 64) * T * weights / Double(max(1, metricsEvery))
        c.setupFlops = weights
        return c
    }
}
