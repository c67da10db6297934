import SynCore
import SynModels

/// `model = "gain_control"`: homeostatic gain control of an orientation-tuned linear recurrent
/// circuit under a biased stimulus ensemble, beside a feed-forward (W = 0) twin (scene
/// `gain-control`, science page 33, after Duong et al. 2023).
///
/// ```toml
/// [network]
/// units = 24                 # N, preferred orientations evenly over 180 deg, in [4, 180]
/// radius = 0.5               # spectral radius of W, in [0.05, 0.9]
/// [task]
/// ensemble = "biased"        # uniform | biased (live control "ensemble")
/// adapter_prob = 0.3         # p of a trial at the adapter (live control), in [0.05, 0.9]
/// adapter_deg = 0            # adapter orientation (live control), in [0, 179]
/// [rule]
/// name = "gain_ratio"        # a rule of `GainModulationRules.registry` (`synaptop rules gain_modulation`)
/// switchable = ["gain_ratio", "frozen"]
/// gamma = 0.2                # gain_ratio: exponent, in (0, 2]
/// ```
public struct GainControlSceneModel: SceneModel {
    public static let kind = "gain_control"
    public static var ruleFamily: String { GainModulationRules.registry.family }
    public static let summary = "orientation-tuned recurrent circuit: homeostatic gain control under a biased stimulus ensemble"

    let config: GainControlSimulation.Config
    let selection: RuleSelection<any GainModulationRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let units = try n.integer("units", in: 4...180, default: 24)
        let radius = try n.number("radius", in: .closed(0.05, 0.9), default: 0.5)
        try n.finish()
        var t = try scene.table("task")
        let ensemble = try t.string("ensemble", oneOf: ["uniform", "biased"], default: "biased")
        let p = try t.number("adapter_prob", in: .closed(0.05, 0.9), default: 0.3)
        let deg = try t.integer("adapter_deg", in: 0...179, default: 0)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: GainModulationRules.registry, default: GainRatioHomeostasis.name)
        try r.finish()
        config = GainControlSimulation.Config(units: units, radius: radius, biased: ensemble == "biased", adapterProbability: p,
                                              adapterDegrees: deg, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { GainControlSimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { GainControlSimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { GainControlSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        GainControlSimulation(config: config, seed: seed)
    }

    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        let n = Double(config.units), coarse = 180.0, fine = 720.0
        var c = CostEstimate()
        c.bytes = 2 * n * (fine + 4 * coarse) * 8 + n * n * 8 * 4
        c.setupFlops = 2 * (n * n * n + n * n * (fine + coarse))
        c.stepFlops = 2 * (n * n * n + n * n * coarse + 10 * n * n * n) + 2 * n * n * (fine + coarse) / Double(max(1, metricsEvery))
        return c
    }
}
