import SynCore
import SynModels

/// `model = "ska"`: structured knowledge accumulation, forward-only entropy-reducing learning
/// on unlabeled digits with four step sizes on one time axis t = η k (scene `ska`, science
/// page 29).
///
/// ```toml
/// [network]
/// layers = [32, 16, 10]      # widths after the 64 inputs (three layers), each in [1, 512]
/// init_sd = 0.01             # W ~ N(0, sd^2), b = 0, in (0, 1]
/// [task]
/// batch = 1000               # the first B training digits (no labels), in [10, 1500]
/// etas = [0.02, 0.01, 0.005, 0.0025]  # four step sizes, each an integer multiple (<= 1000) of the smallest, in (0, 1]
/// [rule]
/// name = "ska"               # a rule of `ForwardOnlyRules.registry` (`synaptop rules forward_only`)
/// ```
public struct SKASceneModel: SceneModel {
    public static let kind = "ska"
    public static var ruleFamily: String { ForwardOnlyRules.registry.family }
    public static let summary = "forward-only entropy-reducing learning (SKA) on unlabeled digits, four step sizes on one time axis"

    let config: SKASimulation.Config
    let selection: RuleSelection<any ForwardOnlyRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let layers = try n.integers("layers", in: 1...512, count: 3...3, default: [32, 16, 10])
        let sd = try n.number("init_sd", in: .openClosed(0, 1), default: 0.01)
        try n.finish()
        var t = try scene.table("task")
        let batch = try t.integer("batch", in: 10...Digits.trainCount, default: 1000)
        let etas = try t.numbers("etas", in: .openClosed(0, 1), count: 4...4, default: [0.02, 0.01, 0.005, 0.0025])
        let etaMin = etas.min() ?? 1
        for e in etas {
            let m = e / etaMin
            guard m <= 1000, abs(m - m.rounded()) < 1e-6 else {
                throw t.error("etas", "expected each step size to be an integer multiple (at most 1000) of the smallest \(etaMin), got \(e)")
            }
        }
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: ForwardOnlyRules.registry, default: SKARule.name)
        try r.finish()
        config = SKASimulation.Config(layers: layers, batch: batch, etas: etas, initSD: sd, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { SKASimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { SKASimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { SKASimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        SKASimulation(config: config, seed: seed, data: Digits.split().train)
    }

    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        let sizes = [64.0] + config.layers.map(Double.init)
        let weights = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + $1.0 * $1.1 }
        let units = sizes.dropFirst().reduce(0, +)
        let b = Double(config.batch)
        let etaMin = config.etas.min() ?? 1
        let perStep = config.etas.reduce(0.0) { $0 + etaMin / $1 }
        var c = CostEstimate()
        c.bytes = 4 * (b * 64 + 4 * (6 * b * units + weights))
        c.setupFlops = b * 64 * 4
        c.stepFlops = perStep * (4 * b * weights + 30 * b * units)
        return c
    }
}
