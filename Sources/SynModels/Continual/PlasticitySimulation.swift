import SynCore

/// Loss of plasticity under moving targets (science page 32, the supervised stand-in for Ma et
/// al.'s RL critic; scene `plasticity-loss`). Inputs are the first `inputs` training digits; task
/// t's targets are the outputs of a fresh random teacher 64-64 tanh-10 (W ~ N(0, 1/fan_in), each
/// output z-scored over the inputs). A "warm" learner trains on task after task with one
/// optimiser state; at the start of every task a "fresh" learner (new weights, new optimiser
/// state) starts on the same task, and both see the same (optionally noise-augmented) batches.
/// One step = one update of both learners; the big step is one task.
///
/// Metrics: `task`, `warm_mse` and `fresh_mse` (on a fixed probe of 256 clean inputs),
/// `warm_fresh_ratio` (MSE on all clean inputs at the end of the last finished task, warm ÷ fresh),
/// the warm learner's `fau_l1`, `fau_l2`, `dormant_l1`, `dormant_l2` (τ 0.025), `eff_rank` and
/// `srank` (δ 0.01) of its second hidden layer on the probe (`UnitActivity`), `weight_norm`.
public struct PlasticitySimulation: Simulation {
    public struct Config: Sendable {
        public var hidden: [Int]
        public var activation: Activation
        public var teacherHidden: Int
        public var inputs: Int
        public var tasks: Int
        public var stepsPerTask: Int
        public var rules: [any MLPLearningRule]
        public var start: Int
        /// σ of the Gaussian noise added to training inputs (live control `input_noise`).
        public var inputNoise: Double
        /// Every task uses the first teacher (a stationary control, live control `targets`).
        public var stationary: Bool
        public init(hidden: [Int] = [128, 128], activation: Activation = .relu, teacherHidden: Int = 64, inputs: Int = 1000,
                    tasks: Int = 12, stepsPerTask: Int = 300, rules: [any MLPLearningRule], start: Int,
                    inputNoise: Double = 0, stationary: Bool = false) {
            self.hidden = hidden; self.activation = activation; self.teacherHidden = teacherHidden; self.inputs = inputs
            self.tasks = tasks; self.stepsPerTask = stepsPerTask; self.rules = rules; self.start = start
            self.inputNoise = inputNoise; self.stationary = stationary
        }
    }

    public static let metricNames = ["task", "warm_mse", "fresh_mse", "warm_fresh_ratio", "fau_l1", "fau_l2",
                                     "dormant_l1", "dormant_l2", "eff_rank", "srank", "weight_norm"]
    public static let viewNames = ["task_losses", "unit_activity", "receptive_fields"]
    static let probeCount = 256

    public let config: Config
    public private(set) var warm: MLP
    public private(set) var fresh: MLP
    public private(set) var step = 0
    public private(set) var activeRule: Int
    /// MSE on all clean inputs at the end of each finished task.
    public private(set) var warmEnd: [Double] = []
    public private(set) var freshEnd: [Double] = []
    public var dt: Double { 0 }
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "task", steps: config.stepsPerTask) }
    public var ruleEquation: String { warmLearner.rule.equation }

    private let x: Matrix
    /// Targets of every task's teacher (inputs x outputs each).
    private let targets: [Matrix]
    private var warmLearner: MLPLearner
    private var freshLearner: MLPLearner
    private var stream: SampleStream
    private var noiseRNG: RNG
    private let root: RNG
    private var inputNoise: Double
    private var stationary: Bool
    private var scratch: [Float]
    private var eta: Float

    public init(config: Config, seed: UInt64) {
        precondition(config.tasks > 0 && config.stepsPerTask > 0 && !config.rules.isEmpty && config.hidden.count >= 2)
        self.config = config
        root = RNG(seed: seed)
        let digits = Tasks.digits().train
        let n = min(config.inputs, digits.count)
        x = Matrix(rows: n, cols: digits.inputs, storage: Array(digits.x.storage.prefix(n * digits.inputs)))
        var teacherRNG = root.stream("teachers")
        let input = x
        targets = (0..<config.tasks).map { _ in
            var t = MLP(sizes: [input.cols, config.teacherHidden, 10], hidden: .tanh, output: .linear, rng: &teacherRNG)
            return Self.standardizedOutputs(&t, input)
        }
        let sizes = [x.cols] + config.hidden + [10]
        var initRNG = root.stream("init")
        warm = MLP(sizes: sizes, hidden: config.activation, output: .linear, rng: &initRNG)
        var freshRNG = root.stream("fresh").stream(0)
        fresh = MLP(sizes: sizes, hidden: config.activation, output: .linear, rng: &freshRNG)
        activeRule = config.start
        eta = config.rules[config.start].eta
        warmLearner = MLPLearner(rule: config.rules[config.start], layout: warm.layout, rng: root.stream("rule"))
        freshLearner = MLPLearner(rule: config.rules[config.start], layout: fresh.layout, rng: root.stream("rule_fresh"))
        stream = SampleStream(count: n, rng: root.stream("order"))
        noiseRNG = root.stream("noise")
        inputNoise = config.inputNoise
        stationary = config.stationary
        scratch = [Float](repeating: 0, count: x.cols)
    }

    /// The teacher's outputs on every input, each output z-scored over the inputs.
    static func standardizedOutputs(_ teacher: inout MLP, _ x: Matrix) -> Matrix {
        var y = Matrix(rows: x.rows, cols: teacher.outputs)
        for i in 0..<x.rows { y.setRow(i, teacher.predict(x.row(i))) }
        for k in 0..<y.cols {
            var m = 0.0, s = 0.0
            for i in 0..<y.rows { m += Double(y[i, k]) }
            m /= Double(y.rows)
            for i in 0..<y.rows { s += (Double(y[i, k]) - m) * (Double(y[i, k]) - m) }
            let sd = (s / Double(y.rows)).squareRoot()
            for i in 0..<y.rows { y[i, k] = sd > 0 ? Float((Double(y[i, k]) - m) / sd) : 0 }
        }
        return y
    }

    public func task(at s: Int) -> Int { min(s / config.stepsPerTask, config.tasks - 1) }
    private func teacher(_ t: Int) -> Int { stationary ? 0 : t }

    public var events: [SimulationEvent] {
        (1..<max(1, config.tasks)).compactMap { t in
            let s = t * config.stepsPerTask
            return s <= step ? SimulationEvent(step: s, label: "task \(t + 1)") : nil
        }
    }

    public var controls: [Control] {
        [Control(name: "eta", value: Double(eta), range: 1e-6...1, step: Double(eta) / 4),
         Control(name: "input_noise", value: inputNoise, range: 0...1, step: 0.1),
         Control(name: "targets", value: stationary ? 1 : 0, range: 0...1, step: 1, labels: ["new teacher per task", "one fixed teacher"])]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "eta":
            eta = Float(value)
            warmLearner.setEta(eta)
            freshLearner.setEta(eta)
        case "input_noise": inputNoise = value
        case "targets":
            guard value == value.rounded() else { return "targets: expected 0 (new teacher per task) or 1 (one fixed teacher), got \(value)" }
            stationary = value == 1
        default: return "unknown control '\(name)'"
        }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        eta = config.rules[index].eta
        warmLearner.reset(rule: config.rules[index])
        freshLearner.reset(rule: config.rules[index])
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            let k = task(at: step)
            let y = targets[teacher(k)]
            for _ in 0..<warmLearner.rule.batch {
                let i = stream.next()
                for j in 0..<x.cols {
                    scratch[j] = x[i, j] + (inputNoise > 0 ? Float(inputNoise) * noiseRNG.normal() : 0)
                }
                scratch.withUnsafeBufferPointer { xb in
                    y.storage.withUnsafeBufferPointer { yb in
                        guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                        _ = warmLearner.train(&warm, x: xp, t: yp + i * y.cols)
                        _ = freshLearner.train(&fresh, x: xp, t: yp + i * y.cols)
                    }
                }
            }
            step += 1
            if step % config.stepsPerTask == 0 && step / config.stepsPerTask <= config.tasks {
                warmEnd.append(Self.mse(&warm, x, y, count: x.rows))
                freshEnd.append(Self.mse(&fresh, x, y, count: x.rows))
                if step / config.stepsPerTask < config.tasks { restartFresh(task: step / config.stepsPerTask) }
            }
        }
    }

    /// A new fresh learner (weights and optimiser state) for task t.
    private mutating func restartFresh(task t: Int) {
        var rng = root.stream("fresh").stream(t)
        fresh = MLP(sizes: fresh.sizes, hidden: config.activation, output: .linear, rng: &rng)
        freshLearner.reset(rule: warmLearner.rule)
    }

    /// Mean over samples and outputs of (a − t)² on the first `count` inputs.
    static func mse(_ net: inout MLP, _ x: Matrix, _ y: Matrix, count: Int) -> Double {
        var s = 0.0
        for i in 0..<count {
            let out = net.predict(x.row(i))
            for k in 0..<y.cols { let e = Double(out[k] - y[i, k]); s += e * e }
        }
        return s / Double(count * y.cols)
    }

    /// Activities of the first two hidden layers of the warm learner on the probe inputs.
    private mutating func features() -> (Matrix, Matrix) {
        let n = min(Self.probeCount, x.rows)
        var f1 = Matrix(rows: n, cols: warm.sizes[1]), f2 = Matrix(rows: n, cols: warm.sizes[2])
        for i in 0..<n {
            _ = warm.predict(x.row(i))
            f1.setRow(i, warm.activity(1))
            f2.setRow(i, warm.activity(2))
        }
        return (f1, f2)
    }

    public mutating func measure() -> [Double] {
        let y = targets[teacher(task(at: max(0, step - 1)))]
        let probe = min(Self.probeCount, x.rows)
        let (f1, f2) = features()
        let sigma = UnitActivity.singularValues(f2)
        var wn = 0.0
        for l in 0..<warm.layers {
            for k in warm.layout.wOffset[l]..<(warm.layout.wOffset[l] + warm.layout.weightCount(l)) { wn += Double(warm.params[k] * warm.params[k]) }
        }
        let ratio = warmEnd.last.flatMap { w in freshEnd.last.map { w / $0 } } ?? .nan
        return [Double(task(at: max(0, step - 1)) + 1), Self.mse(&warm, x, y, count: probe), Self.mse(&fresh, x, y, count: probe), ratio,
                UnitActivity.activeFraction(f1, activation: config.activation), UnitActivity.activeFraction(f2, activation: config.activation),
                UnitActivity.dormantFraction(f1), UnitActivity.dormantFraction(f2),
                UnitActivity.effectiveRank(sigma), UnitActivity.stableRank(sigma), wn.squareRoot()]
    }

    public func views() -> [String: PanelView] {
        var v: [String: PanelView] = [:]
        let tasks = (0..<warmEnd.count).map { Float($0 + 1) }
        v["task_losses"] = .traces(TracesView(names: ["warm", "fresh"], series: [warmEnd.map(Float.init), freshEnd.map(Float.init)],
                                              unit: "MSE at task end", xs: [tasks, tasks], xLabel: "task"))
        // Second hidden layer on 64 probe inputs: dead units are black columns.
        var net = warm
        let n = min(64, x.rows), h = warm.sizes[2]
        var act = [Float](repeating: 0, count: n * h)
        for i in 0..<n {
            _ = net.predict(x.row(i))
            let a = net.activity(2)
            for j in 0..<h { act[i * h + j] = a[j] }
        }
        let top = act.max() ?? 0
        v["unit_activity"] = .heatmap(HeatmapView(rows: n, cols: h, values: act, scale: .fixed(0, top > 0 ? top : 1)))
        let w0 = warm.weights(0)
        v["receptive_fields"] = .heatmap(HeatmapView(rows: w0.rows, cols: w0.cols, values: w0.storage, tile: TileShape(rows: 8, cols: 8),
                                                     scale: .symmetric(MLPSimulation.niceScale(w0.storage))))
        return v
    }
}
