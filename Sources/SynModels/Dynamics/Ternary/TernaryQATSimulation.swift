import SynCore

/// Ternary quantisation-aware training of a digits MLP, three ways at once (scene `ternary-qat`;
/// HESTIA, Wang et al. 2026, arXiv 2601.20745, at the scale of its page's smallest experiment).
///
/// The network (64-h₁-h₂-10, softmax cross-entropy, biases full precision) is first trained in
/// full precision for `pretrainEpochs` epochs (at construction). Then three copies continue from
/// those weights on the same minibatches with the `[rule]` optimiser, each weight tensor W_l
/// entering the forward pass as
///
///     w_eff = (1 − π) w + π q_{T_l}(w s_l) / s_l,   s_l = 1 / mean|W_l|   (s_l held constant in the backward pass)
///
/// - `ste`: π = 1 and T = 0 from the first step (hard rounding, straight-through gradient);
/// - `soft`: π(r) and T(r) of `TernarySchedule` over r = step / annealing steps, exact gradient of q_T;
/// - `hessian`: as `soft` with T_l = τ_l T(r), τ_l from the Hessian trace of W_l at the pre-trained
///   weights (`HessianTemperatureScale`; Hutchinson's estimator on Hessian-vector products,
///   `HessianProbe`).
///
/// After each step the hard state clamp(round(w s_l)) of every weight is compared with the
/// previous step (`TernaryTransitions`); the test accuracy is always that of the hard-ternary
/// network. One step = one minibatch for all three arms; after r = 1 the soft arms train on hard.
public struct TernaryQATSimulation: Simulation {
    public struct Config: Sendable {
        /// Hidden sizes h₁, h₂ (64 inputs, 10 outputs: three weight tensors).
        public var hidden: [Int]
        public var activation: Activation
        public var batch: Int
        public var pretrainEpochs: Int
        /// QAT steps over which π ramps and T anneals (r = step / annealSteps).
        public var annealSteps: Int
        /// T₀; nil: `TernaryQuantiser.defaultT0`.
        public var t0: Double?
        public var kappa: Double
        public var alpha: Double
        /// Rademacher vectors per tensor, training samples in the loss, and the HVP step length.
        public var hutchinsonSamples: Int
        public var probeSamples: Int
        public var hvpStep: Float
        /// Steps averaged in `transition_rate`.
        public var window: Int
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(hidden: [Int] = [128, 128], activation: Activation = .relu, batch: Int = 32, pretrainEpochs: Int = 5,
                    annealSteps: Int = 1500, t0: Double? = nil, kappa: Double = 1, alpha: Double = 0.5,
                    hutchinsonSamples: Int = 8, probeSamples: Int = 128, hvpStep: Float = 1e-2, window: Int = 10,
                    rules: [any DynamicsRule], start: Int = 0) {
            self.hidden = hidden; self.activation = activation; self.batch = batch; self.pretrainEpochs = pretrainEpochs
            self.annealSteps = annealSteps; self.t0 = t0; self.kappa = kappa; self.alpha = alpha
            self.hutchinsonSamples = hutchinsonSamples; self.probeSamples = probeSamples; self.hvpStep = hvpStep
            self.window = window; self.rules = rules; self.start = start
        }
    }

    /// Weight tensors (quantised); biases stay full precision.
    public static let tensors = 3

    public static let metricSpecs: [MetricSpec] = {
        var m: [MetricSpec] = []
        func each(_ make: (TernaryMethod) -> MetricSpec) { for a in TernaryMethod.allCases { m.append(make(a)) } }
        each { MetricSpec("test_acc_ternary\($0.suffix)", "test accuracy (297 digits) of the \($0.label) arm with hard-ternary weights clamp(round(w s)) / s") }
        each { MetricSpec("transition_rate\($0.suffix)", "fraction of weights whose ternary state changed per step (\($0.label) arm, mean of the last steps)", mayBeUndefined: true) }
        each { MetricSpec("dead_zone_fraction\($0.suffix)", "fraction of weights whose ternary state never changed during QAT (\($0.label) arm)", mayBeUndefined: true) }
        each { MetricSpec("transitions\($0.suffix)", "ternary state changes per weight since QAT began (\($0.label) arm)") }
        each { MetricSpec("loss\($0.suffix)", unit: "nats", "cross-entropy of the last minibatch through w_eff (\($0.label) arm)", mayBeUndefined: true) }
        for l in 1...tensors { m.append(MetricSpec("t_layer_\(l)", "temperature τ_\(l) T(r) of weight tensor \(l) (Hessian-guided arm)")) }
        for l in 1...tensors { m.append(MetricSpec("t_layer_\(l)_soft", "temperature T(r) of weight tensor \(l) (soft arm: the same for every tensor)")) }
        m.append(MetricSpec("pressure", "quantisation pressure π(r) = min(1, r / 0.2) of the soft arms (STE: 1 throughout)"))
        for l in 1...tensors { m.append(MetricSpec("trace_layer_\(l)", "Hutchinson estimate of tr ∇²_W L for weight tensor \(l) at the pre-trained weights")) }
        m.append(MetricSpec("test_acc_fp", "test accuracy of the full-precision pre-trained network (the common start)"))
        return m
    }()

    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("quantiser", "density of z = w / mean|w| (shown arm), the hard staircase on {-1, 0, 1} and q_T(z) at each tensor's temperature"),
        ViewSpec("hessian", "per-tensor Hessian traces as bars, their temperature factors τ, the active sign of α and the schedule"),
    ]

    public let config: Config
    public let metricNames = TernaryQATSimulation.metricSpecs.map(\.name)
    public let viewNames = TernaryQATSimulation.viewSpecs.map(\.name)
    public private(set) var step = 0
    public var dt: Double { 0 }
    public private(set) var activeRule: Int
    public var ruleNames: [String] { rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: train.count / config.batch) }
    public var ruleEquation: String {
        rules[activeRule].equation + ";  w_eff = (1 - pi) w + pi q_T(w s)/s, s = 1/mean|w|, q_T = sum_c c softmax(-(z - c)^2/T)"
    }

    private var rules: [any DynamicsRule]
    private let layout: MLPLayout
    private var batch: BatchMLP
    private let train: Dataset
    private let test: Dataset
    private let mask: [Float]
    /// Per arm (`TernaryMethod` order): latent weights, optimiser state, transition counter, last loss.
    private var thetas: [[Float]]
    private var ruleStates: [DynamicsRuleState]
    private var trackers: [TernaryTransitions]
    private var losses: [Double]
    /// Minibatch order: a permutation of the training set per epoch, from the "batches" stream.
    private var order: [Int]
    private var cursor = 0
    private var shuffler: RNG
    /// QAT steps taken (equals `step`).
    private var updates = 0
    /// Live: the annealing length, T₀, α and the arm the views show.
    private var annealSteps: Int
    private var schedule: TernarySchedule
    private var alpha: Double
    private var shown = TernaryMethod.hessian
    /// Hessian traces of the three weight tensors at the pre-trained weights.
    public let traces: [Double]
    private let fpAccuracy: Double
    private let startAccuracy: Double

    public init(config: Config, seed: UInt64) {
        precondition(config.hidden.count == 2 && config.batch >= 1 && config.annealSteps >= 1 && config.pretrainEpochs >= 0)
        self.config = config
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        let net = MLP(sizes: [64] + config.hidden + [10], hidden: config.activation, output: .softmax, rng: &initRNG)
        layout = net.layout
        let split = Digits.split()
        train = split.train
        test = split.test
        rules = config.rules
        activeRule = config.start
        batch = BatchMLP(net, capacity: max(config.batch, config.probeSamples, test.count))
        mask = (0..<net.params.count).map { $0 < net.layout.paramCount ? 1 : 0 }
        // Full-precision pre-training, then the Hessian traces at the pre-trained weights.
        var theta = net.params
        var pre = root.stream("pretrain")
        Self.pretrain(&theta, epochs: config.pretrainEpochs, rule: config.rules[config.start], batch: &batch, train: train,
                      size: config.batch, mask: mask, rng: &pre)
        var hrng = root.stream("hutchinson")
        traces = Self.hessianTraces(theta, layout: layout, batch: &batch, probe: train.slice(0..<min(config.probeSamples, train.count)),
                                    samples: config.hutchinsonSamples, step: config.hvpStep, rng: &hrng)
        batch.forward(theta, x: test.x)
        fpAccuracy = batch.accuracy(test.labels)
        batch.forward(Self.hardTernary(theta, layout), x: test.x)
        startAccuracy = batch.accuracy(test.labels)
        thetas = [[Float]](repeating: theta, count: TernaryMethod.allCases.count)
        ruleStates = [DynamicsRuleState](repeating: DynamicsRuleState(count: theta.count), count: thetas.count)
        let states = Self.hardStates(theta, layout)
        trackers = [TernaryTransitions](repeating: TernaryTransitions(states: states, window: config.window), count: thetas.count)
        losses = [Double](repeating: .nan, count: thetas.count)
        order = Array(0..<train.count)
        shuffler = root.stream("batches")
        shuffler.shuffle(&order)
        annealSteps = config.annealSteps
        schedule = TernarySchedule(t0: config.t0 ?? TernaryQuantiser.defaultT0)
        alpha = config.alpha
    }

    // MARK: Set-up

    /// The rows `idx` of the training set as a minibatch (inputs, one-hot targets).
    static func minibatch(_ train: Dataset, _ idx: ArraySlice<Int>) -> (x: Matrix, t: Matrix) {
        let f = train.features
        var x = Matrix(rows: idx.count, cols: f)
        var t = Matrix(rows: idx.count, cols: train.classes)
        for (r, i) in idx.enumerated() {
            for j in 0..<f { x.storage[r * f + j] = train.x.storage[i * f + j] }
            t.storage[r * train.classes + train.labels[i]] = 1
        }
        return (x, t)
    }

    /// `epochs` epochs of full-precision minibatch training with `rule` (its own fresh state).
    static func pretrain(_ theta: inout [Float], epochs: Int, rule: any DynamicsRule, batch: inout BatchMLP, train: Dataset,
                         size: Int, mask: [Float], rng: inout RNG) {
        var state = DynamicsRuleState(count: theta.count)
        var g = [Float](repeating: 0, count: theta.count)
        var order = Array(0..<train.count)
        for _ in 0..<epochs {
            rng.shuffle(&order)
            for b in 0..<(train.count / size) {
                let (x, t) = minibatch(train, order[(b * size)..<((b + 1) * size)])
                batch.lossAndGradient(theta, x: x, t: t, into: &g)
                rule.update(&theta, gradient: g, mask: mask, state: &state)
            }
        }
    }

    /// tr ∇²_{W_l} L for each weight tensor: Hutchinson's estimator with `samples` Rademacher
    /// vectors on central-difference Hessian-vector products of the mean loss over `probe`.
    static func hessianTraces(_ theta: [Float], layout: MLPLayout, batch: inout BatchMLP, probe: Dataset, samples: Int,
                              step: Float, rng: inout RNG) -> [Double] {
        let (x, t) = minibatch(probe, ArraySlice(0..<probe.count))
        func gradient(_ p: [Float]) -> [Float] {
            var g = [Float](repeating: 0, count: p.count)
            batch.lossAndGradient(p, x: x, t: t, into: &g)
            return g
        }
        let blocks = (0..<tensors).map { layout.wOffset[$0]..<(layout.wOffset[$0] + layout.weightCount($0)) }
        return HessianTemperatureScale.blockTraces(at: theta, blocks: blocks, samples: samples, step: step, rng: &rng,
                                                   gradient: gradient)
    }

    /// s = 1 / mean|W| of the tensor at `o` with `n` entries (1 for an all-zero tensor).
    static func scale(_ theta: [Float], _ o: Int, _ n: Int) -> Float {
        var sum: Float = 0
        for k in o..<(o + n) { sum += abs(theta[k]) }
        return sum > 0 ? Float(n) / sum : 1
    }

    /// Hard ternary states clamp(round(w s)) of all weights, tensor after tensor.
    static func hardStates(_ theta: [Float], _ lay: MLPLayout) -> [Int8] {
        var out: [Int8] = []
        for l in 0..<tensors {
            let o = lay.wOffset[l], n = lay.weightCount(l), s = scale(theta, o, n)
            for k in o..<(o + n) { out.append(TernaryQuantiser.state(theta[k] * s)) }
        }
        return out
    }

    /// θ with every weight replaced by its hard-ternary value state / s (biases kept).
    static func hardTernary(_ theta: [Float], _ lay: MLPLayout) -> [Float] {
        var q = theta
        for l in 0..<tensors {
            let o = lay.wOffset[l], n = lay.weightCount(l), s = scale(theta, o, n)
            for k in o..<(o + n) { q[k] = Float(TernaryQuantiser.state(theta[k] * s)) / s }
        }
        return q
    }

    private mutating func hardAccuracy(_ theta: [Float]) -> Double {
        batch.forward(Self.hardTernary(theta, layout), x: test.x)
        return batch.accuracy(test.labels)
    }

    // MARK: Schedule

    /// Progress r = updates / annealing steps, clamped to 1.
    public var progress: Double { min(1, Double(updates) / Double(annealSteps)) }

    /// The Hessian factors (ζ, s, τ) of the three tensors at the current α.
    public var hessianScales: [(zscore: Double, sensitivity: Double, tau: Double)] {
        HessianTemperatureScale.scales(traces: traces, kappa: config.kappa, alpha: alpha)
    }

    /// Per-tensor temperature of an arm at progress r (0 = hard).
    public func temperatures(_ m: TernaryMethod, _ r: Double) -> [Double] {
        let t = schedule.temperature(r)
        switch m {
        case .ste: return [Double](repeating: 0, count: Self.tensors)
        case .soft: return [Double](repeating: t, count: Self.tensors)
        case .hessian: return hessianScales.map { $0.tau * t }
        }
    }

    /// Quantisation pressure of an arm at progress r.
    public func pressure(_ m: TernaryMethod, _ r: Double) -> Double {
        switch m {
        case .ste: 1
        case .soft, .hessian: schedule.pressure(r)
        }
    }

    // MARK: Stepping

    private mutating func nextBatch() -> (x: Matrix, t: Matrix) {
        if cursor + config.batch > order.count {
            shuffler.shuffle(&order)
            cursor = 0
        }
        let b = Self.minibatch(train, order[cursor..<(cursor + config.batch)])
        cursor += config.batch
        return b
    }

    /// One QAT step of arm m on the minibatch (x, t).
    private mutating func stepArm(_ m: TernaryMethod, _ x: Matrix, _ t: Matrix, r: Double) {
        let a = m.rawValue, lay = layout
        let temps = temperatures(m, r), p = Float(pressure(m, r))
        let theta = thetas[a]
        var eff = theta, slope = [Float](repeating: 1, count: theta.count)
        for l in 0..<Self.tensors {
            let o = lay.wOffset[l], n = lay.weightCount(l), s = Self.scale(theta, o, n), temp = Float(temps[l])
            for k in o..<(o + n) {
                let w = theta[k], q = TernaryQuantiser.soft(w * s, temperature: temp)
                eff[k] = (1 - p) * w + p * q.value / s
                slope[k] = (1 - p) + p * q.slope
            }
        }
        var g = [Float](repeating: 0, count: theta.count)
        losses[a] = Double(batch.lossAndGradient(eff, x: x, t: t, into: &g))
        for k in 0..<g.count { g[k] *= slope[k] }
        rules[activeRule].update(&thetas[a], gradient: g, mask: mask, state: &ruleStates[a])
        trackers[a].record(Self.hardStates(thetas[a], lay))
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            let (x, t) = nextBatch()
            let r = progress
            for m in TernaryMethod.allCases { stepArm(m, x, t, r: r) }
            updates += 1
            step += 1
        }
    }

    public mutating func measure() -> [Double] {
        let arms = TernaryMethod.allCases
        var out: [Double] = []
        for m in arms { out.append(hardAccuracy(thetas[m.rawValue])) }
        out += arms.map { trackers[$0.rawValue].rate }
        out += arms.map { trackers[$0.rawValue].deadZoneFraction }
        out += arms.map { trackers[$0.rawValue].changesPerWeight }
        out += arms.map { losses[$0.rawValue] }
        let r = progress
        out += temperatures(.hessian, r)
        out += temperatures(.soft, r)
        out.append(pressure(.soft, r))
        out += traces
        out.append(fpAccuracy)
        return out
    }

    // MARK: Controls

    public var controls: [Control] {
        [Control(name: "method", value: Double(shown.rawValue), range: 0...Double(TernaryMethod.allCases.count - 1), step: 1,
                 labels: TernaryMethod.allCases.map(\.label)),
         Control(name: "alpha", value: alpha, range: -2...2, step: 0.1),
         Control(name: "t0", value: schedule.t0, range: 0.05...2, step: 0.01),
         Control(name: "anneal_steps", value: Double(annealSteps), range: 50...20_000, step: 50)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "method": shown = TernaryMethod(rawValue: Int(value.rounded())) ?? shown
        case "alpha": alpha = value
        case "t0": schedule.t0 = value
        case "anneal_steps": annealSteps = Int(value.rounded())
        default: return "unknown control '\(name)'"
        }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        ruleStates = [DynamicsRuleState](repeating: DynamicsRuleState(count: thetas[0].count), count: thetas.count)
    }

    // MARK: Views

    public func views() -> [String: PanelView] {
        ["quantiser": .traces(quantiserView()), "hessian": .text(hessianText())]
    }

    /// Density of z (all three tensors of the shown arm, 50 bins on [−2.5, 2.5], peak = 1), the
    /// hard staircase and q_T at each distinct tensor temperature.
    private func quantiserView() -> TracesView {
        let theta = thetas[shown.rawValue], lay = layout
        var zs: [Float] = []
        zs.reserveCapacity(theta.count)
        for l in 0..<Self.tensors {
            let o = lay.wOffset[l], n = lay.weightCount(l), s = Self.scale(theta, o, n)
            for k in o..<(o + n) { zs.append(theta[k] * s) }
        }
        let h = HistogramView(binning: zs, lower: -2.5, upper: 2.5, bins: 50, label: "z")
        let peak = Float(max(1, h.counts.max() ?? 1))
        let centres = (0..<50).map { Float(-2.5 + 0.1 * (Double($0) + 0.5)) }
        let grid = (0...100).map { Float(-2.5 + 0.05 * Double($0)) }
        var names = ["density", "hard"]
        var series = [h.counts.map { Float($0) / peak }, grid.map { Float(TernaryQuantiser.state($0)) }]
        var xs = [centres, grid]
        let temps = temperatures(shown, progress)
        var seen: [Double] = []
        for (l, t) in temps.enumerated() where t > 0 && !seen.contains(t) {
            seen.append(t)
            names.append(shown == .hessian ? "q W\(l + 1)" : "q_T")
            series.append(grid.map { TernaryQuantiser.soft($0, temperature: Float(t)).value })
            xs.append(grid)
        }
        return TracesView(names: names, series: series, unit: "", xs: xs, xLabel: "z = w / mean|w| (\(shown.label))")
    }

    /// The traces as bars with each tensor's factor τ and temperature, the active sign of α,
    /// the schedule and the pre-trained accuracies; short lines for narrow panels.
    private func hessianText() -> String {
        let sc = hessianScales, r = progress, temps = temperatures(.hessian, r)
        let top = max(traces.map { abs($0) }.max() ?? 1, 1e-30)
        let f = { (x: Double) in NumberFormat.fixed(x, 3) }
        var lines = [
            alpha > 0 ? "alpha \(f(alpha)) > 0: COOLS high-trace W" : alpha < 0 ? "alpha \(f(alpha)) < 0: WARMS high-trace W" : "alpha 0: no guidance",
            "W  trace            tau    T now",
        ]
        for l in 0..<Self.tensors {
            let bar = String(repeating: "#", count: max(0, Int((8 * traces[l] / top).rounded())))
            lines.append("\(l + 1)  \(pad(NumberFormat.compact(traces[l]), 6)) \(pad(bar, 8))  \(f(sc[l].tau))  \(f(temps[l]))")
        }
        lines.append("r \(NumberFormat.fixed(r, 2)) (\(updates)/\(annealSteps))  pi \(NumberFormat.fixed(schedule.pressure(r), 2))")
        lines.append("T(r) \(f(schedule.temperature(r)))  T0 \(f(schedule.t0))" + (schedule.t0 == TernaryQuantiser.defaultT0 ? " (argmin)" : " (set)"))
        lines.append("pre-trained acc: fp \(NumberFormat.fixed(fpAccuracy, 3)), ternary \(NumberFormat.fixed(startAccuracy, 3))")
        return lines.joined(separator: "\n")
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    public func probe() -> [Factor] {
        let r = progress, a = shown.rawValue
        return [Factor("r", r), Factor("pressure", pressure(shown, r))]
            + temperatures(shown, r).enumerated().map { Factor("T W\($0.offset + 1)", $0.element) }
            + [Factor("transition rate", trackers[a].rate), Factor("dead zone", trackers[a].deadZoneFraction)]
    }
}
