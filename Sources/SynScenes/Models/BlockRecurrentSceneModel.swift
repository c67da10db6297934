import SynCore
import SynModels

/// `model = "block_recurrent"`: two 12-block residual MLPs trained side by side on the digits,
/// without and with drop-path, and the block x block CKA matrix of their residual states after
/// every epoch (scene `block-recurrent`; Jacobs et al. 2025, science page 37).
///
/// ```toml
/// [network]
/// width = 64                # residual-stream width d, in [4, 256]
/// hidden = 128              # hidden units of each block's MLP, in [1, 512]
/// blocks = 12               # residual blocks L, in [2, 24]
/// [task]
/// samples = 1500            # first rows of the digits training split, in [10, 1500]
/// batch = 32                # minibatch (one step), in [1, 256]
/// [rule]
/// name = "adamw"            # a rule of `DynamicsRules.registry`: adamw | gd
/// eta = 0.001               # live control "eta"
/// weight_decay = 0.0
/// [depth]
/// drop_path = 0.3           # drop-path rate of the second network, in [0, 0.9] (live control)
/// base_drop_path = 0.0      # drop-path rate of the first network, in [0, 0.9]
/// phases = 2                # contiguous phases k searched in the CKA matrix, in [1, 4] (live control)
/// ```
public struct BlockRecurrentSceneModel: SceneModel {
    public static let kind = "block_recurrent"
    public static var ruleFamily: String { DynamicsRules.registry.family }
    public static let summary = "12-block residual MLP on digits: the block x block CKA matrix shows contiguous phases; drop-path makes depth more block-recurrent"

    let config: BlockRecurrentSimulation.Config
    let selection: RuleSelection<any DynamicsRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let width = try n.integer("width", in: 4...256, default: 64)
        let hidden = try n.integer("hidden", in: 1...512, default: 128)
        let blocks = try n.integer("blocks", in: 2...24, default: 12)
        try n.finish()
        var t = try scene.table("task")
        let samples = try t.integer("samples", in: 10...Digits.trainCount, default: Digits.trainCount)
        let batch = try t.integer("batch", in: 1...256, default: 32)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: DynamicsRules.registry, default: "adamw")
        try r.finish()
        var d = try scene.table("depth")
        let drop = try d.number("drop_path", in: .closed(0, 0.9), default: 0.3)
        let base = try d.number("base_drop_path", in: .closed(0, 0.9), default: 0)
        let phases = try d.integer("phases", in: 1...4, default: 2)
        try d.finish()
        config = BlockRecurrentSimulation.Config(width: width, hidden: hidden, blocks: blocks, batch: batch, samples: samples,
                                                 baseDrop: Float(base), drop: Float(drop), phases: min(phases, blocks),
                                                 rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { BlockRecurrentSimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { BlockRecurrentSimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { BlockRecurrentSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func cost(metricsEvery: Int) -> CostEstimate {
        let d = Double(config.width), h = Double(config.hidden), l = Double(config.blocks)
        let params = 64 * d + l * (2 * d * h + d + h) + 10 * d
        let test = 297.0  // rows of the digits test split
        let cap = max(Double(config.batch), test)
        let epoch = Double((config.samples + config.batch - 1) / config.batch)
        // Per arm: the activations of a pass at capacity, parameters, gradient and moments.
        let perArm = cap * (l * (4 * d + 2 * h + 2) + 4 * d + 10 + h) + 4 * params
        var c = CostEstimate()
        c.bytes = 4 * (2 * perArm + params + 1797 * 65)
        // The evaluation of both arms: a test pass and the CKA of every pair of blocks.
        let evaluation = 2 * (2 * params * test + l * l * test * d * d)
        c.setupFlops = evaluation
        c.stepFlops = 2 * 6 * params * Double(min(config.batch, config.samples)) + evaluation / epoch
        return c
    }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        BlockRecurrentSimulation(config: config, seed: seed)
    }
}
