import SynCore
import SynModels

/// `model = "taugate"`: a frozen ReLU foundation switched into a "rotated digits" mode by
/// per-neuron thresholds and gains only, against bias-only, LoRA and full fine-tuning arms
/// trained in parallel (scene `taugate`, science page 12).
///
/// ```toml
/// [network]
/// hidden = [16, 16]          # hidden widths (2-4 layers), each in [2, 256]
/// [task]
/// angle_deg = 45             # rotation of the target mode, in [-180, 180]
/// foundation_steps = 1500    # SGD minibatches of the foundation on the 50/50 mix, in [1, 100000]
/// foundation_eta = 0.05      # its learning rate, in [1e-5, 2]
/// batch = 64                 # minibatch of both phases, in [1, 512]
/// [rule]
/// name = "taugate"           # `synaptop rules mode_tuning`; every switchable rule is an arm
/// switchable = ["foundation", "bias_only", "taugate", "lora", "full_finetune"]
/// eta = 0.05                 # each arm's step, in [1e-5, 2]
/// temperature = 0.3          # soft-gate temperature T while training, in [0.05, 2] (live)
/// ```
public struct TauGateSceneModel: SceneModel {
    public static let kind = "taugate"
    public static var ruleFamily: String { ModeTuningRules.registry.family }
    public static let summary = "brain modes: a frozen digits MLP switched to rotated digits by per-neuron thresholds and gains (TauGate) vs LoRA and fine-tuning"

    let config: TauGateSimulation.Config
    let selection: RuleSelection<any ModeTuningRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integers("hidden", in: 2...256, count: 2...4, default: [16, 16])
        try n.finish()
        var t = try scene.table("task")
        let angle = try t.number("angle_deg", in: .closed(-180, 180), default: 45)
        let fSteps = try t.integer("foundation_steps", in: 1...100_000, default: 1500)
        let fEta = try t.number("foundation_eta", in: .closed(1e-5, 2), default: 0.05)
        let batch = try t.integer("batch", in: 1...512, default: 64)
        try t.finish()
        var r = try scene.table("rule")
        let temperature = try r.number("temperature", in: .closed(0.05, 2), default: 0.3)
        selection = try r.rules(from: ModeTuningRules.registry, default: TauGateMode.name)
        try r.finish()
        config = .init(hidden: hidden, angleDegrees: angle, foundationSteps: fSteps, foundationEta: Float(fEta), batch: batch,
                       temperature: Float(temperature), rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { TauGateSimulation.metricSpecs(rules: selection.names) }
    public static var metricCatalog: [MetricSpec] { TauGateSimulation.metricCatalog }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { TauGateSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        let (train, test) = Digits.split()
        return TauGateSimulation(config: config, seed: seed, train: train, test: test)
    }

    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        let sizes = [64.0] + config.hidden.map(Double.init) + [10]
        let weights = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + $1.0 * $1.1 }
        let arms = Double(config.rules.count), b = Double(config.batch)
        var c = CostEstimate()
        c.bytes = 4 * (arms * 3 * weights + 3000 * 64 + 600 * 64 + 600 * sizes.reduce(0, +) * 2)
        c.setupFlops = 1797 * 64 * 20
        c.stepFlops = arms * 6 * b * weights + arms * 2 * 297 * 2 * weights / Double(max(1, metricsEvery))
        return c
    }
}
