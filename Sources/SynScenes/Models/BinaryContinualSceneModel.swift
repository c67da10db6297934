import SynCore
import SynModels

/// `model = "binary_continual"`: two teacher-student perceptron tasks learned by binary weights in
/// field space, a variational student (KL anchor λ to its task-1 fields) next to a plain one
/// (λ = 0) on the same batches (scene `binary-continual`, science page 9).
///
/// ```toml
/// [task]
/// n = 300                   # number of binary weights N, in [10, 2000]
/// alpha_1 = 1.0             # examples per weight in task 1 (P = α N), in [0.05, 10]
/// alpha_2 = 1.0             # the same for task 2, in [0.05, 10]
/// rho = 0.5                 # overlap of the two teachers (live control), in [0, 1]
/// lambda = 1.0              # KL strength of the variational arm in task 2 (live control), in [0, 10]
/// steps_per_task = 3000     # minibatch updates per task, in [1, 1000000]
/// batch = 64                # examples per update, in [1, 4096]
/// [rule]
/// name = "adamw"            # an optimiser of `DynamicsRules.registry` on the fields θ: adamw | gd
/// switchable = ["adamw", "gd"]
/// ```
public struct BinaryContinualSceneModel: SceneModel {
    public static let kind = "binary_continual"
    public static var ruleFamily: String { DynamicsRules.registry.family }
    public static let summary = "binary-weight continual learning: variational fields with a KL anchor vs plain training on two teachers"

    let config: BinaryVariationalSimulation.Config
    let selection: RuleSelection<any DynamicsRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var t = try scene.table("task")
        let n = try t.integer("n", in: 10...2000, default: 300)
        let a1 = try t.number("alpha_1", in: .closed(0.05, 10), default: 1)
        let a2 = try t.number("alpha_2", in: .closed(0.05, 10), default: 1)
        let rho = try t.number("rho", in: .closed(0, 1), default: 0.5)
        let lambda = try t.number("lambda", in: .closed(0, 10), default: 1)
        let steps = try t.integer("steps_per_task", in: 1...1_000_000, default: 3000)
        let batch = try t.integer("batch", in: 1...4096, default: 64)
        try t.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: DynamicsRules.registry, default: AdamW.name)
        try r.finish()
        config = .init(n: n, alpha1: a1, alpha2: a2, rho: rho, lambda: lambda, stepsPerTask: steps, batch: batch,
                       rules: selection.rules, start: selection.start)
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { BinaryVariationalSimulation.metricSpecs }
    public static var metricCatalog: [MetricSpec] { BinaryVariationalSimulation.metricSpecs }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { BinaryVariationalSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func cost(metricsEvery: Int) -> CostEstimate {
        let n = Double(config.n), p = Double(config.examples(0) + config.examples(1))
        var c = CostEstimate()
        c.bytes = 4 * (p * n + 12 * n)
        c.setupFlops = 4 * p * n
        // Two arms, two passes over the batch; a measure runs the objective over a whole task.
        c.stepFlops = 2 * 8 * Double(config.batch) * n + (8 * p * n / 2 + 40 * n) / Double(max(1, metricsEvery))
        return c
    }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        BinaryVariationalSimulation(config: config, seed: seed)
    }
}
