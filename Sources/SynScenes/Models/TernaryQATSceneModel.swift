import SynCore
import SynModels

/// `model = "ternary_qat"`: an MLP on the digits pre-trained in full precision, then three
/// copies trained with ternary weights side by side: STE from the start, HESTIA's soft annealed
/// quantiser, and the same with Hessian-trace-guided per-tensor temperatures (scene
/// `ternary-qat`; Wang et al. 2026, science page 41).
///
/// ```toml
/// [network]
/// hidden = [128, 128]       # two hidden layer sizes, each in [4, 256] (64 inputs, 10 outputs)
/// activation = "relu"       # relu | tanh | gelu | softplus | sigmoid | linear
/// [task]
/// samples = 1500            # first rows of the digits training split, in [10, 1500]
/// batch = 32                # minibatch (one step), in [1, 256]
/// pretrain_epochs = 5       # full-precision epochs before quantisation, in [0, 200]
/// qat_epochs = 10           # epochs of the annealing schedule, in [1, 200]
/// [rule]
/// name = "adamw"            # a rule of `DynamicsRules.registry`: adamw | gd
/// eta = 0.001
/// weight_decay = 0.0
/// [quantiser]
/// t0 = 0.0                  # initial temperature T0 in [0.05, 2]; 0 = the Gaussian-optimal T0 (~0.35)
/// alpha = 0.5               # Hessian guidance tau_i = exp(-alpha sigmoid(kappa zeta_i)), in [-2, 2] (live)
/// kappa = 1.0               # in [0.1, 10]
/// hutchinson = 8            # Rademacher samples per weight tensor, in [1, 64]
/// probe_rows = 500          # training rows of the Hessian-trace estimate, in [10, 1500]
/// ```
public struct TernaryQATSceneModel: SceneModel {
    public static let kind = "ternary_qat"
    public static var ruleFamily: String { DynamicsRules.registry.family }
    public static let summary = "ternary weights for a digits MLP: STE from the start vs HESTIA's annealed soft quantiser (with Hessian-trace temperatures)"

    let config: TernaryQATSimulation.Config
    let selection: RuleSelection<any DynamicsRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integers("hidden", in: 4...256, count: 2...2, default: [128, 128])
        let act = try n.string("activation", oneOf: Activation.hiddenChoices.map(\.rawValue), default: "relu")
        try n.finish()
        var t = try scene.table("task")
        let samples = try t.integer("samples", in: 10...Digits.trainCount, default: Digits.trainCount)
        let batch = try t.integer("batch", in: 1...256, default: 32)
        let pre = try t.integer("pretrain_epochs", in: 0...200, default: 5)
        let qat = try t.integer("qat_epochs", in: 1...200, default: 10)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: DynamicsRules.registry, default: "adamw")
        try r.finish()
        var q = try scene.table("quantiser")
        let t0 = try q.number("t0", in: .closed(0, 2), default: 0)
        let alpha = try q.number("alpha", in: .closed(-2, 2), default: 0.5)
        let kappa = try q.number("kappa", in: .closed(0.1, 10), default: 1)
        let hutch = try q.integer("hutchinson", in: 1...64, default: 8)
        let probe = try q.integer("probe_rows", in: 10...Digits.trainCount, default: 500)
        try q.finish()
        guard t0 == 0 || t0 >= 0.05 else {
            throw q.error("t0", "expected 0 (automatic) or a value in [0.05, 2], got \(t0)")
        }
        config = TernaryQATSimulation.Config(sizes: [64] + hidden + [10], hidden: Activation(rawValue: act) ?? .relu, batch: batch,
                                             samples: samples, pretrainEpochs: pre, qatEpochs: qat, hutchinson: hutch,
                                             probeRows: probe, t0: t0 == 0 ? nil : t0, alpha: alpha, kappa: kappa,
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
        let s = config.sizes
        let params = zip(s, s.dropFirst()).reduce(0.0) { $0 + Double($1.0 * $1.1 + $1.1) }
        let test = 297.0  // rows of the digits test split
        let cap = max(Double(config.batch), test, Double(config.probeRows))
        var c = CostEstimate()
        c.bytes = 4 * (cap * Double(s.reduce(0, +)) * 3 + params * 20 + 1797 * 75)
        c.setupFlops = 4 * params * test + 2e7  // two test passes and the T0 search
        // The heaviest step: a Hutchinson sample (two gradient passes over the probe rows), or
        // three QAT updates plus the amortised test passes.
        let hutch = 2 * 6 * params * Double(config.probeRows)
        let qat = 3 * (6 * params * Double(config.batch) + 40 * params)
        c.stepFlops = max(hutch, qat)
        return c
    }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        TernaryQATSimulation(config: config, seed: seed)
    }
}
