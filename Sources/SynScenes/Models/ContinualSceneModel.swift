import SynCore
import SynModels

/// `model = "continual"`: an MLP learning a sequence of digit tasks (split by class pairs,
/// permuted or rotated) with continual evaluation, the accuracy matrix and switchable arms
/// (fine-tuning, replay, HLOP, CLASSP, AdaGrad) (scenes `stability-gap`, `hlop`, `classp`).
///
/// ```toml
/// [task]
/// sequence = "split"        # split ({0,1}, {2,3}, ...) | permuted (π_1 = identity) | rotated
/// classes_per_task = 2      # split: classes per task, in [1, 5]
/// tasks = 4                 # permuted: number of tasks, in [2, 10]
/// angles = [0, 45, 90]      # rotated: degrees per task (2 to 10 tasks)
/// steps_per_task = 300      # minibatch updates per task, in [1, 100000]
/// batch = 16                # new samples per update, in [1, 1024]
/// [network]
/// hidden = [100, 100]       # hidden layer sizes, each in [1, 1024], 1 to 4 layers
/// activation = "relu"       # linear | tanh | relu | sigmoid | softplus | gelu
/// biases = true             # false: biases stay 0 (HLOP's networks)
/// [evaluation]
/// every = 1                 # evaluate every task every k steps, k in [1, 100000]
/// task_ends_only = false    # start with evaluation at task ends only (live control "evaluation")
/// samples = 300             # test samples per task evaluated, in [1, 2000]
/// window = 10               # Δ of WF / WP in evaluations, in [2, 1000]
/// lca = 10                  # β of LCA in evaluations, in [1, 1000]
/// [memory]
/// per_class = 20            # samples per class of each finished task kept for replay, in [0, 1000]
/// [lateral]                 # optional: HLOP's lateral neurons (Hebbian phase after each task)
/// input_rows = 12           # new lateral neurons per task on the input layer, in [1, 64]
/// hidden_rows = 20          # new lateral neurons per task on the first hidden layer, in [1, 1024]
/// iterations = 300          # Hebbian iterations after each task, in [1, 100000]
/// batch = 64                # samples per Hebbian iteration, in [1, 1024]
/// eta = 0.05                # Oja rate × mean |a⊥|² (per-sample rate relative to activity power), in (0, 1]
/// [rule]
/// name = "replay"           # a rule of `ContinualRules.registry` (`synaptop rules continual`)
/// switchable = ["finetune", "replay"]
/// ```
public struct ContinualSceneModel: SceneModel {
    public static let kind = "continual"
    public static var ruleFamily: String { ContinualRules.registry.family }
    public static let summary = "an MLP learning a sequence of digit tasks: continual evaluation, accuracy matrix, replay, HLOP, CLASSP"

    enum Sequence: Sendable {
        case split(classesPerTask: Int)
        case permuted(tasks: Int)
        case rotated(degrees: [Double])
    }

    let sequence: Sequence
    let config: ContinualSimulation.Config
    let selection: RuleSelection<any ContinualLearningRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var t = try scene.table("task")
        let name = try t.string("sequence", oneOf: ["split", "permuted", "rotated"])
        switch name {
        case "split": sequence = .split(classesPerTask: try t.integer("classes_per_task", in: 1...5, default: 2))
        case "permuted": sequence = .permuted(tasks: try t.integer("tasks", in: 2...10, default: 4))
        default:
            let angles = try t.numbers("angles", in: .closed(-360, 360), count: 2...10, default: [0, 45, 90])
            sequence = .rotated(degrees: angles)
        }
        t.tolerate(["classes_per_task", "tasks", "angles"])
        let stepsPerTask = try t.integer("steps_per_task", in: 1...100_000, default: 300)
        let batch = try t.integer("batch", in: 1...1024, default: 16)
        try t.finish()
        var n = try scene.table("network")
        let hidden = try n.integers("hidden", in: 1...1024, count: 1...4, default: [100])
        let acts = Activation.hiddenChoices.map(\.rawValue)
        let activation = Activation(rawValue: try n.string("activation", oneOf: acts, default: "relu")) ?? .relu
        let biases = try n.bool("biases", default: true)
        try n.finish()
        var e = try scene.table("evaluation")
        let every = try e.integer("every", in: 1...100_000, default: 1)
        let endsOnly = try e.bool("task_ends_only", default: false)
        let samples = try e.integer("samples", in: 1...2000, default: 300)
        let window = try e.integer("window", in: 2...1000, default: 10)
        let lca = try e.integer("lca", in: 1...1000, default: 10)
        try e.finish()
        var m = try scene.table("memory")
        let perClass = try m.integer("per_class", in: 0...1000, default: 20)
        try m.finish()
        var lateral: ContinualSimulation.Lateral?
        if scene.has("lateral") {
            var l = try scene.table("lateral")
            let inputRows = try l.integer("input_rows", in: 1...64, default: 12)
            let hiddenRows = try l.integer("hidden_rows", in: 1...1024, default: 20)
            guard hiddenRows <= hidden[0] else {
                throw l.error("hidden_rows", "expected an integer in [1, \(hidden[0])] (at most the first hidden layer), got \(hiddenRows)")
            }
            lateral = .init(inputRows: inputRows, hiddenRows: hiddenRows,
                            iterations: try l.integer("iterations", in: 1...100_000, default: 300),
                            batch: try l.integer("batch", in: 1...1024, default: 64),
                            eta: try l.number("eta", in: .openClosed(0, 1), default: 0.05))
            try l.finish()
        }
        var r = try scene.table("rule")
        selection = try r.rules(from: ContinualRules.registry, default: "finetune")
        try r.finish()
        if selection.rules.contains(where: \.projectsUpdates) && lateral == nil {
            throw scene.error("lateral", "the hlop rule needs a [lateral] table (its lateral neurons)")
        }
        config = .init(hidden: hidden, activation: activation, biases: biases, stepsPerTask: stepsPerTask, batch: batch,
                       rules: selection.rules, start: selection.start, evalEvery: every, evalAtTaskEndsOnly: endsOnly,
                       evalLimit: samples, memoryPerClass: perClass, lateral: lateral, window: window, lcaCount: lca)
    }

    var taskCount: Int {
        switch sequence {
        case .split(let c): (10 + c - 1) / c
        case .permuted(let n): n
        case .rotated(let d): d.count
        }
    }

    var replays: Bool { selection.rules.contains { $0.replayBatch > 0 } }

    public var metricNames: [String] {
        ContinualSimulation.metricNames(tasks: taskCount, replay: replays, lateral: config.lateral != nil)
    }

    public static var metricCatalog: [MetricSpec] { metricSpecs(ContinualSimulation.metricNames(tasks: 10, replay: true, lateral: true)) }

    public var metrics: [MetricSpec] { Self.metricSpecs(metricNames) }

    static let meanings: [String: (String, Bool)] = [
        "task": ("task being trained (1-based)", false),
        "loss": ("cross-entropy of the last step's new minibatch (NaN before the first step)", true),
        "acc": ("mean test accuracy over the tasks seen so far, last evaluation", false),
        "bwt": ("backward transfer from R after the last finished task (NaN before two)", true),
        "forgetting": ("mean (best earlier − current) accuracy of finished tasks, from R", true),
        "fwt": ("forward transfer: mean R[u-1, u] − (task u's accuracy at initialisation) over the finished tasks' successors (NaN before two)", true),
        "min_acc": ("mean running minimum of each finished task's accuracy since its end", true),
        "wc_acc": ("worst-case accuracy: (1/k) A_current + (1 − 1/k) min_acc", true),
        "wf": ("windowed forgetting: largest drop of finished tasks within the last Δ evaluations", true),
        "wp": ("windowed plasticity: largest rise of the current task within the last Δ evaluations", true),
        "lca": ("learning-curve area: mean accuracy over each task's first β evaluations", true),
        "update_fraction": ("fraction of parameters changed by the last step", true),
        "grad_norm_new": ("|mean gradient| of the step's new samples", true),
        "grad_norm_replay": ("|mean gradient| of the step's replayed samples (NaN without replay)", true),
        "orth_error": ("max |H Hᵀ − I| of the input layer's lateral rows (NaN before the first)", true),
        "subspace_capture": ("second moment of a⊥ captured by the last task's new rows ÷ best possible", true),
    ]

    static func metricSpecs(_ names: [String]) -> [MetricSpec] {
        names.map { name in
            if let (meaning, undefined) = meanings[name] { return MetricSpec(name, meaning, mayBeUndefined: undefined) }
            return MetricSpec(name, "test accuracy of task \(name.dropFirst(5)) at the last evaluation (NaN before it starts)", mayBeUndefined: true)
        }
    }

    public var viewNames: [String] { ContinualSimulation.viewNames(lateral: config.lateral != nil) }

    public var views: [ViewSpec] {
        [ViewSpec("accuracy_matrix", "R[t, u]: accuracy on task u (column) after task t (row); the current row fills in live"),
         ViewSpec("receptive_fields", "first-layer weights as 8x8 tiles"),
         ViewSpec("consolidation", "per-weight accumulator of W1 (classp, adagrad) as 8x8 tiles: what earlier tasks claimed")]
            + (config.lateral != nil ? [ViewSpec("lateral_gram", "H Hᵀ of the input layer's lateral neurons (→ I)")] : [])
    }

    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        let base = Tasks.digits()
        let tasks: [SupervisedTask]
        switch sequence {
        case .split(let c): tasks = ContinualTasks.split(base, classesPerTask: c)
        case .permuted(let count):
            var rng = RNG(seed: seed).stream("permutations")
            tasks = ContinualTasks.permuted(base, count: count, rng: &rng)
        case .rotated(let d): tasks = ContinualTasks.rotated(base, degrees: d)
        }
        return ContinualSimulation(config: config, tasks: tasks, seed: seed)
    }

    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let sizes = [64] + config.hidden + [10]
        let params = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0 * $1.1 + $1.1) }
        let t = Double(taskCount)
        // Weights, two gradients, the rule's accumulator; the task copies of the digits.
        c.bytes = params * 4 * 4 + t * 1797 * 74 * 4
        let replay = Double(selection.rules.map(\.replayBatch).max() ?? 0)
        let evalPerStep = t * Double(min(config.evalLimit, 1797)) * 2 * params / Double(config.evalEvery)
        c.stepFlops = 6 * params * Double(config.batch + Int(replay)) + evalPerStep
        if let l = config.lateral {
            // The Hebbian phase after each task, spread over its steps.
            let n0 = 64.0, n1 = Double(config.hidden[0])
            let phase = Double(l.iterations * l.batch) * 3 * (n0 * Double(l.inputRows) + n1 * Double(l.hiddenRows)) + n1 * n1 * 1500
            c.stepFlops += phase / Double(config.stepsPerTask)
        }
        c.setupFlops = t * 1797 * 64 * 4
        return c
    }
}
