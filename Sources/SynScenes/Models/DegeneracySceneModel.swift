import SynCore
import SynModels

/// `model = "degeneracy"`: an ensemble of tanh RNNs trained one after another on the N-bit
/// flip-flop task from different seeds (plus a duplicate of the first), compared at the levels
/// of behaviour, dynamics and weights (scene `degeneracy`; Huang et al. 2025, science page 35).
///
/// ```toml
/// [network]
/// units = 32                # hidden units N, in [4, 64]
/// gain = 1.0                # initial W = g N(0, 1/N), in (0, 3]
/// l2 = 0                    # L2 penalty λ on every parameter, in [0, 0.1]
/// [task]
/// bits = 2                  # flip-flop channels, in [1, 4]
/// p_flip = 0.05             # pulse probability per step and channel, in (0, 0.5]
/// steps = 60                # training sequence length T, in [10, 200]
/// batch = 32                # sequences per update, in [1, 64]
/// updates = 1500            # updates per network, in [1, 5000]
/// ood_steps = 200           # out-of-distribution stream length, in [steps + 1, 1000]
/// ood_sequences = 16        # OOD streams, in [1, 64]
/// [ensemble]
/// seeds = 3                 # networks from distinct seeds, in [1, 8]
/// duplicate = true          # add a network with the first seed again (sanity check: distances 0)
/// [analysis]
/// dmd_rank = 6              # principal components kept before the delay embedding, in [1, 16] (≤ units)
/// dmd_delays = 3            # delays d of the embedding, in [1, 8]
/// [rule]
/// name = "adamw"            # a rule of `DynamicsRules.registry`: adamw | gd
/// eta = 0.003
/// weight_decay = 0          # 0 = plain Adam
/// ```
public struct DegeneracySceneModel: SceneModel {
    public static let kind = "degeneracy"
    public static var ruleFamily: String { DynamicsRules.registry.family }
    public static let summary = "RNNs trained on the flip-flop task from different seeds: similar behaviour, distant weights (solution degeneracy)"

    static let maxSeeds = 8

    let config: DegeneracySimulation.Config
    let selection: RuleSelection<any DynamicsRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let units = try n.integer("units", in: 4...64, default: 32)
        let gain = try n.number("gain", in: .openClosed(0, 3), default: 1)
        let l2 = try n.number("l2", in: .closed(0, 0.1), default: 0)
        try n.finish()
        var t = try scene.table("task")
        let bits = try t.integer("bits", in: 1...4, default: 2)
        let pFlip = try t.number("p_flip", in: .openClosed(0, 0.5), default: 0.05)
        let steps = try t.integer("steps", in: 10...200, default: 60)
        let batch = try t.integer("batch", in: 1...64, default: 32)
        let updates = try t.integer("updates", in: 1...5000, default: 1500)
        let oodSteps = try t.integer("ood_steps", in: (steps + 1)...1000, default: max(200, steps + 1))
        let oodSequences = try t.integer("ood_sequences", in: 1...64, default: 16)
        try t.finish()
        var e = try scene.table("ensemble")
        let seeds = try e.integer("seeds", in: 1...Self.maxSeeds, default: 3)
        let duplicate = try e.bool("duplicate", default: true)
        try e.finish()
        var a = try scene.table("analysis")
        let rank = try a.integer("dmd_rank", in: 1...min(16, units), default: min(6, units))
        let delays = try a.integer("dmd_delays", in: 1...8, default: 3)
        try a.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: DynamicsRules.registry, default: "adamw")
        try r.finish()
        config = .init(units: units, gain: Float(gain), l2: Float(l2), bits: bits, pFlip: pFlip, steps: steps, batch: batch,
                       updates: updates, seeds: seeds, duplicate: duplicate, oodSteps: oodSteps, oodSequences: oodSequences,
                       dmdRank: rank, dmdDelays: delays, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { DegeneracySimulation.metricSpecs(seeds: config.seeds, duplicate: config.duplicate) }
    public static var metricCatalog: [MetricSpec] { DegeneracySimulation.metricSpecs(seeds: maxSeeds, duplicate: true) }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { DegeneracySimulation.viewSpecs(seeds: config.seeds, duplicate: config.duplicate) }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func cost(metricsEvery: Int) -> CostEstimate {
        let n = Double(config.units), io = Double(2 * config.bits + 1)
        let members = Double(config.seeds + (config.duplicate ? 1 : 0))
        let rows = Double(config.steps * config.batch), oodRows = Double(config.oodSteps * config.oodSequences)
        // One update: forward, backward and the gradient products, each ~2 rows (N² + N(I + O)) flops.
        let pass = 2 * rows * n * (n + io)
        let dim = Double(config.dmdRank * config.dmdDelays)
        // Finishing a network: the OOD pass, DMD fit and eigenvalues, then CKA and the unit
        // correlations against every other network.
        let finish = 2 * oodRows * n * (n + io) + oodRows * dim * dim + 10 * dim * dim * dim
            + members * (6 * oodRows * n * n + n * n * n)
        var cost = CostEstimate()
        cost.bytes = 4 * (members * (4 * n * (n + io) + oodRows * (n + io)) + 3 * (rows + oodRows) * (n + io))
        cost.setupFlops = 2 * (rows + oodRows) * io
        cost.stepFlops = 3 * pass + finish / Double(config.updates) + 2 * pass / Double(max(1, metricsEvery))
        return cost
    }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        DegeneracySimulation(config: config, seed: seed)
    }
}
