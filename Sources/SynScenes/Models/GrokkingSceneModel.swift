import SynCore
import SynModels

/// `model = "grokking"`: (a + b) mod p learned by a two-layer ReLU network with full-batch
/// AdamW; train/test accuracy, the mirror fraction and the Fourier picture of the input
/// weights (scene `grokking`).
///
/// ```toml
/// [network]
/// width = 128               # hidden neurons M, in [4, 1024]
/// activation = "relu"       # relu | tanh | gelu | softplus | sigmoid | linear
/// init_scale = 0.1          # κ: entries N(0, (κ/√p)²), in (0, 10]
/// [task]
/// p = 23                    # the modulus (a prime gives the clean Fourier picture), in [3, 97]
/// train_fraction = 0.75     # fraction of the p² pairs trained on, in [0.05, 0.95]
/// [rule]
/// name = "adamw"            # a rule of `DynamicsRules.registry`: adamw | gd
/// eta = 0.003
/// weight_decay = 1.0        # live control "weight_decay"
/// ```
public struct GrokkingSceneModel: SceneModel {
    public static let kind = "grokking"
    public static var ruleFamily: String { DynamicsRules.registry.family }
    public static let summary = "modular addition (a + b) mod p: memorise, then generalise through Fourier features under weight decay"

    let config: GrokkingSimulation.Config
    let selection: RuleSelection<any DynamicsRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let width = try n.integer("width", in: 4...1024, default: 128)
        let act = try n.string("activation", oneOf: Activation.hiddenChoices.map(\.rawValue), default: "relu")
        let kappa = try n.number("init_scale", in: .openClosed(0, 10), default: 0.1)
        try n.finish()
        var t = try scene.table("task")
        let p = try t.integer("p", in: 3...97, default: 23)
        let f = try t.number("train_fraction", in: .closed(0.05, 0.95), default: 0.75)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: DynamicsRules.registry, default: "adamw")
        try r.finish()
        config = GrokkingSimulation.Config(p: p, width: width, hidden: Activation(rawValue: act) ?? .relu, trainFraction: f,
                                           kappa: Float(kappa), rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { GrokkingSimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { GrokkingSimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { GrokkingSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func cost(metricsEvery: Int) -> CostEstimate {
        let p = Double(config.p), m = Double(config.width)
        let params = 2 * p * m + p + m
        var c = CostEstimate()
        c.bytes = 4 * (params * 6 + p * p * (2 * p + 3 * (m + 2 * p)))
        let pass = 2 * params * p * p
        c.setupFlops = m * p * p
        c.stepFlops = 3 * pass * config.trainFraction + (pass + 2 * m * p * p) / Double(max(1, metricsEvery))
        return c
    }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        GrokkingSimulation(config: config, seed: seed)
    }
}
