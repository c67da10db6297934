import SynCore
import SynModels

/// `model = "stochastic_binary"`: digits classifiers with one layer of stochastic binary hidden
/// units, one network per gradient estimator trained in parallel (scene `ste`).
///
/// ```toml
/// [network]
/// hidden = 100              # stochastic binary units H, in [4, 512]
/// [rule]
/// name = "ste"              # `synaptop rules stochastic_binary`: ste, ste_sigmoid, reinforce, reinforce_baseline
/// switchable = [...]        # every listed estimator trains its own network (all on screen)
/// eta = 0.1                 # SGD learning rate, in (0, 1] (live control "eta")
/// batch = 32                # minibatch, in [1, 512]
/// [task]
/// eval_samples = 10         # samples averaged per test example, in [1, 100]
/// probe_samples = 32        # draws averaged for cos_avg, in [1, 256] (live control "samples")
/// reference_samples = 256   # samples of the reference gradient, in [16, 4096]
/// controls = true           # also train the W1-frozen and deterministic control arms
/// ```
public struct StochasticBinarySceneModel: SceneModel {
    public static let kind = "stochastic_binary"
    public static var ruleFamily: String { StochasticEstimators.registry.family }
    public static let summary = "stochastic binary hidden units on digits: straight-through vs REINFORCE against the exact gradient"

    let config: StochasticEstimatorSimulation.Config
    let selection: RuleSelection<any StochasticEstimatorRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integer("hidden", in: 4...512, default: 100)
        try n.finish()
        var r = try scene.table("rule")
        let eta = try r.number("eta", in: .closed(0.005, 1), default: 0.1)
        let batch = try r.integer("batch", in: 1...512, default: 32)
        selection = try r.rules(from: StochasticEstimators.registry, default: "ste")
        try r.finish()
        var t = try scene.table("task")
        let evalSamples = try t.integer("eval_samples", in: 1...100, default: 10)
        let probeSamples = try t.integer("probe_samples", in: 1...256, default: 32)
        let referenceSamples = try t.integer("reference_samples", in: 16...4096, default: 256)
        let controls = try t.bool("controls", default: true)
        try t.finish()
        config = .init(hidden: hidden, eta: Float(eta), batch: batch, evalSamples: evalSamples, probeSamples: probeSamples,
                       referenceSamples: referenceSamples, controls: controls, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] {
        StochasticEstimatorSimulation.baseMetrics
            + StochasticEstimatorSimulation.Config.armLabels(rules: selection.names, controls: config.controls).map {
                MetricSpec("test_acc_\($0)", "test accuracy of the network trained with \($0)")
            }
    }
    public var viewNames: [String] { StochasticEstimatorSimulation.viewSpecs.map(\.name) }
    public var views: [ViewSpec] { StochasticEstimatorSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        let (train, test) = Digits.split()
        return StochasticEstimatorSimulation(config: config, train: train, test: test, seed: seed)
    }
}

extension StochasticBinarySceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let h = Double(config.hidden), arms = Double(config.rules.count + (config.controls ? 2 : 0))
        let perExample = 3 * 64 * h + 4 * 10 * h
        c.bytes = arms * 3 * (64 * h + 10 * h) * 4 + 1797 * 65 * 4
        let reference = 16 * Double(config.referenceSamples) * 30 * h
        c.setupFlops = reference + Double(config.rules.count) * 256 * 16 * 40 * h
        let measure = arms * 297 * (64 * h + Double(config.evalSamples) * 10 * h) + reference
            + Double(config.probeSamples) * 16 * 40 * h
        c.stepFlops = arms * Double(config.batch) * perExample + measure / Double(max(1, metricsEvery))
        return c
    }
}
