import SynCore
import SynModels

/// `model = "ternary_qat"`: ternary quantisation-aware training of a digits MLP from one
/// full-precision pre-training, three arms side by side: STE from the start, HESTIA's soft
/// annealed quantiser, and soft annealed with Hessian-trace-guided temperatures (scene `ternary-qat`).
///
/// ```toml
/// [network]
/// hidden = [128, 128]       # the two hidden layer sizes, each in [4, 256] (64 inputs, 10 outputs)
/// activation = "relu"       # relu | tanh | gelu | softplus | sigmoid | linear
/// [task]
/// batch = 32                # samples per step, in [1, 500]
/// pretrain_epochs = 5       # full-precision epochs before QAT (at set-up), in [0, 50]
/// [rule]
/// name = "adamw"            # a rule of `DynamicsRules.registry`: adamw | gd (pre-training and every arm)
/// eta = 0.001
/// weight_decay = 0
/// [qat]
/// anneal_steps = 1500       # steps over which pressure ramps and T cools (live control), in [50, 20000]
/// t0 = 0.35                 # T0 override (live control "t0"); absent: argmin of the quantisation error, in [0.05, 2]
/// alpha = 0.5               # Hessian guidance strength with sign (live control), in [-2, 2]
/// kappa = 1                 # sensitivity slope κ in s = sigmoid(κ ζ), in [0.01, 10]
/// window = 10               # steps averaged in transition_rate, in [1, 1000]
/// [hessian]
/// samples = 8               # Rademacher vectors per tensor (Hutchinson), in [1, 64]
/// probe_samples = 128       # training samples in the loss whose Hessian is probed, in [1, 1500]
/// step = 0.01               # finite-difference length of the Hessian-vector products, in [1e-5, 1]
/// ```
public struct TernaryQATSceneModel: SceneModel {
    public static let kind = "ternary_qat"
    public static var ruleFamily: String { DynamicsRules.registry.family }
    public static let summary = "ternary QAT of a digits MLP: STE from the start vs HESTIA's annealed soft quantiser (± Hessian-guided temperatures)"

    let config: TernaryQATSimulation.Config
    let selection: RuleSelection<any DynamicsRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integers("hidden", in: 4...256, count: 2...2, default: [128, 128])
        let act = try n.string("activation", oneOf: Activation.hiddenChoices.map(\.rawValue), default: "relu")
        try n.finish()
        var t = try scene.table("task")
        let batch = try t.integer("batch", in: 1...500, default: 32)
        let epochs = try t.integer("pretrain_epochs", in: 0...50, default: 5)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: DynamicsRules.registry, default: "adamw")
        try r.finish()
        var q = try scene.table("qat")
        let anneal = try q.integer("anneal_steps", in: 50...20_000, default: 1500)
        var t0: Double?
        if q.has("t0") { t0 = try q.number("t0", in: .closed(0.05, 2)) }
        let alpha = try q.number("alpha", in: .closed(-2, 2), default: 0.5)
        let kappa = try q.number("kappa", in: .closed(0.01, 10), default: 1)
        let window = try q.integer("window", in: 1...1000, default: 10)
        try q.finish()
        var h = try scene.table("hessian")
        let samples = try h.integer("samples", in: 1...64, default: 8)
        let probe = try h.integer("probe_samples", in: 1...Digits.trainCount, default: 128)
        let step = try h.number("step", in: .closed(1e-5, 1), default: 1e-2)
        try h.finish()
        config = TernaryQATSimulation.Config(hidden: hidden, activation: Activation(rawValue: act) ?? .relu, batch: batch,
                                             pretrainEpochs: epochs, annealSteps: anneal, t0: t0, kappa: kappa, alpha: alpha,
                                             hutchinsonSamples: samples, probeSamples: probe, hvpStep: Float(step), window: window,
                                             rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { TernaryQATSimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { TernaryQATSimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { TernaryQATSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func cost(metricsEvery: Int) -> CostEstimate {
        let s = [64] + config.hidden + [10]
        let params = zip(s, s.dropFirst()).reduce(0.0) { $0 + Double($1.0 * $1.1 + $1.1) }
        let arms = Double(TernaryMethod.allCases.count), test = 297.0
        let rows = Double(max(config.batch, config.probeSamples, Int(test)))
        var c = CostEstimate()
        c.bytes = 4 * (rows * Double(s.reduce(0, +)) * 3 + params * (arms * 6 + 4) + 1797 * 65) + arms * params * 3
        c.setupFlops = 6 * params * Double(config.pretrainEpochs * Digits.trainCount)
            + Double(TernaryQATSimulation.tensors) * Double(config.hutchinsonSamples) * 2 * 6 * params * Double(config.probeSamples)
        c.stepFlops = arms * (6 * params * Double(config.batch) + 40 * params)
            + arms * 2 * params * test / Double(max(1, metricsEvery))
        return c
    }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        TernaryQATSimulation(config: config, seed: seed)
    }
}
