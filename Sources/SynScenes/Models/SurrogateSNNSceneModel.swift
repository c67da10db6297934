import SynModels

/// `model = "surrogate_snn"`: a LIF network trained by BPTT with a surrogate spike derivative on
/// the 8x8 digits (Tavanaei et al. 2019, gradient family).
///
/// Keys: `[network]` hidden (spiking layer widths), time_steps, tau_steps, v_threshold, batch,
/// init_gain, detach_reset, raster_digits. `[rule]` from `SurrogateRules.registry` (sigmoid:
/// eta, alpha; box: eta, width).
public struct SurrogateSNNSceneModel: SceneModel {
    public static let kind = "surrogate_snn"
    public static var ruleFamily: String { SurrogateRules.registry.family }
    public static let summary = "LIF network trained by BPTT with a surrogate spike derivative on digits (sigmoid or STBP box), Adam"
    public var config: SurrogateSNNConfig
    let selection: RuleSelection<any SurrogateGradient>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = SurrogateSNNConfig()
        var net = try scene.table("network")
        c.hidden = try net.integers("hidden", in: 1...2048, count: 1...10, default: [128])
        c.timeSteps = try net.integer("time_steps", in: 1...100, default: 4)
        c.tau = Float(try net.number("tau_steps", in: .closed(1, 1000), default: 2))
        c.threshold = Float(try net.number("v_threshold", in: .closed(0.01, 100), default: 1))
        c.batch = try net.integer("batch", in: 1...1500, default: 32)
        c.gain = Float(try net.number("init_gain", in: .closed(0.01, 100), default: 3))
        c.detachReset = try net.bool("detach_reset", default: false)
        c.rasterDigits = try net.integer("raster_digits", in: 1...297, default: 24)
        if c.batch * c.timeSteps * (c.hidden.reduce(0, +) + 74) > 50_000_000 {
            throw net.error("batch", "expected batch * time_steps * (sum of hidden + 74) <= 50000000 tape entries, got \(c.batch * c.timeSteps * (c.hidden.reduce(0, +) + 74))")
        }
        try net.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: SurrogateRules.registry, default: SigmoidSurrogate.name)
        try rule.finish()
        config = c
    }

    public var metrics: [MetricSpec] { SurrogateSNNSimulation.metrics }
    public static var metricCatalog: [MetricSpec] { SurrogateSNNSimulation.metrics }
    public var metricNames: [String] { SurrogateSNNSimulation.metricNames }
    public var views: [ViewSpec] { SurrogateSNNSimulation.views }
    public var viewNames: [String] { SurrogateSNNSimulation.viewNames }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        SurrogateSNNSimulation(config: config, rules: selection.rules, names: selection.names, start: selection.start, seed: seed)
    }

    /// Parameters x 3 (Adam moments), the BPTT tape of a batch and of the test set (297);
    /// per step forward + backward ≈ 3 x 2 x batch x T x weights, plus the test forward per row.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let sizes = [64] + config.hidden + [10]
        let weights = Double(zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 })
        let units = Double(sizes.reduce(0, +)), T = Double(config.timeSteps)
        c.bytes = weights * 4 * 4 + (Double(config.batch) + 297) * T * units * 2 * 4
        c.stepFlops = 6 * Double(config.batch) * T * weights + 2 * 297 * T * weights / Double(max(1, metricsEvery))
        c.setupFlops = weights
        return c
    }
}
