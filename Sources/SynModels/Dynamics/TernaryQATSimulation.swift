import SynCore

/// Ternary quantisation-aware training after HESTIA (Wang et al. 2026, science page 41): an MLP
/// on the digits is trained in full precision, then three copies continue side by side, each
/// with its own ternary quantiser of the weight tensors (biases stay full precision):
///
/// - `ste`: hard clamp(round(w s)) / s from the first step, straight-through gradients;
/// - `soft`: the annealed soft quantiser of `SoftTernary` (T₀ held for 20 %, cosine to 0;
///   pressure π ramps w_eff = (1 − π) w + π w_q in), exact gradients through q_T;
/// - `hessian`: the same with a per-tensor temperature T_i = T(r) exp(−α σ(κ ζ_i)), ζ_i the
///   z-score of log tr(H_i), the Hessian trace of tensor i estimated by Hutchinson's method
///   (central-difference Hessian-vector products, `HessianProbe`) after pre-training.
///
/// All three see the same minibatches and use the same optimiser rule. Tracked per copy: the
/// hard-ternary test accuracy, the fraction of weights whose ternary state changes per step
/// (transition rate) and the fraction that never changed since quantisation began (dead zone).
///
/// Steps: `pretrain` epochs of minibatch updates; then one Hutchinson sample (two gradient
/// passes over the probe rows) per step for every tensor; then `qat` epochs of all three copies
/// (r = QAT step / QAT steps), after which training goes on with T = 0, π = 1.
public struct TernaryQATSimulation: Simulation {
    public struct Config: Sendable {
        public var sizes: [Int]
        public var hidden: Activation
        public var batch: Int
        /// Training samples: the first `samples` rows of the digits training split.
        public var samples: Int
        public var pretrainEpochs: Int
        public var qatEpochs: Int
        /// Rademacher samples per tensor of the Hutchinson trace estimate.
        public var hutchinson: Int
        /// Training rows the Hessian traces are measured on.
        public var probeRows: Int
        /// Initial temperature T₀; nil = the argmin of the Gaussian quantisation error (≈ 0.35).
        public var t0: Double?
        public var alpha: Double
        public var kappa: Double
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(sizes: [Int] = [64, 128, 128, 10], hidden: Activation = .relu, batch: Int = 32, samples: Int = 1500,
                    pretrainEpochs: Int = 5, qatEpochs: Int = 10, hutchinson: Int = 8, probeRows: Int = 500, t0: Double? = nil,
                    alpha: Double = 0.5, kappa: Double = 1, rules: [any DynamicsRule], start: Int = 0) {
            self.sizes = sizes; self.hidden = hidden; self.batch = batch; self.samples = samples
            self.pretrainEpochs = pretrainEpochs; self.qatEpochs = qatEpochs; self.hutchinson = hutchinson
            self.probeRows = probeRows; self.t0 = t0; self.alpha = alpha; self.kappa = kappa; self.rules = rules; self.start = start
        }
    }

    /// The quantisers of the three copies, in column order.
    public enum Method: String, Sendable, CaseIterable {
        case ste, soft, hessian
    }

    public static let metricSpecs: [MetricSpec] = [
        MetricSpec("test_acc_fp", "test accuracy of the full-precision network (frozen at the end of pre-training)"),
        MetricSpec("test_acc_ptq", "hard-ternary test accuracy of the full-precision network (post-training quantisation)"),
        MetricSpec("test_acc_ternary_ste", "hard-ternary test accuracy, STE from the start", mayBeUndefined: true),
        MetricSpec("test_acc_ternary_soft", "hard-ternary test accuracy, soft annealed quantiser", mayBeUndefined: true),
        MetricSpec("test_acc_ternary_hessian", "hard-ternary test accuracy, soft annealed with Hessian-guided temperatures",
                   mayBeUndefined: true),
        MetricSpec("transition_rate_ste", "fraction of weights changing ternary state per step (average over ~10 steps), STE",
                   mayBeUndefined: true),
        MetricSpec("transition_rate_soft", "the same, soft annealed", mayBeUndefined: true),
        MetricSpec("transition_rate_hessian", "the same, Hessian-guided", mayBeUndefined: true),
        MetricSpec("dead_zone_ste", "fraction of weights whose ternary state never changed since QAT began, STE",
                   mayBeUndefined: true),
        MetricSpec("dead_zone_soft", "the same, soft annealed", mayBeUndefined: true),
        MetricSpec("dead_zone_hessian", "the same, Hessian-guided", mayBeUndefined: true),
        MetricSpec("temperature", "annealing temperature T(r) of the soft quantiser", mayBeUndefined: true),
        MetricSpec("pressure", "pressure π(r): weight of the quantised weights in w_eff", mayBeUndefined: true),
        MetricSpec("t_layer1", "temperature of weight tensor 1 under Hessian guidance", mayBeUndefined: true),
        MetricSpec("t_layer2", "temperature of weight tensor 2 under Hessian guidance", mayBeUndefined: true),
        MetricSpec("t_layer3", "temperature of weight tensor 3 under Hessian guidance", mayBeUndefined: true),
        MetricSpec("hessian_trace1", "Hutchinson estimate of tr(H) of weight tensor 1", mayBeUndefined: true),
        MetricSpec("hessian_trace2", "Hutchinson estimate of tr(H) of weight tensor 2", mayBeUndefined: true),
        MetricSpec("hessian_trace3", "Hutchinson estimate of tr(H) of weight tensor 3", mayBeUndefined: true),
        MetricSpec("qat_progress", "r = QAT step / QAT steps (NaN during pre-training)", mayBeUndefined: true),
    ]
    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("z_histogram", "normalised weights z = w / mean|w| of tensor 2 (soft copy; full precision before QAT)"),
        ViewSpec("quantiser", "the soft quantiser q_T(z) at the current temperatures (soft copy and each Hessian-guided tensor)"),
        ViewSpec("hestia", "Hessian traces, temperature scales, phase and accuracies"),
    ]

    /// One copy under quantisation-aware training.
    struct Arm: Sendable {
        let method: Method
        var theta: [Float]
        var state: DynamicsRuleState
        var last: [Int8]
        var changed: [Bool]
        var transition = Double.nan
        var testAcc = Double.nan

        /// The rule's update from the gradient, then the ternary states: changes counted into the
        /// transition rate (an average over ~10 steps) and the dead-zone mask.
        mutating func learn(_ grad: [Float], rule: any DynamicsRule, mask: [Float], states: ([Float]) -> [Int8]) {
            rule.update(&theta, gradient: grad, mask: mask, state: &state)
            let now = states(theta)
            var flips = 0
            for i in 0..<now.count where now[i] != last[i] {
                flips += 1
                changed[i] = true
            }
            last = now
            let rate = Double(flips) / Double(now.count)
            transition = transition.isFinite ? transition + (rate - transition) / 10 : rate
        }
    }

    enum Phase: Sendable, Equatable { case pretrain, hessian, qat }

    public let config: Config
    public let metricNames = TernaryQATSimulation.metricSpecs.map(\.name)
    public let viewNames = TernaryQATSimulation.viewSpecs.map(\.name)
    public private(set) var step = 0
    public var dt: Double { 0 }
    public private(set) var activeRule: Int
    public var ruleNames: [String] { rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: stepsPerEpoch) }
    public var ruleEquation: String {
        rules[activeRule].equation + ";  w_eff = (1 - pi) w + pi q_T(w s) / s,  q_T(z) = sinh(2z/T) / (cosh(2z/T) + e^(1/T)/2)"
    }

    private var rules: [any DynamicsRule]
    private let layout: MLPLayout
    private var batch: BatchMLP
    private let train: Dataset
    private let test: Dataset
    private let trainTargets: Matrix
    private let testTargets: Matrix
    private let probeSet: (x: Matrix, t: Matrix)
    private let mask: [Float]
    private var order: [Int]
    private var cursor = 0
    private var dataRNG: RNG
    private var hutchRNG: RNG
    private let stepsPerEpoch: Int
    private var phase = Phase.pretrain
    /// Full-precision parameters and optimiser state (pre-training), then frozen.
    private var theta: [Float]
    private var fpState: DynamicsRuleState
    private var arms: [Arm] = []
    private var traceSums: [Double]
    private var hutchStep = 0
    public private(set) var traces: [Double]
    private var qatStep = 0
    private var t0: Double
    private var alpha: Double
    private var scales: [Double]
    private var fpAcc = Double.nan
    private var ptqAcc = Double.nan
    private var grad: [Float]
    /// The full-precision parameters (MLP layout), frozen once quantisation-aware training starts.
    public var parameters: [Float] { theta }

    public init(config: Config, seed: UInt64) {
        precondition(config.sizes.count == 4 && config.sizes.first == 64 && config.sizes.last == 10)
        precondition(config.batch >= 1 && config.samples >= 1 && config.pretrainEpochs >= 0 && config.qatEpochs >= 1)
        precondition(config.hutchinson >= 1 && config.probeRows >= 1)
        self.config = config
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        let net = MLP(sizes: config.sizes, hidden: config.hidden, output: .softmax, uniform: true, rng: &initRNG)
        layout = net.layout
        theta = Array(net.params[0..<net.layout.paramCount])
        let split = Digits.split()
        let n = min(config.samples, split.train.count)
        train = split.train.slice(0..<n)
        test = split.test
        func oneHot(_ d: Dataset) -> Matrix { Matrix(rows: d.count, cols: 10) { i, k in d.labels[i] == k ? 1 : 0 } }
        trainTargets = oneHot(train)
        testTargets = oneHot(test)
        let p = train.slice(0..<min(config.probeRows, n))
        probeSet = (p.x, oneHot(p))
        batch = BatchMLP(layout: net.layout, hidden: config.hidden, output: .softmax,
                         capacity: max(config.batch, test.count, p.count))
        mask = [Float](repeating: 1, count: theta.count)
        grad = mask
        fpState = DynamicsRuleState(count: theta.count)
        rules = config.rules
        activeRule = config.start
        dataRNG = root.stream("data")
        hutchRNG = root.stream("hutchinson")
        order = Array(0..<n)
        dataRNG.shuffle(&order)
        stepsPerEpoch = (n + config.batch - 1) / config.batch
        traceSums = [Double](repeating: 0, count: 3)
        traces = [Double](repeating: .nan, count: 3)
        t0 = config.t0 ?? SoftTernary.gaussianOptimalT0
        alpha = config.alpha
        scales = [Double](repeating: 1, count: 3)
        evaluateFullPrecision()
        if config.pretrainEpochs == 0 { phase = .hessian }
    }

    public var controls: [Control] {
        [Control(name: "alpha", value: alpha, range: -2...2, step: 0.1),
         Control(name: "t0", value: t0, range: 0.05...2, step: 0.05)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        if name == "alpha" {
            alpha = value
            if traces.allSatisfy(\.isFinite) { scales = SoftTernary.temperatureScales(traces: traces, alpha: alpha, kappa: config.kappa) }
        } else {
            t0 = value
        }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        fpState = DynamicsRuleState(count: theta.count)
        for k in arms.indices { arms[k].state = DynamicsRuleState(count: theta.count) }
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            switch phase {
            case .pretrain: pretrainStep()
            case .hessian: hutchinsonStep()
            case .qat: qatStepAll()
            }
            step += 1
        }
    }

    // MARK: Phases

    /// The next minibatch (inputs, one-hot targets); reshuffles after an epoch. Returns whether
    /// this minibatch ends an epoch.
    private mutating func nextBatch() -> (x: Matrix, t: Matrix, endsEpoch: Bool) {
        let b = min(config.batch, order.count - cursor)
        let rows = Array(order[cursor..<(cursor + b)])
        let x = Matrix(rows: b, cols: train.features) { i, j in train.x[rows[i], j] }
        let t = Matrix(rows: b, cols: 10) { i, k in trainTargets[rows[i], k] }
        cursor += b
        let ends = cursor == order.count
        if ends {
            cursor = 0
            dataRNG.shuffle(&order)
        }
        return (x, t, ends)
    }

    private mutating func pretrainStep() {
        let mb = nextBatch()
        batch.lossAndGradient(theta, x: mb.x, t: mb.t, into: &grad)
        rules[activeRule].update(&theta, gradient: grad, mask: mask, state: &fpState)
        if step + 1 == config.pretrainEpochs * stepsPerEpoch {
            evaluateFullPrecision()
            phase = .hessian
        }
    }

    /// One Rademacher sample of vᵀ H_i v for tensor i = hutchStep / hutchinson (H v by central
    /// differences of the probe-set gradient along v).
    private mutating func hutchinsonStep() {
        let l = hutchStep / config.hutchinson
        let o = layout.wOffset[l], count = layout.weightCount(l)
        let point = theta, x = probeSet.x, t = probeSet.t
        var full = [Float](repeating: 0, count: theta.count)
        var net = batch, rng = hutchRNG
        let sample = HessianProbe.hutchinsonTrace(dimension: count, samples: 1, rng: &rng) { v in
            for k in 0..<count { full[o + k] = v[k] }
            let hv = HessianProbe.hessianVector(at: point, full, step: 1e-2) { th in
                var g = [Float](repeating: 0, count: th.count)
                net.lossAndGradient(th, x: x, t: t, into: &g)
                return g
            }
            return Array(hv[o..<(o + count)])
        }
        batch = net
        hutchRNG = rng
        traceSums[l] += sample
        hutchStep += 1
        if hutchStep % config.hutchinson == 0 { traces[l] = traceSums[l] / Double(config.hutchinson) }
        if hutchStep == 3 * config.hutchinson { startQAT() }
    }

    private mutating func startQAT() {
        scales = SoftTernary.temperatureScales(traces: traces, alpha: alpha, kappa: config.kappa)
        let states = Self.ternaryStates(theta, layout)
        arms = Method.allCases.map { m in
            Arm(method: m, theta: theta, state: DynamicsRuleState(count: theta.count), last: states,
                changed: [Bool](repeating: false, count: states.count))
        }
        phase = .qat
        evaluateArms()
    }

    /// r of the QAT schedule.
    private var progress: Double { Double(qatStep) / Double(config.qatEpochs * stepsPerEpoch) }

    /// Temperature and pressure of tensor l for a method at progress r.
    private func schedule(_ m: Method, layer l: Int, r: Double) -> (t: Double, pi: Double) {
        switch m {
        case .ste: return (0, 1)
        case .soft: return (SoftTernary.temperature(r, t0: t0), SoftTernary.pressure(r))
        case .hessian: return (SoftTernary.temperature(r, t0: t0) * scales[l], SoftTernary.pressure(r))
        }
    }

    private mutating func qatStepAll() {
        let mb = nextBatch()
        let r = progress
        for k in arms.indices {
            let m = arms[k].method
            let sched = (0..<3).map { schedule(m, layer: $0, r: r) }
            let eff = effective(arms[k].theta, sched)
            batch.lossAndGradient(eff.theta, x: mb.x, t: mb.t, into: &grad)
            for i in 0..<eff.slope.count { grad[i] *= eff.slope[i] }
            let lay = layout
            arms[k].learn(grad, rule: rules[activeRule], mask: mask) { Self.ternaryStates($0, lay) }
        }
        qatStep += 1
        if mb.endsEpoch { evaluateArms() }
    }

    // MARK: Quantisation

    /// Effective parameters w_eff = (1 − π) w + π q_T(w s) / s per weight tensor (biases as they
    /// are) and the slope ∂w_eff/∂w = (1 − π) + π q'_T(w s) (1 for STE) per parameter.
    func effective(_ p: [Float], _ sched: [(t: Double, pi: Double)]) -> (theta: [Float], slope: [Float]) {
        var out = p
        var slope = [Float](repeating: 1, count: p.count)
        for l in 0..<3 {
            let o = layout.wOffset[l], n = layout.weightCount(l)
            let s = SoftTernary.scale(p[o..<(o + n)])
            let (t, pi) = sched[l]
            for i in o..<(o + n) {
                let q = SoftTernary.quantise(Double(p[i] * s), temperature: t)
                out[i] = Float((1 - pi) * Double(p[i]) + pi * q.q / Double(s))
                slope[i] = Float((1 - pi) + pi * q.slope)
            }
        }
        return (out, slope)
    }

    /// Hard-ternary weights clamp(round(w s)) / s per tensor, biases as they are.
    func hardTernary(_ p: [Float]) -> [Float] {
        effective(p, [(0, 1), (0, 1), (0, 1)]).theta
    }

    /// The ternary state of every weight (all tensors, in order).
    static func ternaryStates(_ p: [Float], _ layout: MLPLayout) -> [Int8] {
        var out: [Int8] = []
        for l in 0..<3 {
            let o = layout.wOffset[l], n = layout.weightCount(l)
            let s = SoftTernary.scale(p[o..<(o + n)])
            for i in o..<(o + n) { out.append(SoftTernary.state(p[i], scale: s)) }
        }
        return out
    }

    private mutating func testAccuracy(_ p: [Float]) -> Double {
        batch.forward(p, x: test.x)
        return batch.accuracy(test.labels)
    }

    private mutating func evaluateFullPrecision() {
        fpAcc = testAccuracy(theta)
        ptqAcc = testAccuracy(hardTernary(theta))
    }

    private mutating func evaluateArms() {
        for k in arms.indices { arms[k].testAcc = testAccuracy(hardTernary(arms[k].theta)) }
    }

    // MARK: Readouts

    public mutating func measure() -> [Double] {
        let qat = phase == .qat, r = progress
        func arm(_ m: Method, _ f: (Arm) -> Double) -> Double {
            arms.first { $0.method == m }.map(f) ?? .nan
        }
        func dead(_ a: Arm) -> Double { Double(a.changed.lazy.filter { !$0 }.count) / Double(max(1, a.changed.count)) }
        let layerT = (0..<3).map { qat ? schedule(.hessian, layer: $0, r: r).t : .nan }
        return [fpAcc, ptqAcc,
                arm(.ste) { $0.testAcc }, arm(.soft) { $0.testAcc }, arm(.hessian) { $0.testAcc },
                arm(.ste) { $0.transition }, arm(.soft) { $0.transition }, arm(.hessian) { $0.transition },
                arm(.ste, dead), arm(.soft, dead), arm(.hessian, dead),
                qat ? SoftTernary.temperature(r, t0: t0) : .nan, qat ? SoftTernary.pressure(r) : .nan,
                layerT[0], layerT[1], layerT[2], traces[0], traces[1], traces[2], qat ? min(r, 1) : .nan]
    }

    public func views() -> [String: PanelView] {
        let src = arms.first { $0.method == .soft }?.theta ?? theta
        let o = layout.wOffset[1], n = layout.weightCount(1)
        let s = SoftTernary.scale(src[o..<(o + n)])
        let hist = HistogramView(binning: src[o..<(o + n)].map { $0 * s }, lower: -3, upper: 3, bins: 30,
                                 label: "z = w / mean|w|, tensor 2 (codebook -1, 0, +1)")
        let r = progress, qat = phase == .qat
        let zs = stride(from: -2.0, through: 2.0, by: 0.05).map { $0 }
        var names = ["z (identity)"], series = [zs.map(Float.init)]
        let temps: [(String, Double)] = [("soft T", qat ? SoftTernary.temperature(r, t0: t0) : t0)]
            + (0..<3).map { ("hessian T\($0 + 1)", (qat ? SoftTernary.temperature(r, t0: t0) : t0) * scales[$0]) }
        for (name, t) in temps {
            names.append("\(name) = \(NumberFormat.value(t))")
            series.append(zs.map { Float(SoftTernary.quantise($0, temperature: t).q) })
        }
        let xs = [[Float]](repeating: zs.map(Float.init), count: series.count)
        let curve = TracesView(names: names, series: series, unit: "q_T(z)", xs: xs, xLabel: "z")
        let phaseText: String = switch phase {
        case .pretrain: "pre-training in full precision (\(config.pretrainEpochs) epochs)"
        case .hessian: "Hutchinson traces: sample \(hutchStep) of \(3 * config.hutchinson)"
        case .qat: "QAT r = \(NumberFormat.value(min(r, 1)))  T = \(NumberFormat.value(SoftTernary.temperature(r, t0: t0)))  "
            + "pressure = \(NumberFormat.value(SoftTernary.pressure(r)))"
        }
        let sign = alpha > 0 ? "alpha > 0: sensitive (large-trace) tensors cool faster"
            : alpha < 0 ? "alpha < 0: sensitive tensors stay warm longer" : "alpha = 0: no guidance"
        let rows = (0..<3).map { l in
            "  W\(l + 1)  tr(H) = \(NumberFormat.value(traces[l]))   tau = \(NumberFormat.value(scales[l]))"
        }.joined(separator: "\n")
        let accs = arms.map { "\($0.method.rawValue) \(NumberFormat.value($0.testAcc))" }.joined(separator: "  ")
        let text = """
            \(phaseText)
            T0 = \(NumberFormat.value(t0))   \(sign)
            \(rows)
            full precision \(NumberFormat.value(fpAcc))  PTQ \(NumberFormat.value(ptqAcc))\(accs.isEmpty ? "" : "\nternary: " + accs)
            """
        return ["z_histogram": .histogram(hist), "quantiser": .traces(curve), "hestia": .text(text)]
    }

    public func probe() -> [Factor] {
        let r = progress
        return [Factor("T", phase == .qat ? SoftTernary.temperature(r, t0: t0) : .nan),
                Factor("pressure", phase == .qat ? SoftTernary.pressure(r) : .nan), Factor("alpha", alpha), Factor("T0", t0)]
    }
}
