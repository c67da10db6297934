import SynCore

/// A network learning a sequence of classification tasks one after another (science README,
/// "Continual-learning protocol"; scenes `stability-gap`, `hlop`, `classp`). One step = one
/// minibatch update; task t (0-based) trains during steps [t S, (t + 1) S) for S = `stepsPerTask`
/// and the last task keeps training after the schedule ends. Every task seen so far is evaluated
/// on its test set every `evalEvery` steps (continual evaluation) or only at task ends (the
/// `evaluation` control), and at each task end (the accuracy matrix R).
///
/// Metrics: `task` (1-based), `loss` (the last step's minibatch), `acc_tU` (accuracy of task U at
/// the last evaluation; NaN before task U starts), `acc`, `bwt`, `forgetting` (from R, after the
/// last finished task), `fwt` (forward transfer from R and the accuracies at initialisation), `min_acc`, `wc_acc`, `wf`, `wp`, `lca` (`ContinualEvaluation`),
/// `update_fraction` (parameters changed by the last step); with replay rules `grad_norm_new`,
/// `grad_norm_replay` (|mean gradient| of the step's new and replayed samples); with lateral
/// neurons `orth_error`, `subspace_capture` (`LateralSubspace`, input layer).
public struct ContinualSimulation: Simulation {
    /// HLOP's lateral neurons: new rows per task for the input and the first hidden layer, and
    /// the Hebbian phase after each task.
    public struct Lateral: Sendable {
        public var inputRows: Int
        public var hiddenRows: Int
        public var iterations: Int
        public var batch: Int
        /// Oja rate relative to the activity power (`LateralSubspace.learnTask`).
        public var eta: Double
        public init(inputRows: Int, hiddenRows: Int, iterations: Int, batch: Int = 64, eta: Double) {
            self.inputRows = inputRows; self.hiddenRows = hiddenRows; self.iterations = iterations; self.batch = batch; self.eta = eta
        }
    }

    public struct Config: Sendable {
        public var hidden: [Int]
        public var activation: Activation
        /// false: biases stay 0 (the HLOP paper's networks have none).
        public var biases: Bool
        public var stepsPerTask: Int
        public var batch: Int
        public var rules: [any ContinualLearningRule]
        public var start: Int
        public var evalEvery: Int
        /// Start evaluating only at task ends (the `evaluation` control).
        public var evalAtTaskEndsOnly: Bool
        /// Test samples per task evaluated (the first ones).
        public var evalLimit: Int
        /// Samples of each class of a finished task put in the episodic memory.
        public var memoryPerClass: Int
        public var lateral: Lateral?
        /// Δ (evaluations) of WF / WP and β of LCA.
        public var window: Int
        public var lcaCount: Int

        public init(hidden: [Int], activation: Activation = .relu, biases: Bool = true, stepsPerTask: Int, batch: Int,
                    rules: [any ContinualLearningRule], start: Int, evalEvery: Int = 1, evalAtTaskEndsOnly: Bool = false,
                    evalLimit: Int = 300, memoryPerClass: Int = 20, lateral: Lateral? = nil, window: Int = 10, lcaCount: Int = 10) {
            self.hidden = hidden; self.activation = activation; self.biases = biases; self.stepsPerTask = stepsPerTask
            self.batch = batch; self.rules = rules; self.start = start; self.evalEvery = evalEvery
            self.evalAtTaskEndsOnly = evalAtTaskEndsOnly; self.evalLimit = evalLimit; self.memoryPerClass = memoryPerClass
            self.lateral = lateral; self.window = window; self.lcaCount = lcaCount
        }
    }

    public let config: Config
    public let tasks: [SupervisedTask]
    public private(set) var net: MLP
    public private(set) var rule: any ContinualLearningRule
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public private(set) var matrix: AccuracyMatrix
    public private(set) var evaluation: ContinualEvaluation
    /// Lateral subspaces of the input and first hidden layer (HLOP), else empty.
    public private(set) var lateral: [LateralSubspace]
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "task", steps: config.stepsPerTask) }
    public var ruleEquation: String { rule.equation }
    public var viewNames: [String] { Self.viewNames(lateral: config.lateral != nil) }
    public var ruleStateViewNames: [String] { ["consolidation"] }

    private var streams: [SampleStream]
    /// Episodic memory: (task, training-sample index) pairs of finished tasks.
    private var memory: [(task: Int, index: Int)] = []
    private var memoryRNG: RNG
    private var replayRNG: RNG
    private var hebbianRNG: RNG
    private var grad: [Float]
    private var gradReplay: [Float]
    private var evalAtTaskEndsOnly: Bool
    private var lastLoss = Double.nan
    private var gradNormNew = Double.nan
    private var gradNormReplay = Double.nan
    private var updateFraction = Double.nan
    /// Index of the first `acc_t1` column in `metricNames`.
    private let taskColumns: Int

    public init(config: Config, tasks: [SupervisedTask], seed: UInt64) {
        precondition(!tasks.isEmpty && tasks.allSatisfy { $0.inputs == tasks[0].inputs && $0.outputs == tasks[0].outputs })
        precondition(!config.rules.isEmpty && config.stepsPerTask > 0 && config.batch > 0)
        self.config = config
        self.tasks = tasks
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        net = MLP(sizes: [tasks[0].inputs] + config.hidden + [tasks[0].outputs], hidden: config.activation, output: .softmax, rng: &initRNG)
        activeRule = config.start
        rule = config.rules[config.start]
        rule.bind(parameterCount: net.layout.paramCount)
        streams = tasks.enumerated().map { t, task in SampleStream(count: task.train.count, rng: root.stream("order").stream(t)) }
        memoryRNG = root.stream("memory")
        replayRNG = root.stream("replay")
        hebbianRNG = root.stream("hebbian")
        grad = [Float](repeating: 0, count: net.layout.paramCount + 1)
        gradReplay = grad
        evalAtTaskEndsOnly = config.evalAtTaskEndsOnly
        matrix = AccuracyMatrix(tasks: tasks.count)
        evaluation = ContinualEvaluation(tasks: tasks.count, window: config.window, lcaCount: config.lcaCount)
        lateral = config.lateral == nil ? [] : [LateralSubspace(inputs: net.sizes[0]), LateralSubspace(inputs: net.sizes[1])]
        let names = Self.metricNames(tasks: tasks.count, replay: config.rules.contains { $0.replayBatch > 0 }, lateral: config.lateral != nil)
        metricNames = names
        taskColumns = names.firstIndex(of: "acc_t1") ?? 0
        if !config.biases { zeroBiases() }
        matrix.setBaseline(evaluate(upTo: tasks.count - 1))
        evaluation.record(task: 0, accuracies: evaluate(upTo: 0))
    }

    /// Metric names for `tasks` tasks (shared with the scene model, which knows them unbuilt).
    public static func metricNames(tasks: Int, replay: Bool, lateral: Bool) -> [String] {
        var n = ["task", "loss", "acc", "bwt", "forgetting", "fwt", "min_acc", "wc_acc", "wf", "wp", "lca", "update_fraction"]
        if replay { n += ["grad_norm_new", "grad_norm_replay"] }
        if lateral { n += ["orth_error", "subspace_capture"] }
        return n + (1...tasks).map { "acc_t\($0)" }
    }

    public static func viewNames(lateral: Bool) -> [String] {
        ["accuracy_matrix", "receptive_fields", "consolidation"] + (lateral ? ["lateral_gram"] : [])
    }

    /// The task trained at step `s` (0-based; the last one after the schedule).
    public func task(at s: Int) -> Int { min(s / config.stepsPerTask, tasks.count - 1) }

    public var events: [SimulationEvent] {
        (1..<max(1, tasks.count)).compactMap { t in
            let s = t * config.stepsPerTask
            return s <= step ? SimulationEvent(step: s, label: "task \(t + 1)") : nil
        }
    }

    public var controls: [Control] {
        [Control(name: "eta", value: Double(rule.eta), range: 1e-6...10, step: Double(rule.eta) / 4),
         Control(name: "evaluation", value: evalAtTaskEndsOnly ? 1 : 0, range: 0...1, step: 1,
                 labels: ["every \(config.evalEvery) steps", "task ends only"])]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "eta": rule.eta = Float(value)
        case "evaluation":
            guard value == value.rounded() else { return "evaluation: expected 0 (every \(config.evalEvery) steps) or 1 (task ends only), got \(value)" }
            evalAtTaskEndsOnly = value == 1
        default: return "unknown control '\(name)'"
        }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        rule = config.rules[index]
        rule.bind(parameterCount: net.layout.paramCount)
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) { trainStep() }
    }

    /// One minibatch update, then the evaluations and task-end work due at the new step.
    private mutating func trainStep() {
        let k = task(at: step)
        let count = net.layout.paramCount
        for i in 0..<grad.count { grad[i] = 0; gradReplay[i] = 0 }
        var loss = 0.0
        let set = tasks[k].train
        for _ in 0..<config.batch {
            loss += Self.accumulate(&net, set, streams[k].next(), into: &grad)
        }
        var replayed = 0
        if rule.replayBatch > 0, !memory.isEmpty {
            for _ in 0..<rule.replayBatch {
                let m = memory[replayRNG.int(below: memory.count)]
                _ = Self.accumulate(&net, tasks[m.task].train, m.index, into: &gradReplay)
                replayed += 1
            }
        }
        lastLoss = loss / Double(config.batch)
        gradNormNew = Self.norm(grad, count) / Double(config.batch)
        gradNormReplay = replayed > 0 ? Self.norm(gradReplay, count) / Double(replayed) : .nan
        let scale = 1 / Float(config.batch + replayed)
        for i in 0..<count { grad[i] = (grad[i] + gradReplay[i]) * scale }
        if !config.biases { for l in 0..<net.layers { for i in 0..<net.sizes[l + 1] { grad[net.layout.bOffset[l] + i] = 0 } } }
        if rule.projectsUpdates { projectGradient() }
        var r = rule
        let changed = grad.withUnsafeBufferPointer { gb in
            net.params.withUnsafeMutableBufferPointer { pb in
                guard let g = gb.baseAddress, let p = pb.baseAddress else { return 0 }
                return r.apply(g, to: p, count: count, task: k)
            }
        }
        rule = r
        updateFraction = Double(changed) / Double(count)
        step += 1
        if step % config.stepsPerTask == 0 && step / config.stepsPerTask <= tasks.count {
            let accs = evaluate(upTo: k)
            // R[k, k + 1]: the next task before its training (FWT); the evaluation keeps NaN there.
            var row = accs
            if k + 1 < tasks.count { row[k + 1] = evaluate(upTo: k + 1)[k + 1] }
            matrix.setRow(k, row)
            evaluation.record(task: k, accuracies: accs)
            finishTask(k)
        } else if !evalAtTaskEndsOnly && step % config.evalEvery == 0 {
            let now = task(at: step - 1)
            evaluation.record(task: now, accuracies: evaluate(upTo: now))
        }
    }

    /// Adds the gradient of sample `i` of `set` to `g`; returns its loss.
    private static func accumulate(_ net: inout MLP, _ set: TaskSet, _ i: Int, into g: inout [Float]) -> Double {
        let nIn = set.inputs, nOut = set.outputs
        return set.x.storage.withUnsafeBufferPointer { xb in
            set.y.storage.withUnsafeBufferPointer { yb in
                g.withUnsafeMutableBufferPointer { gb in
                    guard let x = xb.baseAddress, let y = yb.baseAddress, let gp = gb.baseAddress else { return 0 }
                    return net.withCore { c in
                        c.forward(x + i * nIn)
                        let l = c.outputDelta(y + i * nOut)
                        c.backward(.backprop)
                        c.accumulateGradient(into: gp, scale: 1)
                        return Double(l)
                    }
                }
            }
        }
    }

    /// g_W_l ← g_W_l (I − H_lᵀ H_l) for the layers with lateral neurons.
    private mutating func projectGradient() {
        let lay = net.layout
        let subspaces = lateral
        grad.withUnsafeMutableBufferPointer { gb in
            guard let g = gb.baseAddress else { return }
            for (l, h) in subspaces.enumerated() where l < lay.layers {
                h.project(g + lay.wOffset[l], outputs: lay.sizes[l + 1])
            }
        }
    }

    /// Task-end work: memory samples of task k, and HLOP's Hebbian phase on its activity.
    private mutating func finishTask(_ k: Int) {
        let set = tasks[k].train
        if config.memoryPerClass > 0 {
            var order = Array(0..<set.count)
            memoryRNG.shuffle(&order)
            var taken = [Int: Int]()
            for i in order where taken[set.labels[i], default: 0] < config.memoryPerClass {
                taken[set.labels[i], default: 0] += 1
                memory.append((k, i))
            }
        }
        guard let lat = config.lateral else { return }
        let rows = [lat.inputRows, lat.hiddenRows]
        for l in lateral.indices {
            let n = net.sizes[l]
            var acts = Matrix(rows: set.count, cols: n)
            for s in 0..<set.count {
                let a = l == 0 ? set.x.row(s) : { _ = net.predict(set.x.row(s)); return net.activity(1) }()
                for j in 0..<n { acts.storage[s * n + j] = a[j] }
            }
            var rng = hebbianRNG.stream(k * 2 + l)
            lateral[l].learnTask(activity: acts, newRows: rows[l], iterations: lat.iterations, batch: lat.batch, eta: lat.eta, rng: &rng)
        }
    }

    /// Test accuracy of tasks 0...k (NaN for later tasks) on the first `evalLimit` samples each.
    private mutating func evaluate(upTo k: Int) -> [Double] {
        var out = [Double](repeating: .nan, count: tasks.count)
        for u in 0...k {
            let set = tasks[u].test
            let n = min(set.count, config.evalLimit)
            var correct = 0
            set.x.storage.withUnsafeBufferPointer { xb in
                guard let x = xb.baseAddress else { return }
                for i in 0..<n {
                    net.withCore { $0.forward(x + i * set.inputs) }
                    if net.argmaxOutput() == set.labels[i] { correct += 1 }
                }
            }
            out[u] = n > 0 ? Double(correct) / Double(n) : .nan
        }
        return out
    }

    private mutating func zeroBiases() {
        for l in 0..<net.layers { for i in 0..<net.sizes[l + 1] { net.params[net.layout.bOffset[l] + i] = 0 } }
    }

    static func norm(_ v: [Float], _ n: Int) -> Double {
        var s = 0.0
        for i in 0..<n { s += Double(v[i]) * Double(v[i]) }
        return s.squareRoot()
    }

    /// The last finished task (−1 before the first ends).
    private var finished: Int { min(step / config.stepsPerTask, tasks.count) - 1 }

    public mutating func measure() -> [Double] {
        let f = finished
        var v: [Double] = [Double(task(at: max(0, step - 1)) + 1), lastLoss, evaluation.averageAccuracy,
                           f >= 0 ? matrix.bwt(after: f) : .nan, f >= 0 ? matrix.forgetting(after: f) : .nan,
                           f >= 0 ? matrix.fwt(after: f) : .nan,
                           evaluation.minACC, evaluation.wcACC, evaluation.windowedForgetting, evaluation.windowedPlasticity,
                           evaluation.lca, updateFraction]
        if metricNames.contains("grad_norm_new") { v += [gradNormNew, gradNormReplay] }
        if config.lateral != nil {
            v += [lateral.first?.count ?? 0 > 0 ? lateral[0].orthError : .nan, lateral.first?.capture ?? .nan]
        }
        v += evaluation.latest
        precondition(v.count == metricNames.count && taskColumns + tasks.count == v.count)
        return v
    }

    public func views() -> [String: PanelView] {
        var v: [String: PanelView] = [:]
        // R with the current task's row filled live from the last evaluation.
        var r = matrix.values
        let k = evaluation.current
        if k > finished, k < tasks.count {
            for u in 0..<tasks.count { r[k * tasks.count + u] = evaluation.latest[u] }
        }
        v["accuracy_matrix"] = .heatmap(HeatmapView(rows: tasks.count, cols: tasks.count, values: r.map(Float.init), scale: .fixed(0, 1)))
        let w0 = net.weights(0)
        let tile = tasks[0].imageRows > 0 ? TileShape(rows: tasks[0].imageRows, cols: tasks[0].imageCols) : nil
        v["receptive_fields"] = .heatmap(HeatmapView(rows: w0.rows, cols: w0.cols, values: w0.storage, tile: tile,
                                                     scale: .symmetric(MLPSimulation.niceScale(w0.storage))))
        if let a = rule.accumulator, a.count >= w0.storage.count {
            let first = Array(a.prefix(w0.storage.count))
            let top = first.max() ?? 0
            v["consolidation"] = .heatmap(HeatmapView(rows: w0.rows, cols: w0.cols, values: first, tile: tile, scale: .fixed(0, top > 0 ? top : 1)))
        } else {
            v["consolidation"] = .text("The rule \(rule.name) keeps no per-weight accumulator (classp and adagrad do).")
        }
        if let h = lateral.first {
            let k = h.count
            var gram = [Float](repeating: 0, count: k * k)
            for i in 0..<k { for j in 0..<k { gram[i * k + j] = Kernels.dot(h.rows.row(i), h.rows.row(j)) } }
            v["lateral_gram"] = k > 0 ? .heatmap(HeatmapView(rows: k, cols: k, values: gram, scale: .symmetric(1)))
                                      : .text("No lateral neurons yet: the first Hebbian phase runs when task 1 ends.")
        }
        return v
    }
}
