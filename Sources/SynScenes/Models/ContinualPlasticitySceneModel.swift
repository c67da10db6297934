import SynCore
import SynModels

/// `model = "plasticity"`: a warm learner trained on one moving-target regression task after
/// another next to a fresh learner restarted on each task (loss of plasticity; scene
/// `plasticity-loss`). The rule is an MLP rule (`synaptop rules mlp`; Adam in the scene).
///
/// ```toml
/// [task]
/// inputs = 1000             # the first N training digits, in [64, 1500]
/// tasks = 12                # number of teachers (tasks), in [1, 50]
/// steps_per_task = 300      # updates per task, in [1, 100000]
/// teacher_hidden = 64       # tanh units of each random teacher 64-H-10, in [1, 1024]
/// input_noise = 0.0         # σ of Gaussian noise on training inputs (live control), in [0, 1]
/// stationary = false        # every task reuses the first teacher (live control "targets")
/// [network]
/// hidden = [128, 128]       # learner hidden sizes (2 to 4 layers), each in [1, 1024]
/// activation = "relu"
/// [rule]
/// name = "adam"             # an MLP rule; batch = 64 samples per update
/// ```
public struct ContinualPlasticitySceneModel: SceneModel {
    public static let kind = "plasticity"
    public static var ruleFamily: String { MLPRules.registry.family }
    public static let summary = "loss of plasticity: a warm learner on moving regression targets vs a fresh one per task"

    let config: PlasticitySimulation.Config
    let selection: RuleSelection<any MLPLearningRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var t = try scene.table("task")
        let inputs = try t.integer("inputs", in: 64...1500, default: 1000)
        let tasks = try t.integer("tasks", in: 1...50, default: 12)
        let steps = try t.integer("steps_per_task", in: 1...100_000, default: 300)
        let teacherHidden = try t.integer("teacher_hidden", in: 1...1024, default: 64)
        let noise = try t.number("input_noise", in: .closed(0, 1), default: 0)
        let stationary = try t.bool("stationary", default: false)
        try t.finish()
        var n = try scene.table("network")
        let hidden = try n.integers("hidden", in: 1...1024, count: 2...4, default: [128, 128])
        let acts = Activation.hiddenChoices.map(\.rawValue)
        let activation = Activation(rawValue: try n.string("activation", oneOf: acts, default: "relu")) ?? .relu
        try n.finish()
        var r = try scene.table("rule")
        selection = try r.rules(from: MLPRules.registry, default: "adam")
        try r.finish()
        config = .init(hidden: hidden, activation: activation, teacherHidden: teacherHidden, inputs: inputs, tasks: tasks,
                       stepsPerTask: steps, rules: selection.rules, start: selection.start, inputNoise: noise, stationary: stationary)
    }

    public var metricNames: [String] { PlasticitySimulation.metricNames }
    public static var metricCatalog: [MetricSpec] { metricSpecs }
    public var metrics: [MetricSpec] { Self.metricSpecs }

    static let metricSpecs: [MetricSpec] = [
        MetricSpec("task", "task being trained (1-based)"),
        MetricSpec("warm_mse", "MSE of the continually trained learner on 256 clean probe inputs"),
        MetricSpec("fresh_mse", "MSE of the learner restarted on this task, same probe"),
        MetricSpec("warm_fresh_ratio", "warm ÷ fresh MSE on all inputs at the end of the last finished task (NaN before)", mayBeUndefined: true),
        MetricSpec("fau_l1", "fraction of active units, first hidden layer (warm)"),
        MetricSpec("fau_l2", "fraction of active units, second hidden layer (warm)"),
        MetricSpec("dormant_l1", "fraction of dormant units (ReDo, τ 0.025), first hidden layer"),
        MetricSpec("dormant_l2", "fraction of dormant units (ReDo, τ 0.025), second hidden layer"),
        MetricSpec("eff_rank", "effective rank exp(H(σ/|σ|₁)) of the second hidden layer's features", mayBeUndefined: true),
        MetricSpec("srank", "srank (δ 0.01) of the second hidden layer's features", mayBeUndefined: true),
        MetricSpec("weight_norm", "Frobenius norm of the warm learner's weights"),
    ]

    public var viewNames: [String] { PlasticitySimulation.viewNames }
    public var views: [ViewSpec] {
        [ViewSpec("task_losses", "MSE at the end of each task, warm vs fresh"),
         ViewSpec("unit_activity", "second hidden layer on 64 probe inputs (rows) x units: dead units are black columns"),
         ViewSpec("receptive_fields", "first-layer weights of the warm learner as 8x8 tiles")]
    }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        PlasticitySimulation(config: config, seed: seed)
    }

    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let sizes = [64] + config.hidden + [10]
        let params = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0 * $1.1 + $1.1) }
        let batch = Double(selection.rules.map(\.batch).max() ?? 1)
        let h = Double(config.hidden[1])
        c.bytes = params * 4 * 10 + Double(config.tasks + 1) * Double(config.inputs) * 74 * 4
        // Two learners per step; at each task end both over all inputs; measures: probes + an eigen of h x h.
        c.stepFlops = 2 * 6 * params * batch + 2 * 2 * params * Double(config.inputs) / Double(config.stepsPerTask)
            + (6 * 2 * params * 256 + h * h * 256 + h * h * h) / Double(max(1, metricsEvery))
        c.setupFlops = Double(config.tasks) * Double(config.inputs) * 2 * Double(64 * config.teacherHidden + config.teacherHidden * 10)
        return c
    }
}
