import SynModels

/// `model = "biprop"`: backprop vs bidirectional learning (Pontes-Filho & Liwicki 2019): one
/// digits network per listed variant, trained side by side from the same weights (scene `biprop`).
///
/// ```toml
/// [network]
/// hidden = 16               # hidden units L, in [1, 256] (restart)
/// init_sd = 0.1             # sd of the truncated-normal initial weights, in [0.001, 1]
/// [rule]
/// name = "biprop"           # `synaptop rules biprop`: backprop, biprop, halfbiprop (the one in focus)
/// switchable = [...]        # every listed variant trains its own network (all on screen)
/// eta = 0.003               # Adam learning rate of both losses, in [1e-5, 1]
/// batch = 100               # minibatch, in [1, 1500]
/// generator_steps = 1500    # halfbiprop: minibatches with generator steps
/// [task]
/// epsilon = 0.2             # FGSM step, in [0, 1] (live control "epsilon")
/// noise = 0.1               # noisy accuracy: x + noise U[0, 1], in [0, 1] (live control "noise")
/// noise_images = 297        # pure-noise images of the confidence probe, in [1, 20000]
/// shown_digits = 4          # test digits in the adversarial strip, in [1, 16]
/// ```
public struct BipropSceneModel: SceneModel {
    public static let kind = "biprop"
    public static var ruleFamily: String { BipropRules.registry.family }
    public static let summary = "bidirectional learning on digits: backprop vs biprop vs halfbiprop, FGSM and noise probes (Pontes-Filho & Liwicki 2019)"

    let config: BipropConfig
    let selection: RuleSelection<any BipropRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = BipropConfig()
        var n = try scene.table("network")
        c.hidden = try n.integer("hidden", in: 1...256, default: 16)
        c.initSD = Float(try n.number("init_sd", in: .closed(0.001, 1), default: 0.1))
        try n.finish()
        var r = try scene.table("rule")
        c.eta = Float(try r.number("eta", in: .closed(1e-5, 1), default: 0.003))
        c.batch = try r.integer("batch", in: 1...1500, default: 100)
        selection = try r.rules(from: BipropRules.registry, default: Biprop.name)
        try r.finish()
        var t = try scene.table("task")
        c.epsilon = Float(try t.number("epsilon", in: .closed(0, 1), default: 0.2))
        c.noiseLevel = Float(try t.number("noise", in: .closed(0, 1), default: 0.1))
        c.noiseImages = try t.integer("noise_images", in: 1...20_000, default: 297)
        c.shownDigits = try t.integer("shown_digits", in: 1...16, default: 4)
        try t.finish()
        config = c
    }

    public var metrics: [MetricSpec] { BipropSimulation.metrics(rules: selection.names) }
    public static var metricCatalog: [MetricSpec] { BipropSimulation.metrics(rules: BipropRules.registry.names) }
    public var metricNames: [String] { metrics.map(\.name) }
    public var views: [ViewSpec] { BipropSimulation.viewSpecs }
    public var viewNames: [String] { BipropSimulation.viewSpecs.map(\.name) }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        let (train, test) = Digits.split()
        return BipropSimulation(config: config, rules: selection.rules, names: selection.names, start: selection.start, seed: seed,
                                train: train, test: test)
    }

    /// Per arm: parameters x 5 (two Adam states); per step a classifier forward/backward of the
    /// batch (~6 flops per weight and example) and the 10 class images of the generator; per row
    /// the test set four times (clean, noisy, FGSM backward and forward) and the noise images.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let weights = Double(64 * config.hidden + config.hidden * 10), arms = Double(selection.rules.count)
        c.bytes = arms * weights * 4 * 6 + Double(297 + config.noiseImages) * 64 * 4 + 1797 * 65 * 4
        c.stepFlops = arms * (6 * Double(config.batch) + 60) * weights
            + arms * (8 * 297 + 2 * Double(config.noiseImages)) * weights / Double(max(1, metricsEvery))
        c.setupFlops = weights + Double(297 + config.noiseImages) * 64
        return c
    }
}
