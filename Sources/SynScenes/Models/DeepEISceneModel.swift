import SynModels

/// `model = "deep_ei_snn"`: three deep LIF MLPs on the 8x8 digits — plain, batch-normalised
/// and E-I circuit layers (Liu, Ding & Yu, ICLR 2026) — trained side by side by BPTT.
///
/// Keys: `[network]` depth (layers, 2–10, a live control), width, time_steps, tau_steps,
/// v_threshold, batch, ei_init, ei_prop, raster_digits, raster_neurons. `[rule]` from
/// `SurrogateRules.registry` (sigmoid: eta, alpha; box: eta, width).
public struct DeepEISceneModel: SceneModel {
    public static let kind = "deep_ei_snn"
    public static var ruleFamily: String { SurrogateRules.registry.family }
    public static let summary = "deep spiking MLPs without normalisation, with BN and with E-I circuit layers (E-I Init, E-I Prop) on digits"
    public var config: DeepEIConfig
    let selection: RuleSelection<any SurrogateGradient>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = DeepEIConfig()
        var net = try scene.table("network")
        c.depth = try net.integer("depth", in: DeepEIConfig.depthRange, default: 8)
        c.width = try net.integer("width", in: 4...512, default: 128)
        c.timeSteps = try net.integer("time_steps", in: 1...32, default: 4)
        c.tau = Float(try net.number("tau_steps", in: .closed(1, 1000), default: 2))
        c.threshold = Float(try net.number("v_threshold", in: .closed(0.01, 100), default: 1))
        c.batch = try net.integer("batch", in: 2...1500, default: 64)
        c.eiInit = try net.bool("ei_init", default: true)
        c.eiProp = try net.bool("ei_prop", default: true)
        c.rasterDigits = try net.integer("raster_digits", in: 1...297, default: 8)
        c.rasterNeurons = try net.integer("raster_neurons", in: 1...512, default: 32)
        let rows = c.timeSteps * max(c.batch, 297)
        if rows * c.width * 10 > 60_000_000 {
            throw net.error("width", "expected time_steps * max(batch, 297) * width * 10 <= 60000000 tape entries, got \(rows * c.width * 10)")
        }
        try net.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: SurrogateRules.registry, default: SigmoidSurrogate.name)
        try rule.finish()
        config = c
    }

    public var metrics: [MetricSpec] { DeepEISimulation.metrics }
    public static var metricCatalog: [MetricSpec] { DeepEISimulation.metrics }
    public var metricNames: [String] { DeepEISimulation.metricNames }
    public var views: [ViewSpec] { DeepEISimulation.views }
    public var viewNames: [String] { DeepEISimulation.viewNames }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        DeepEISimulation(config: config, rules: selection.rules, names: selection.names, start: selection.start, seed: seed)
    }

    /// Three arms at the deepest setting of the depth control (10 layers): parameters x 3
    /// (Adam), the tape of a test pass (297 digits x T rows, ~8 blocks per layer); per step
    /// ≈ 3 arms x 6 x T x batch x weights (the E-I arm has 1.5x the weights), plus the test
    /// pass of every arm per metrics row.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let w = Double(config.width), layers = Double(DeepEIConfig.depthRange.upperBound)
        let weights = 1.6 * (64 * w + (layers - 2) * w * w + w * 10)
        let T = Double(config.timeSteps), testRows = 297 * T
        c.bytes = 3 * weights * 4 * 4 + 3 * (Double(config.batch) * T + testRows) * w * layers * 8 * 4
        c.stepFlops = 3 * 6 * T * Double(config.batch) * weights + 3 * 2 * testRows * weights / Double(max(1, metricsEvery))
        c.setupFlops = 3 * weights + 2 * Double(config.batch) * T * weights
        return c
    }
}
