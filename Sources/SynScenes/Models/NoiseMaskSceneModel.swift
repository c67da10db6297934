import SynCore
import SynModels

/// `model = "noise_mask"`: a REINFORCE-trained input-noise mask policy (cooperative and
/// adversarial rewards) against a uniform-mask control, classifiers fine-tuned on clean digits
/// afterwards (scene `noise-mask`, science page 39).
///
/// ```toml
/// [network]
/// hidden = 100            # classifier hidden width (64-hidden-10 ReLU), in [4, 512]
/// policy_init_sd = 0.01   # policy weights N(0, sd^2), biases 0, in [0, 1]
/// [task]
/// batch = 32              # minibatch, in [1, 256]
/// noise = 0.5             # noise strength s (live), in [0.05, 1]
/// mask_budget = 0.1       # mask budget weight lambda_m (live), in [0, 1]
/// classifier_eta = 0.05   # classifier SGD step, in (0, 10]
/// policy_eta = 0.001      # policy Adam step, in (0, 1]
/// pretrain_steps = 3000   # steps with masks before clean fine-tuning, in [1, 1000000]
/// [rule]
/// name = "reinforce_baseline"  # a rule of `PolicyGradientRules.registry` (`synaptop rules policy_gradient`)
/// ```
public struct NoiseMaskSceneModel: SceneModel {
    public static let kind = "noise_mask"
    public static var ruleFamily: String { PolicyGradientRules.registry.family }
    public static let summary = "REINFORCE-trained Beta noise masks on digits (cooperative, adversarial) against a uniform-mask control"

    let config: NoiseMaskSimulation.Config
    let selection: RuleSelection<any PolicyGradientRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integer("hidden", in: 4...512, default: 100)
        let sd = try n.number("policy_init_sd", in: .closed(0, 1), default: 0.01)
        try n.finish()
        var t = try scene.table("task")
        let batch = try t.integer("batch", in: 1...256, default: 32)
        let noise = try t.number("noise", in: .closed(0.05, 1), default: 0.5)
        let budget = try t.number("mask_budget", in: .closed(0, 1), default: 0.1)
        let etaW = try t.number("classifier_eta", in: .openClosed(0, 10), default: 0.05)
        let etaP = try t.number("policy_eta", in: .openClosed(0, 1), default: 0.001)
        let pretrain = try t.integer("pretrain_steps", in: 1...1_000_000, default: 3000)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: PolicyGradientRules.registry, default: MaskReinforceBaseline.name)
        try r.finish()
        config = NoiseMaskSimulation.Config(hidden: hidden, batch: batch, noise: noise, budget: budget, classifierEta: etaW, policyEta: etaP,
                                            policyInitSD: sd, pretrainSteps: pretrain, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { NoiseMaskSimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { NoiseMaskSimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { NoiseMaskSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        NoiseMaskSimulation(config: config, seed: seed, data: Digits.split())
    }

    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        let h = Double(config.hidden), b = Double(config.batch)
        let classifier = 64 * h + h * 10
        let policy = 128.0 * 65
        var c = CostEstimate()
        c.bytes = 4 * (3 * 4 * classifier + 2 * 4 * policy + 300 * (64 + 2 * h + 20) + 1500 * 64)
        c.setupFlops = 1500 * 64 * 4
        // Three classifier passes, two policy forward/backward passes (three gemms), 2 x 64 Beta draws per image (~60 flops).
        let step = 3 * 6 * b * classifier + 2 * (8 * b * policy + 64 * 60 * b)
        let measure = 3 * 2 * 297 * classifier + 2 * 2 * 297 * policy
        c.stepFlops = step + measure / Double(max(1, metricsEvery))
        return c
    }
}
