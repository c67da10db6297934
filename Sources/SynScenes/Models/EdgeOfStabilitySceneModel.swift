import SynCore
import SynModels

/// `model = "edge_of_stability"`: full-batch gradient descent on an MLP over digits with the
/// sharpness λ_max tracked against 2/η (scene `edge-of-stability`).
///
/// ```toml
/// [network]
/// hidden = [64, 64]         # hidden layer sizes, each in [1, 256], 1-4 layers (64 inputs, 10 outputs)
/// activation = "tanh"       # tanh | relu | gelu | softplus | sigmoid | linear
/// [task]
/// samples = 1000            # first rows of the digits training split, in [10, 1500]
/// chunk = 25                # samples per step (an update is 3 passes over all samples), in [1, 1500]
/// [rule]
/// name = "gd"               # a rule of `DynamicsRules.registry`: gd | adamw
/// eta = 0.1                 # live control "eta"
/// [sharpness]
/// warmup = 10               # power-iteration rounds before the first update, in [0, 1000]
/// every = 1                 # updates per power-iteration step after warm-up, in [1, 10000]
/// step = 0.01               # finite-difference step ‖h v‖ of the Hessian-vector products, in [1e-5, 1]
/// ```
public struct EdgeOfStabilitySceneModel: SceneModel {
    public static let kind = "edge_of_stability"
    public static var ruleFamily: String { DynamicsRules.registry.family }
    public static let summary = "full-batch GD on a digits MLP: sharpness λ_max rises to 2/η and hovers there (edge of stability)"

    let config: EdgeOfStabilitySimulation.Config
    let selection: RuleSelection<any DynamicsRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integers("hidden", in: 1...256, count: 1...4, default: [64, 64])
        let act = try n.string("activation", oneOf: Activation.hiddenChoices.map(\.rawValue), default: "tanh")
        try n.finish()
        var t = try scene.table("task")
        let samples = try t.integer("samples", in: 10...Digits.trainCount, default: 1000)
        let chunk = try t.integer("chunk", in: 1...Digits.trainCount, default: 25)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: DynamicsRules.registry, default: "gd")
        try r.finish()
        var s = try scene.table("sharpness")
        let warmup = try s.integer("warmup", in: 0...1000, default: 10)
        let every = try s.integer("every", in: 1...10_000, default: 1)
        let step = try s.number("step", in: .closed(1e-5, 1), default: 1e-2)
        try s.finish()
        config = EdgeOfStabilitySimulation.Config(sizes: [64] + hidden + [10], hidden: Activation(rawValue: act) ?? .tanh,
                                                  samples: samples, chunk: chunk, warmup: warmup, probeEvery: every,
                                                  hvpStep: Float(step), rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { EdgeOfStabilitySimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { EdgeOfStabilitySimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { EdgeOfStabilitySimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func cost(metricsEvery: Int) -> CostEstimate {
        let s = config.sizes
        let params = zip(s, s.dropFirst()).reduce(0.0) { $0 + Double($1.0 * $1.1 + $1.1) }
        let n = Double(config.samples)
        var c = CostEstimate()
        c.bytes = 4 * (Double(config.chunk) * Double(s.reduce(0, +)) * 3 + params * 10 + n * 75)
        c.setupFlops = 0
        c.stepFlops = 6 * params * Double(min(config.chunk, config.samples)) + 4 * params
        return c
    }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        EdgeOfStabilitySimulation(config: config, seed: seed)
    }
}
