import SynModels

/// `model = "dale_mlp"`: a ReLU network on the digits whose layers obey Dale's law as
/// W = W_E − W_I with W_E, W_I ≥ 0, trained by exponentiated gradient or projected gradient
/// descent (Dale meets Langevin, Shetty et al. 2025; Cornford et al. 2024).
///
/// ```toml
/// [network]
/// hidden = [64]          # hidden layer sizes, each in [1, 1024], 1-3 layers
/// init_weight = 0.05     # w0 of W_E, W_I = w0 exp(init_log_sd ξ)
/// init_log_sd = 0.1
/// [task]
/// batch = "full"         # full | minibatch (live control `batch`)
/// minibatch = 32         # samples per minibatch step, in [1, 1500]
/// [rule]
/// name = "exp_grad"      # `synaptop rules dale_mlp`: exp_grad, projected_gd
/// ```
public struct DaleMLPSceneModel: SceneModel {
    public static let kind = "dale_mlp"
    public static var ruleFamily: String { DaleRules.registry.family }
    public static let summary = "Dale-split ReLU network on the digits (W = W_E − W_I ≥ 0 pathways): exponentiated gradient vs projected gradient descent"

    let config: DaleMLPSimulation.Config
    let selection: RuleSelection<any DaleLearningRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = DaleMLPSimulation.Config()
        var net = try scene.table("network")
        c.hidden = try net.integers("hidden", in: 1...1024, count: 1...3, default: [64])
        c.initialWeight = Float(try net.number("init_weight", in: .closed(1e-4, 10), default: 0.05))
        c.initialLogSD = Float(try net.number("init_log_sd", in: .closed(0, 3), default: 0.1))
        try net.finish()
        var task = try scene.table("task")
        let batch = try task.string("batch", oneOf: ["full", "minibatch"], default: "full")
        c.fullBatch = batch == "full"
        c.minibatch = try task.integer("minibatch", in: 1...Digits.trainCount, default: 32)
        try task.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: DaleRules.registry, default: DaleExponentiatedGradient.name)
        try rule.finish()
        c.rules = selection.configured
        c.start = selection.start
        config = c
    }

    public var metrics: [MetricSpec] { DaleMLPSimulation.metrics }
    public static var metricCatalog: [MetricSpec] { DaleMLPSimulation.metrics }
    public var metricNames: [String] { DaleMLPSimulation.metricNames }
    public var views: [ViewSpec] { DaleMLPSimulation.views }
    public var viewNames: [String] { DaleMLPSimulation.viewNames }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        DaleMLPSimulation(config: config, seed: seed)
    }
}

extension DaleMLPSceneModel {
    /// Two pathways per layer; a step is a forward and backward pass over the batch (the full
    /// 1500 digits by default); a measurement evaluates all 1797 digits.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let sizes = [64.0] + config.hidden.map(Double.init) + [10.0]
        var weights = 0.0, widths = 0.0
        for l in 0..<(sizes.count - 1) { weights += sizes[l] * sizes[l + 1]; widths += sizes[l + 1] }
        let batch = config.fullBatch ? Double(Digits.trainCount) : Double(config.minibatch)
        c.bytes = weights * 4 * 4 + Double(Digits.trainCount) * (64 + widths) * 4 * 2
        c.stepFlops = 6 * batch * weights + 1797 * 2 * weights / Double(max(1, metricsEvery))
        return c
    }
}
