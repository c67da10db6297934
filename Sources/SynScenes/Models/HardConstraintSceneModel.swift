import SynCore
import SynModels

/// `model = "hard_constraints"`: a 1-D Poisson problem u'' = f solved by a basis network with
/// a soft penalty, one global hard least-squares solve (N or K N unknowns) or K local expert
/// solves, side by side (scene `hard-constraints`, science page 42).
///
/// ```toml
/// [network]
/// hidden = 32            # width of the two tanh layers, in [4, 256]
/// basis = 16             # N basis outputs, in [1, 64]
/// [task]
/// experts = 4            # K subdomains (live), in [1, 8]; also sizes the global K N arm
/// points = 32            # constraint points per expert and step (live), in [8, 512]
/// loss_points = 16       # loss points per expert and step, in [1, 512]
/// delta = 1e-6           # ridge of the normal equations, in (0, 1]
/// [rule]
/// name = "adamw"         # an optimiser of `DynamicsRules.registry` (`synaptop rules dynamics`)
/// weight_decay = 0
/// ```
public struct HardConstraintSceneModel: SceneModel {
    public static let kind = "hard_constraints"
    public static var ruleFamily: String { DynamicsRules.registry.family }
    public static let summary = "soft penalty vs global hard solve vs mixture of expert solves on u'' = f (physics hard constraints)"

    let config: HardConstraintSimulation.Config
    let selection: RuleSelection<any DynamicsRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var n = try scene.table("network")
        let hidden = try n.integer("hidden", in: 4...256, default: 32)
        let basis = try n.integer("basis", in: 1...64, default: 16)
        try n.finish()
        var t = try scene.table("task")
        let experts = try t.integer("experts", in: 1...8, default: 4)
        let points = try t.integer("points", in: 8...512, default: 32)
        let lossPoints = try t.integer("loss_points", in: 1...512, default: 16)
        let delta = try t.number("delta", in: .openClosed(0, 1), default: 1e-6)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: DynamicsRules.registry, default: AdamW.name)
        try r.finish()
        config = HardConstraintSimulation.Config(hidden: hidden, basis: basis, experts: experts, points: points, lossPoints: lossPoints,
                                                 delta: delta, rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { HardConstraintSimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { HardConstraintSimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { HardConstraintSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        HardConstraintSimulation(config: config, seed: seed)
    }

    /// What this configuration costs before anything is allocated (see `CostEstimate`), at the
    /// largest live settings (8 experts, 512 points each).
    public func cost(metricsEvery: Int) -> CostEstimate {
        let h = Double(config.hidden), nb = Double(config.basis), k0 = Double(config.experts)
        let pointsPerStep = 8 * (512 + Double(config.lossPoints)) + 10
        // Three channels through 4-h-h-N (forward and backward: ~6 flops per weight), four arms.
        let perPoint = 3 * 6 * (4 * h + h * h + h * nb * (3 + k0) / 4)
        let solves = 8 * 512 * nb * nb * 2 + 8 * 512 * k0 * k0 * nb * nb + k0 * k0 * k0 * nb * nb * nb
        var c = CostEstimate()
        c.bytes = 4 * 3 * pointsPerStep * (2 * h + k0 * nb) * 4 + 8 * 8 * 512 * k0 * nb * 2
        c.stepFlops = 4 * pointsPerStep * perPoint + solves
        c.stepFlops += c.stepFlops * 3 / Double(max(1, metricsEvery))
        return c
    }
}
