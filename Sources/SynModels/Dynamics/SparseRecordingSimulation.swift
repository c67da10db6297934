#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// Learning an RNN's dynamics from sparse recordings (Salatiello & Giese, ICANN 2020, arXiv
/// 2005.02211; science page 28; the teacher and the training algorithm are the page's design,
/// the paper's code was not available). A random teacher `LeakyRNN` (W = 1.3 · N(0, 1/N),
/// weakly chaotic) is driven by reach-like inputs (cos θ, sin θ for `prep` steps, then a go
/// pulse); students of the same form start from ONE shared initialisation (W = 1.0 · N(0, 1/N))
/// and are trained side by side, one arm per k, on the teacher's outputs plus k recorded
/// teacher units (`LeakyRNN.lossAndGradient`, full batch, BPTT, the active `DynamicsRule`).
/// Recorded sets are nested (the arm with k = 5 sees the first 5 units of the arm with k = 10).
///
/// Observables per arm: output error on the training angles, the mean canonical correlation of
/// the student's full population with the full teacher's (`PopulationCCA`, top-q PCs of the
/// (C·T) × N rates on the training angles), and the output error on held-out angles interleaved
/// with the training ones. One step = one full-batch update of every arm.
public struct SparseRecordingSimulation: Simulation {
    /// Which teacher units are recorded.
    public enum Selection: String, Sendable, CaseIterable {
        /// A random subset (the page's default).
        case random
        /// The units with the largest rate variance over the training trials.
        case variance
    }

    public struct Config: Sendable {
        public var units: Int
        public var alpha: Float
        public var teacherGain: Float
        public var studentGain: Float
        /// Steps per trial T, preparation steps (angle cue), go-pulse steps.
        public var steps: Int
        public var prep: Int
        public var go: Int
        /// Training angles C (2π c / C); as many held-out angles halfway between them.
        public var conditions: Int
        /// Recorded units per arm (distinct, each ≤ units).
        public var recorded: [Int]
        public var lambda: Float
        /// Principal components per population in the CCA.
        public var components: Int
        public var selection: Selection
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(units: Int = 100, alpha: Float = 0.2, teacherGain: Float = 1.3, studentGain: Float = 1.0, steps: Int = 80,
                    prep: Int = 20, go: Int = 5, conditions: Int = 8, recorded: [Int] = [0, 5, 10, 20], lambda: Float = 1,
                    components: Int = 10, selection: Selection = .random, rules: [any DynamicsRule], start: Int = 0) {
            self.units = units; self.alpha = alpha; self.teacherGain = teacherGain; self.studentGain = studentGain
            self.steps = steps; self.prep = prep; self.go = go; self.conditions = conditions; self.recorded = recorded
            self.lambda = lambda; self.components = components; self.selection = selection; self.rules = rules; self.start = start
        }
    }

    public static let inputs = 3
    public static let outputs = 2

    /// Metrics of arms with the given k values.
    public static func metricSpecs(recorded: [Int]) -> [MetricSpec] {
        var out = [MetricSpec]()
        for k in recorded {
            out.append(MetricSpec("output_mse_k\(k)", "mean ‖z_s − z_T‖² per step on the training angles, student with \(k) recorded units"))
        }
        for k in recorded {
            out.append(MetricSpec("cca_mean_k\(k)",
                                  "mean canonical correlation of the student's top PCs (task.components) with the full teacher's, training angles, k = \(k)",
                                  mayBeUndefined: true))
        }
        for k in recorded {
            out.append(MetricSpec("heldout_mse_k\(k)", "mean ‖z_s − z_T‖² per step on the held-out angles, k = \(k)"))
        }
        for k in recorded {
            out.append(MetricSpec("recorded_mse_k\(k)", "mean squared rate error of the k = \(k) recorded units (undefined for k = 0)",
                                  mayBeUndefined: true))
        }
        out.append(MetricSpec("teacher_output_var", "variance of the teacher's outputs on the training angles (scale of the errors)"))
        return out
    }

    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("canonical_correlations", "canonical correlations ρ_1..ρ_q with the teacher, one row per arm (in task.recorded order)"),
        ViewSpec("heldout_output", "output z_1 over one held-out trial: teacher and every arm"),
        ViewSpec("recorded_units", "recorded units of the largest-k arm, one trial: teacher row, then student row, per unit"),
    ]

    struct Arm: Sendable {
        let k: Int
        var student: LeakyRNN
        var state: DynamicsRuleState
        var outputMSE = Double.nan
        var recordedMSE = Double.nan
        var heldoutMSE = Double.nan
        var cca: [Double] = []

        /// One full-batch update: the loss gradient with this arm's recorded units, then the rule.
        mutating func train(_ u: [Float], target: LeakyRNN.Trajectory, recorded: [Int], lambda: Float, rule: any DynamicsRule,
                            mask: [Float], grad: inout [Float]) {
            _ = student.lossAndGradient(u, target: target, recorded: recorded, lambda: lambda, into: &grad)
            rule.update(&student.params, gradient: grad, mask: mask, state: &state)
        }
    }

    public let config: Config
    public let metricNames: [String]
    public let viewNames = SparseRecordingSimulation.viewSpecs.map(\.name)
    public private(set) var step = 0
    public var dt: Double { 0 }
    public private(set) var activeRule: Int
    public var ruleNames: [String] { rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "100 updates", steps: 100) }
    public var ruleEquation: String {
        rules[activeRule].equation + ";  L = mean |z_s - z_T|^2 + lambda mean_{i<k} (r_s,i - r_T,pi(i))^2, BPTT (lambda = \(lambda))"
    }

    private var rules: [any DynamicsRule]
    private var lambda: Float
    private var arms: [Arm]
    public let teacher: LeakyRNN
    /// Teacher units in recording order: arm k records the first k.
    public let recordOrder: [Int]
    private let trainInput: [Float], heldoutInput: [Float]
    private let teacherTrain: LeakyRNN.Trajectory, teacherHeldout: LeakyRNN.Trajectory
    private let teacherBasis: Matrix?
    private let teacherVariance: Double
    private var grad: [Float]
    private let mask: [Float]

    public init(config: Config, seed: UInt64) {
        precondition(config.units >= 2 && config.conditions >= 1 && config.steps >= 1 && !config.recorded.isEmpty)
        precondition(config.recorded.allSatisfy { $0 >= 0 && $0 <= config.units })
        self.config = config
        metricNames = Self.metricSpecs(recorded: config.recorded).map(\.name)
        let root = RNG(seed: seed)
        var tr = root.stream("teacher")
        teacher = LeakyRNN(units: config.units, inputs: Self.inputs, outputs: Self.outputs, alpha: config.alpha,
                           gain: config.teacherGain, rng: &tr)
        let c = config.conditions
        trainInput = Self.reachInputs(angles: (0..<c).map { 2 * Double.pi * Double($0) / Double(c) }, config: config)
        heldoutInput = Self.reachInputs(angles: (0..<c).map { 2 * Double.pi * (Double($0) + 0.5) / Double(c) }, config: config)
        teacherTrain = teacher.run(trainInput, conditions: c)
        teacherHeldout = teacher.run(heldoutInput, conditions: c)
        let teacherRates = teacherTrain.rateMatrix(units: config.units)
        teacherBasis = PopulationCCA.basis(teacherRates, components: config.components)
        teacherVariance = Self.variance(teacherTrain.outputs, columns: Self.outputs)

        switch config.selection {
        case .random:
            var order = Array(0..<config.units)
            var pick = root.stream("recorded")
            pick.shuffle(&order)
            recordOrder = order
        case .variance:
            let v = (0..<config.units).map { Self.variance(teacherRates.column($0), columns: 1) }
            recordOrder = (0..<config.units).sorted { v[$0] != v[$1] ? v[$0] > v[$1] : $0 < $1 }
        }

        var sr = root.stream("student")
        let student = LeakyRNN(units: config.units, inputs: Self.inputs, outputs: Self.outputs, alpha: config.alpha,
                               gain: config.studentGain, rng: &sr)
        let count = student.params.count
        arms = config.recorded.map { Arm(k: $0, student: student, state: DynamicsRuleState(count: count)) }
        grad = [Float](repeating: 0, count: count)
        mask = [Float](repeating: 1, count: count)
        rules = config.rules
        activeRule = config.start
        lambda = config.lambda
        for i in arms.indices { evaluate(i) }
    }

    /// Inputs (T·C × 3, time-major) for reach angles θ_c: (cos θ, sin θ, 0) during steps
    /// 1...prep, (0, 0, 1) during the next `go` steps, then 0.
    static func reachInputs(angles: [Double], config: Config) -> [Float] {
        let c = angles.count
        var u = [Float](repeating: 0, count: config.steps * c * inputs)
        for t in 0..<config.steps {
            for (j, theta) in angles.enumerated() {
                let row = (t * c + j) * inputs
                if t < config.prep {
                    u[row] = Float(cos(theta))
                    u[row + 1] = Float(sin(theta))
                } else if t < config.prep + config.go {
                    u[row + 2] = 1
                }
            }
        }
        return u
    }

    /// Mean over columns of each column's variance (population, 1/n) of row-major data.
    static func variance(_ x: [Float], columns: Int) -> Double {
        let n = x.count / columns
        guard n > 0 else { return .nan }
        var total = 0.0
        for j in 0..<columns {
            var s = 0.0, ss = 0.0
            for i in 0..<n { let v = Double(x[i * columns + j]); s += v; ss += v * v }
            let m = s / Double(n)
            total += ss / Double(n) - m * m
        }
        return total / Double(columns)
    }

    static func mse(_ a: [Float], _ b: [Float], rows: Int) -> Double {
        var s = 0.0
        for i in 0..<a.count { let e = Double(a[i] - b[i]); s += e * e }
        return s / Double(rows)
    }

    /// Output errors, recorded-unit error and canonical correlations of arm i at its current θ.
    private mutating func evaluate(_ i: Int) {
        let c = config.conditions, n = config.units, rows = config.steps * c
        let arm = arms[i]
        let train = arm.student.run(trainInput, conditions: c)
        let held = arm.student.run(heldoutInput, conditions: c)
        arms[i].outputMSE = Self.mse(train.outputs, teacherTrain.outputs, rows: rows)
        arms[i].heldoutMSE = Self.mse(held.outputs, teacherHeldout.outputs, rows: rows)
        if arm.k > 0 {
            var s = 0.0
            for row in c..<(rows + c) {
                for (u, j) in recordOrder.prefix(arm.k).enumerated() {
                    let e = Double(train.rates[row * n + u] - teacherTrain.rates[row * n + j])
                    s += e * e
                }
            }
            arms[i].recordedMSE = s / Double(rows * arm.k)
        }
        if let tb = teacherBasis, let sb = PopulationCCA.basis(train.rateMatrix(units: n), components: config.components) {
            arms[i].cca = PopulationCCA.correlations(sb, tb)
        } else {
            arms[i].cca = []
        }
    }

    public var controls: [Control] {
        [Control(name: "lambda", value: Double(lambda), range: 0...4, step: 0.25),
         Control(name: "eta", value: Double(rules[activeRule].eta), range: 0.0005...0.02, step: 0.0005)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        if name == "lambda" { lambda = Float(value) } else { rules[activeRule].eta = Float(value) }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        for i in arms.indices { arms[i].state = DynamicsRuleState(count: grad.count) }
    }

    public mutating func advance(_ steps: Int) {
        let rule = rules[activeRule]
        for _ in 0..<max(0, steps) {
            for i in arms.indices {
                let recorded = Array(recordOrder.prefix(arms[i].k))
                arms[i].train(trainInput, target: teacherTrain, recorded: recorded, lambda: lambda, rule: rule, mask: mask, grad: &grad)
            }
            step += 1
        }
    }

    public mutating func measure() -> [Double] {
        for i in arms.indices { evaluate(i) }
        let ccaMean: [Double] = arms.map { $0.cca.isEmpty ? .nan : $0.cca.reduce(0, +) / Double($0.cca.count) }
        return arms.map(\.outputMSE) + ccaMean + arms.map(\.heldoutMSE) + arms.map(\.recordedMSE) + [teacherVariance]
    }

    public func views() -> [String: PanelView] {
        let q = arms.map(\.cca.count).max() ?? 0
        var rho = [Float](repeating: 0, count: arms.count * max(q, 1))
        for (a, arm) in arms.enumerated() { for (j, v) in arm.cca.enumerated() { rho[a * max(q, 1) + j] = Float(v) } }
        // Held-out trial 0: output z_1 of the teacher and of every arm.
        let c = config.conditions, t = config.steps, n = config.units
        func z1(_ tr: LeakyRNN.Trajectory) -> [Float] { (0..<t).map { tr.outputs[($0 * c) * Self.outputs] } }
        var names = ["teacher"], series = [z1(teacherHeldout)]
        for arm in arms {
            names.append("k=\(arm.k)")
            series.append(z1(arm.student.run(heldoutInput, conditions: c)))
        }
        // Recorded units of the largest-k arm, training trial 0: teacher row then student row.
        var rec: [Float] = []
        var recRows = 0
        if let big = arms.max(by: { $0.k < $1.k }), big.k > 0 {
            let tr = big.student.run(trainInput, conditions: c)
            let shown = min(big.k, 16)
            for (u, j) in recordOrder.prefix(shown).enumerated() {
                for s in 1...t { rec.append(teacherTrain.rates[(s * c) * n + j]) }
                for s in 1...t { rec.append(tr.rates[(s * c) * n + u]) }
            }
            recRows = 2 * shown
        }
        var out: [String: PanelView] = [
            "canonical_correlations": .heatmap(HeatmapView(rows: arms.count, cols: max(q, 1), values: rho, scale: .fixed(0, 1))),
            "heldout_output": .traces(TracesView(names: names, series: series, unit: "")),
        ]
        out["recorded_units"] = recRows > 0
            ? .heatmap(HeatmapView(rows: recRows, cols: t, values: rec, scale: .symmetric(1)))
            : .text("no arm records any unit (k = 0 only)")
        return out
    }

    public func probe() -> [Factor] {
        [Factor("eta", Double(rules[activeRule].eta)), Factor("lambda", Double(lambda)),
         Factor("teacher output var", teacherVariance)]
            + arms.map { Factor("cca k=\($0.k)", $0.cca.isEmpty ? .nan : $0.cca.reduce(0, +) / Double($0.cca.count)) }
    }
}
