#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// Continual learning of two teacher-student tasks with binary weights in field space (science
/// page 9, scene `binary-continual`). Teacher 1 is a random ±1 vector of length N; teacher 2 is
/// teacher 1 with a fraction (1 − ρ)/2 of its signs flipped (overlap ρ, exactly up to rounding:
/// the flips are the first k entries of a fixed random order, so moving ρ changes nested sets).
/// Task t has P_t = α_t N examples x ~ N(0, I_N), y = sign(w*ᵗ · x).
///
/// Two students train side by side on the same minibatches with the same optimiser (a
/// `DynamicsRule` on θ): the **variational** arm minimises `BinaryVariational.objective` with the
/// KL anchor λ to its own fields θ' after task 1; the **plain** arm has λ = 0. Task 1 uses λ = 0
/// for both (the page's smallest experiment), so the arms differ only from the task switch on,
/// where θ' is frozen and the optimiser state restarts. After task 2's steps the run stays on
/// task 2. One step = one minibatch update of both arms; the big step is one task.
public struct BinaryVariationalSimulation: Simulation {
    public struct Config: Sendable {
        public var n: Int
        public var alpha1: Double
        public var alpha2: Double
        public var rho: Double
        public var lambda: Double
        public var stepsPerTask: Int
        public var batch: Int
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(n: Int = 300, alpha1: Double = 1, alpha2: Double = 1, rho: Double = 0.5, lambda: Double = 1,
                    stepsPerTask: Int = 3000, batch: Int = 64, rules: [any DynamicsRule], start: Int = 0) {
            self.n = n; self.alpha1 = alpha1; self.alpha2 = alpha2; self.rho = rho; self.lambda = lambda
            self.stepsPerTask = stepsPerTask; self.batch = batch; self.rules = rules; self.start = start
        }

        /// P_t = max(1, round(α_t N)).
        public func examples(_ task: Int) -> Int { max(1, Int((Double(n) * (task == 0 ? alpha1 : alpha2)).rounded())) }
    }

    public static let metricSpecs: [MetricSpec] = [
        MetricSpec("task", "task being trained (1 or 2)"),
        MetricSpec("eps_1", "variational arm: generalisation error arccos(R_1)/π on task 1"),
        MetricSpec("eps_2", "variational arm: generalisation error arccos(R_2)/π on task 2"),
        MetricSpec("plain_eps_1", "plain arm (λ = 0): generalisation error on task 1"),
        MetricSpec("plain_eps_2", "plain arm (λ = 0): generalisation error on task 2"),
        MetricSpec("r_1", "variational arm: overlap R_1 = sign(m)·w*¹/N with teacher 1"),
        MetricSpec("r_2", "variational arm: overlap R_2 = sign(m)·w*²/N with teacher 2"),
        MetricSpec("meta_corr", "variational arm, task 2: Spearman correlation of |m_i − m'_i| with |θ'_i| (NaN in task 1)", mayBeUndefined: true),
        MetricSpec("plain_meta_corr", "plain arm, task 2: Spearman correlation of |m_i − m'_i| with |θ'_i| (NaN in task 1)", mayBeUndefined: true),
        MetricSpec("mean_abs_theta", "variational arm: mean |θ_i| (fields saturate as the arm grows confident)"),
        MetricSpec("plain_mean_abs_theta", "plain arm: mean |θ_i|"),
        MetricSpec("kl", "variational arm: KL(q_θ ‖ q_θ') to its anchor in nats (θ' = 0 in task 1)"),
        MetricSpec("loss", "variational arm: objective L_t/P on the whole current task (nats per example)"),
    ]
    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("theta_hist", "histogram of the variational arm's fields θ_i (bimodal and saturating as it learns)"),
        ViewSpec("metaplasticity", "task 2: mean |m_i − m'_i| in ten equal-count bins of |θ'_i| (fields after task 1), variational vs plain"),
    ]
    /// Arm indices.
    public static let variational = 0, plain = 1

    struct Arm: Sendable {
        var theta: [Float]
        var prior: [Float]
        var state: DynamicsRuleState
        var gradient: [Float]

        /// One optimiser step on the objective of this minibatch.
        mutating func update(_ rule: any DynamicsRule, lambda: Double, examples: Int, x: Matrix, y: [Float], batch: [Int], mask: [Float]) {
            _ = BinaryVariational.objective(theta: theta, prior: prior, lambda: lambda, examples: examples, x: x, y: y, batch: batch,
                                            gradient: &gradient)
            rule.update(&theta, gradient: gradient, mask: mask, state: &state)
        }
    }

    public let config: Config
    public let metricNames = BinaryVariationalSimulation.metricSpecs.map(\.name)
    public let viewNames = BinaryVariationalSimulation.viewSpecs.map(\.name)
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public private(set) var lambda: Double
    public private(set) var rho: Double
    public var dt: Double { 0 }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "task", steps: config.stepsPerTask) }
    public var ruleEquation: String {
        config.rules[activeRule].equation
            + ";  L/P = -(1/B) sum log Phi(y mu/s) + (lambda/P) KL(q_theta || q_theta'), lambda = \(lambda) (plain arm: 0)"
    }

    /// The ±1 teachers.
    public private(set) var teachers: [[Float]]
    var arms: [Arm]
    private let x: [Matrix]
    private var y: [[Float]]
    private let flipOrder: [Int]
    private var streams: [SampleStream]
    private var batch: [Int]
    private let mask: [Float]

    public init(config: Config, seed: UInt64) {
        precondition(config.n > 0 && config.stepsPerTask > 0 && config.batch > 0 && config.rules.indices.contains(config.start))
        self.config = config
        let root = RNG(seed: seed), n = config.n
        var teacherRNG = root.stream("teacher")
        let w1 = (0..<n).map { _ in teacherRNG.uniform() < 0.5 ? Float(-1) : 1 }
        var order = Array(0..<n)
        var flipRNG = root.stream("flips")
        flipRNG.shuffle(&order)
        flipOrder = order
        x = (0..<2).map { t in
            var rng = root.stream("x").stream(t)
            let p = config.examples(t)
            return Matrix(rows: p, cols: n, storage: (0..<(p * n)).map { _ in rng.normal() })
        }
        streams = (0..<2).map { SampleStream(count: config.examples($0), rng: root.stream("order").stream($0)) }
        activeRule = config.start
        lambda = config.lambda
        rho = config.rho
        teachers = [w1, w1]
        y = [[], []]
        batch = [Int](repeating: 0, count: config.batch)
        mask = [Float](repeating: 1, count: n)
        let zero = [Float](repeating: 0, count: n)
        arms = Array(repeating: Arm(theta: zero, prior: zero, state: DynamicsRuleState(count: n), gradient: zero), count: 2)
        y[0] = Self.labels(x[0], teachers[0])
        setTeacher2()
    }

    /// Teacher 2 = teacher 1 with the first round((1 − ρ)/2 · N) entries of `flipOrder` flipped;
    /// task 2's labels follow it (its inputs do not change).
    private mutating func setTeacher2() {
        let k = Int(((1 - rho) / 2 * Double(config.n)).rounded())
        var w2 = teachers[0]
        for i in flipOrder.prefix(k) { w2[i] = -w2[i] }
        teachers[1] = w2
        y[1] = Self.labels(x[1], w2)
    }

    /// y = sign(w · x) per row (+1 on the measure-zero tie).
    static func labels(_ x: Matrix, _ w: [Float]) -> [Float] {
        (0..<x.rows).map { r in
            var s: Float = 0
            for i in 0..<x.cols { s += x[r, i] * w[i] }
            return s < 0 ? -1 : 1
        }
    }

    /// The task trained at step s (0-based; the second task continues after its steps).
    public func task(at s: Int) -> Int { s < config.stepsPerTask ? 0 : 1 }

    public var events: [SimulationEvent] {
        step >= config.stepsPerTask ? [SimulationEvent(step: config.stepsPerTask, label: "task 2")] : []
    }

    public var controls: [Control] {
        [Control(name: "lambda", value: lambda, range: 0...10, step: 0.25),
         Control(name: "rho", value: rho, range: 0...1, step: 0.25)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "lambda": lambda = value
        case "rho":
            rho = value
            setTeacher2()
        default: return "unknown control '\(name)'"
        }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        for a in arms.indices { arms[a].state = DynamicsRuleState(count: config.n) }
    }

    public mutating func advance(_ steps: Int) {
        let rule = config.rules[activeRule]
        for _ in 0..<max(0, steps) {
            let t = task(at: step)
            for b in batch.indices { batch[b] = streams[t].next() }
            for a in arms.indices {
                let lam = t == 0 || a == Self.plain ? 0 : lambda
                arms[a].update(rule, lambda: lam, examples: config.examples(t), x: x[t], y: y[t], batch: batch, mask: mask)
            }
            step += 1
            if step == config.stepsPerTask {
                for a in arms.indices {
                    arms[a].prior = arms[a].theta
                    arms[a].state = DynamicsRuleState(count: config.n)
                }
            }
        }
    }

    /// Spearman correlation of |m_i − m'_i| with |θ'_i| for one arm (NaN before task 2).
    func metaCorrelation(_ arm: Int) -> Double {
        guard step > config.stepsPerTask else { return .nan }
        let (moved, confidence) = metaplasticity(arm)
        return BinaryVariational.rankCorrelation(moved, confidence)
    }

    /// |m_i − m'_i| and |θ'_i| of one arm.
    func metaplasticity(_ arm: Int) -> (moved: [Double], confidence: [Double]) {
        let a = arms[arm]
        let moved = a.theta.indices.map { abs(tanh(Double(a.theta[$0])) - tanh(Double(a.prior[$0]))) }
        return (moved, a.prior.map { abs(Double($0)) })
    }

    public mutating func measure() -> [Double] {
        let t = task(at: max(0, step - 1))
        func eps(_ a: Int, _ k: Int) -> Double {
            BinaryVariational.generalizationError(overlap: BinaryVariational.overlap(arms[a].theta, teacher: teachers[k]))
        }
        func meanAbs(_ a: Int) -> Double { arms[a].theta.reduce(0.0) { $0 + abs(Double($1)) } / Double(config.n) }
        let v = arms[Self.variational]
        var scratch = v.gradient
        let loss = BinaryVariational.objective(theta: v.theta, prior: v.prior, lambda: t == 0 ? 0 : lambda, examples: config.examples(t),
                                               x: x[t], y: y[t], batch: Array(0..<x[t].rows), gradient: &scratch)
        return [Double(t + 1), eps(Self.variational, 0), eps(Self.variational, 1), eps(Self.plain, 0), eps(Self.plain, 1),
                BinaryVariational.overlap(v.theta, teacher: teachers[0]), BinaryVariational.overlap(v.theta, teacher: teachers[1]),
                metaCorrelation(Self.variational), metaCorrelation(Self.plain), meanAbs(Self.variational), meanAbs(Self.plain),
                BinaryVariational.kl(v.theta, prior: v.prior), loss]
    }

    /// Mean |Δm| in `bins` equal-count bins of |θ'| (x: the bin's mean |θ'|), one arm.
    func binnedMetaplasticity(_ arm: Int, bins: Int = 10) -> (xs: [Float], ys: [Float]) {
        let (moved, confidence) = metaplasticity(arm)
        let order = confidence.indices.sorted { confidence[$0] < confidence[$1] }
        let k = max(1, min(bins, order.count))
        var xs: [Float] = [], ys: [Float] = []
        for b in 0..<k {
            let slice = order[(b * order.count / k)..<((b + 1) * order.count / k)]
            guard !slice.isEmpty else { continue }
            xs.append(Float(slice.reduce(0.0) { $0 + confidence[$1] } / Double(slice.count)))
            ys.append(Float(slice.reduce(0.0) { $0 + moved[$1] } / Double(slice.count)))
        }
        return (xs, ys)
    }

    public func views() -> [String: PanelView] {
        let theta = arms[Self.variational].theta
        let top = Double(theta.map { abs($0) }.max() ?? 0)
        let bound = max(1, top.rounded(.up))
        var v: [String: PanelView] = [
            "theta_hist": .histogram(HistogramView(binning: theta, lower: -bound, upper: bound, bins: 30,
                                                   label: "theta_i (variational)")),
        ]
        if step > config.stepsPerTask {
            let va = binnedMetaplasticity(Self.variational), pl = binnedMetaplasticity(Self.plain)
            v["metaplasticity"] = .traces(TracesView(names: ["variational", "plain"], series: [va.ys, pl.ys], unit: "|m - m'|",
                                                     xs: [va.xs, pl.xs], xLabel: "|theta'| after task 1"))
        } else {
            v["metaplasticity"] = .text("fills in during task 2: how far each weight's magnetisation moves (|m - m'|) against its confidence after task 1 (|theta'|)")
        }
        return v
    }

    public func probe() -> [Factor] {
        let v = arms[Self.variational], p = arms[Self.plain]
        return [Factor("theta_0 (variational)", Double(v.theta[0])), Factor("m_0 = tanh theta_0", tanh(Double(v.theta[0]))),
                Factor("theta'_0 (after task 1)", Double(v.prior[0])), Factor("theta_0 (plain)", Double(p.theta[0])),
                Factor("teacher 1 w*_0", Double(teachers[0][0])), Factor("teacher 2 w*_0", Double(teachers[1][0])),
                Factor("grad_0 (variational)", Double(v.gradient[0]))]
    }
}
