import SynCore
import SynModels

/// `model = "iemf"`: two noisy "modalities" of each digit (top and bottom 32 pixels), late
/// fusion with and without inverse-effectiveness gradient modulation, one network per noise
/// level and rule trained in parallel (scene `iemf`, science page 34).
///
/// ```toml
/// [network]
/// hidden = 64                # encoder width per modality, in [4, 256]
/// [task]
/// noise = [0, 0.5, 1, 1.5, 2.5]   # noise sd levels (both modalities), 1-8 values in [0, 10]
/// epochs_before_iemf = 0     # the rule's coefficient applies from this epoch on, in [0, 100] (live "start_epoch")
/// gradient_noise = false     # the authors' N(0, std(grad)^2) term on the fusion gradient (live "grad_noise")
/// detached_heads = true      # unimodal heads are probes (true) or also train the encoders (live "unimodal_heads")
/// [rule]
/// name = "iemf"              # `synaptop rules fusion`; every switchable rule trains its own networks
/// switchable = ["baseline", "iemf"]
/// eta = 0.05                 # SGD learning rate, in [1e-4, 1]
/// momentum = 0.9             # in [0, 0.99]
/// batch = 32                 # in [1, 512]
/// ```
public struct FusionSceneModel: SceneModel {
    public static let kind = "iemf"
    public static var ruleFamily: String { FusionRules.registry.family }
    public static let summary = "inverse effectiveness: two noisy digit halves fused, with and without the IEMF fusion-gradient coefficient"

    let config: FusionSimulation.Config
    let selection: RuleSelection<any FusionRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integer("hidden", in: 4...256, default: 64)
        try n.finish()
        var t = try scene.table("task")
        let levels = try t.numbers("noise", in: .closed(0, 10), count: 1...8, default: [0, 0.5, 1, 1.5, 2.5])
        let startEpoch = try t.integer("epochs_before_iemf", in: 0...100, default: 0)
        let gradNoise = try t.bool("gradient_noise", default: false)
        let detached = try t.bool("detached_heads", default: true)
        try t.finish()
        var r = try scene.table("rule")
        let eta = try r.number("eta", in: .closed(1e-4, 1), default: 0.05)
        let momentum = try r.number("momentum", in: .closed(0, 0.99), default: 0.9)
        let batch = try r.integer("batch", in: 1...512, default: 32)
        selection = try r.rules(from: FusionRules.registry, default: InverseEffectivenessFusion.name)
        try r.finish()
        config = .init(hidden: hidden, levels: levels, batch: batch, eta: Float(eta), momentum: Float(momentum), detached: detached,
                       startEpoch: startEpoch, gradientNoise: gradNoise, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { FusionSimulation.metricSpecs(rules: selection.names, levels: config.levels.count) }
    public static var metricCatalog: [MetricSpec] {
        FusionSimulation.metricSpecs(rules: FusionRules.registry.rules.map(\.name), levels: 8)
    }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { FusionSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        let (train, test) = Digits.split()
        return FusionSimulation(config: config, seed: seed, train: train, test: test)
    }

    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        let h = Double(config.hidden)
        let weights = 64 * h + 2 * h * 10 + 2 * h * 10
        let nets = Double(config.rules.count * config.levels.count), b = Double(config.batch)
        var c = CostEstimate()
        c.bytes = 4 * (nets * 3 * weights + 297 * 64 * 2 + nets * 297 * (3 * h + 30))
        c.setupFlops = 297 * 64 * 10
        c.stepFlops = nets * 6 * b * weights + b * 64 * 10 + nets * 2 * 297 * weights / Double(max(1, metricsEvery))
        return c
    }
}
