import SynCore
import SynModels

/// `model = "g2gnet"`: ensemble-to-ensemble block-sparse wiring with dynamic sparse training
/// and Hebbian / random / gradient regrowth, five arms side by side on digits (scene `g2gnet`,
/// science page 4).
///
/// ```toml
/// [network]
/// hidden = [128, 128]     # two hidden widths, each in [8, 512] and divisible by groups
/// groups = 8              # ensembles per layer, in [1, 16]; 64 inputs must divide too (8 = image rows)
/// sparsity = 0.75         # inactive fraction of the masked layers, in [0, 0.98]
/// block_density = 0.5     # fraction of target ensembles a source ensemble reaches, in (0, 1]
/// [task]
/// batch = 32              # minibatch, in [1, 256]
/// eta = 0.003             # Adam learning rate, in (0, 1]
/// zeta = 0.3              # largest prune fraction per event (live), in [0, 0.5]
/// rewire_every = 100      # steps between rewiring events (live), in [10, 1000]
/// rewire_until = 1000     # the cosine schedule reaches zeta = 0 here, in [1, 1000000]
/// corr_decay = 0.99       # per-step decay rho of the running correlation, in [0, 1)
/// [rule]
/// name = "hebbian"        # a rule of `RegrowthRules.registry` (`synaptop rules rewiring`)
/// ```
public struct G2GSceneModel: SceneModel {
    public static let kind = "g2gnet"
    public static var ruleFamily: String { RegrowthRules.registry.family }
    public static let summary = "ensemble-to-ensemble block-sparse MLP with dynamic sparse training (G2GNet), five arms on digits"

    let config: G2GSimulation.Config
    let selection: RuleSelection<any RegrowthRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integers("hidden", in: 8...512, count: 2...2, default: [128, 128])
        let groups = try n.integer("groups", in: 1...16, default: 8)
        for (k, v) in ([64] + hidden).enumerated() where v % groups != 0 {
            throw n.error(k == 0 ? "groups" : "hidden", "expected widths divisible by groups = \(groups) (64 inputs, hidden \(hidden)), got \(v)")
        }
        let sparsity = try n.number("sparsity", in: .closed(0, 0.98), default: 0.75)
        let blockDensity = try n.number("block_density", in: .openClosed(0, 1), default: 0.5)
        try n.finish()
        var t = try scene.table("task")
        let batch = try t.integer("batch", in: 1...256, default: 32)
        let eta = try t.number("eta", in: .openClosed(0, 1), default: 0.003)
        let zeta = try t.number("zeta", in: .closed(0, 0.5), default: 0.3)
        let every = try t.integer("rewire_every", in: 10...1000, default: 100)
        let until = try t.integer("rewire_until", in: 1...1_000_000, default: 1000)
        let rho = try t.number("corr_decay", in: .closedOpen(0, 1), default: 0.99)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: RegrowthRules.registry, default: HebbianRegrowth.name)
        try r.finish()
        let c = G2GSimulation.Config(sizes: [64] + hidden + [10], groups: groups, sparsity: sparsity, blockDensity: blockDensity,
                                     batch: batch, eta: eta, zeta: zeta, rewireEvery: every, rewireUntil: until, rho: rho,
                                     rules: selection.rules, start: selection.start)
        if 1 - sparsity > Double(c.blocks) / Double(groups) + 1e-9 {
            throw n.error("sparsity", "sparsity \(sparsity) keeps \(1 - sparsity) of the edges, more than the \(c.blocks)/\(groups) ensemble blocks allow: raise sparsity or block_density")
        }
        config = c
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { G2GSimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { G2GSimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { G2GSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        G2GSimulation(config: config, seed: seed, data: Digits.split())
    }

    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        let s = config.sizes.map(Double.init)
        let weights = zip(s, s.dropFirst()).reduce(0.0) { $0 + $1.0 * $1.1 }
        let units = s.reduce(0, +)
        var c = CostEstimate()
        // Five arms: θ, mask, gradient, two Adam moments; correlations; a test-set pass buffer.
        c.bytes = 4 * (5 * 6 * weights + weights + 3 * units * 300)
        c.setupFlops = 20 * weights
        let perStep = 5 * 6 * Double(config.batch) * weights + 2 * Double(config.batch) * weights
        let test: Double = 5 * 2 * 297 * weights / Double(max(1, metricsEvery))
        // A rewiring event sorts each masked layer's edges (about 20 compares per edge).
        let rewire: Double = 2 * 20 * weights / Double(config.rewireEvery)
        c.stepFlops = perStep + test + rewire
        return c
    }
}
