import SynCore

/// Straight-through vs REINFORCE on digits (scene `ste`; Bengio, Léonard & Courville 2013,
/// arXiv 1308.3432): 64-H-10 networks with stochastic binary hidden units, trained from the
/// same initial weights in parallel, one per estimator of the scene plus two controls: W1 frozen
/// (only W2 learns: is an estimator's signal real?) and deterministic sigmoid training evaluated
/// stochastically. One step = one minibatch of SGD for every arm; the big step is an epoch.
///
/// The active rule (r) picks the estimator whose gradient quality is probed at its own arm's
/// current weights: on a fixed 16-example probe batch, the cosine of one draw (`cos_single`) and
/// of the mean of K draws (`cos_avg`) with the reference gradient of the expected loss.
public struct StochasticEstimatorSimulation: Simulation {
    public struct Config: Sendable {
        public var hidden: Int
        public var eta: Float
        public var batch: Int
        /// Samples averaged per test example at evaluation.
        public var evalSamples: Int
        /// Draws averaged for `cos_avg` (live control "samples").
        public var probeSamples: Int
        /// Samples of the reference gradient's per-unit identity.
        public var referenceSamples: Int
        /// Whether the W1-frozen and deterministic control arms run.
        public var controls: Bool
        public var rules: [any StochasticEstimatorRule]
        public var start: Int
        public init(hidden: Int = 100, eta: Float = 0.1, batch: Int = 32, evalSamples: Int = 10, probeSamples: Int = 32,
                    referenceSamples: Int = 256, controls: Bool = true, rules: [any StochasticEstimatorRule], start: Int = 0) {
            self.hidden = hidden; self.eta = eta; self.batch = batch; self.evalSamples = evalSamples
            self.probeSamples = probeSamples; self.referenceSamples = referenceSamples; self.controls = controls
            self.rules = rules; self.start = start
        }

        /// Arm labels: the estimators, then `frozen_w1` and `deterministic` when controls run.
        public static func armLabels(rules: [String], controls: Bool) -> [String] {
            rules + (controls ? ["frozen_w1", "deterministic"] : [])
        }
    }

    /// How an arm trains W1.
    enum Mode: Sendable { case estimator(Int), frozen, deterministic }

    struct Arm: Sendable {
        var mode: Mode
        var net: StochasticBinaryNet
        /// EMAs of (h − p)² L and (h − p)² per unit, for the REINFORCE baseline.
        var num: [Float], den: [Float]
        var lossSum = 0.0, lossCount = 0
        var baseline: [Float] { zip(num, den).map { $1 > 0 ? $0 / $1 : 0 } }
    }

    public static let baseMetrics: [MetricSpec] = [
        MetricSpec("test_acc", "test accuracy of the active estimator's network (mean softmax of the evaluation samples)"),
        MetricSpec("loss", unit: "nats", "mean training cross-entropy of the active estimator's network since the last row (undefined before training)",
                   mayBeUndefined: true),
        MetricSpec("cos_single", "cosine of ONE draw of the active estimator's W1 gradient with the reference gradient (probe batch)", mayBeUndefined: true),
        MetricSpec("cos_avg", "cosine of the mean of K draws (control 'samples') with the reference gradient", mayBeUndefined: true),
    ]

    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("cos_vs_samples", "cosine with the reference gradient of the mean of K draws, K = 1 ... 64, every estimator at initialisation"),
        ViewSpec("hidden_p", "firing probabilities p of the active estimator's hidden units on the probe batch"),
    ]

    public let config: Config
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public private(set) var activeRule: Int
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: max(1, train.count / config.batch)) }
    public var ruleEquation: String {
        config.rules[activeRule].equation + ";  h ~ Bernoulli(sigma(W1 x + b1)), W1 -= eta g_a x^T"
    }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }

    private let train: Dataset, test: Dataset
    private var arms: [Arm]
    private var sampleRNG: RNG, orderRNG: RNG
    private let root: RNG
    private var order: [Int]
    private var cursor = 0
    private var eta: Float
    private var probeSamples: Int
    /// Cosine of the K-draw mean for K = 1, 2, 4 ... 64 at initialisation, per estimator.
    private let initialCurves: [[Float]]
    static let curveK = [1, 2, 4, 8, 16, 32, 64]
    static let probeBatch = 16

    public init(config: Config, train: Dataset, test: Dataset, seed: UInt64) {
        precondition(!config.rules.isEmpty && config.hidden > 0 && config.batch > 0 && train.count > 0)
        self.config = config
        self.train = train
        self.test = test
        root = RNG(seed: seed)
        var wrng = root.stream("weights")
        let net = StochasticBinaryNet(inputs: train.features, hidden: config.hidden, classes: train.classes, rng: &wrng)
        let zeros = [Float](repeating: 0, count: config.hidden)
        var arms = config.rules.indices.map { Arm(mode: .estimator($0), net: net, num: zeros, den: zeros) }
        if config.controls {
            arms.append(Arm(mode: .frozen, net: net, num: zeros, den: zeros))
            arms.append(Arm(mode: .deterministic, net: net, num: zeros, den: zeros))
        }
        self.arms = arms
        sampleRNG = root.stream("samples")
        orderRNG = root.stream("order")
        order = Array(0..<train.count)
        orderRNG.shuffle(&order)
        eta = config.eta
        probeSamples = config.probeSamples
        activeRule = config.start
        metricNames = Self.baseMetrics.map(\.name)
            + Config.armLabels(rules: config.rules.map(\.name), controls: config.controls).map { "test_acc_\($0)" }
        var crng = root.stream("initial-curves")
        let probe = Self.probeIndices(train.count)
        let reference = Self.reference(net, train, probe, samples: config.referenceSamples, rng: &crng)
        initialCurves = config.rules.map { rule in
            Self.cosines(rule, net: net, baseline: zeros, train, probe, reference: reference, ks: Self.curveK, rng: &crng).map(Float.init)
        }
    }

    static func probeIndices(_ n: Int) -> [Int] { (0..<min(n, probeBatch)).map { $0 * max(1, n / probeBatch) } }

    // MARK: training

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            var batch: [Int] = []
            for _ in 0..<config.batch {
                if cursor == order.count { orderRNG.shuffle(&order); cursor = 0 }
                batch.append(order[cursor]); cursor += 1
            }
            for a in arms.indices { trainStep(arm: a, batch) }
            step += 1
        }
    }

    private mutating func trainStep(arm a: Int, _ batch: [Int]) {
        var arm = arms[a]
        let h = config.hidden, i = train.features, c = train.classes
        var g1 = [Float](repeating: 0, count: h * i), gb1 = [Float](repeating: 0, count: h)
        var g2 = [Float](repeating: 0, count: c * h), gb2 = [Float](repeating: 0, count: c)
        var ga = [Float](repeating: 0, count: h)
        var num = [Float](repeating: 0, count: h), den = num
        let baseline = arm.baseline
        for n in batch {
            let y = train.labels[n]
            let p = train.x.withRow(n) { r in r.baseAddress.map { arm.net.probabilities($0) } ?? [] }
            let hs: [Float]
            if case .deterministic = arm.mode { hs = p } else { hs = StochasticBinaryNet.sample(p, rng: &sampleRNG) }
            let q = arm.net.softmax(hs)
            let loss = StochasticBinaryNet.loss(q, y)
            arm.lossSum += Double(loss); arm.lossCount += 1
            for k in 0..<c {
                let e = q[k] - (k == y ? 1 : 0)
                gb2[k] += e
                for j in 0..<h where hs[j] != 0 { g2[k * h + j] += e * hs[j] }
            }
            for j in 0..<h { let d = hs[j] - p[j]; num[j] += d * d * loss; den[j] += d * d }
            switch arm.mode {
            case .frozen: continue
            case .deterministic:
                let dh = arm.net.hiddenError(q, y)
                for j in 0..<h { ga[j] = dh[j] * p[j] * (1 - p[j]) }
            case .estimator(let r):
                config.rules[r].hiddenGradient(p: p, h: hs, dh: arm.net.hiddenError(q, y), loss: loss, baseline: baseline, into: &ga)
            }
            train.x.withRow(n) { x in
                for j in 0..<h where ga[j] != 0 {
                    gb1[j] += ga[j]
                    for k in 0..<i { g1[j * i + k] += ga[j] * x[k] }
                }
            }
        }
        let s = eta / Float(batch.count)
        for k in arm.net.w2.indices { arm.net.w2[k] -= s * g2[k] }
        for k in arm.net.b2.indices { arm.net.b2[k] -= s * gb2[k] }
        if case .frozen = arm.mode {} else {
            for k in arm.net.w1.indices { arm.net.w1[k] -= s * g1[k] }
            for k in arm.net.b1.indices { arm.net.b1[k] -= s * gb1[k] }
        }
        let b = Float(batch.count)
        for j in 0..<h {
            arm.num[j] = 0.99 * arm.num[j] + 0.01 * num[j] / b
            arm.den[j] = 0.99 * arm.den[j] + 0.01 * den[j] / b
        }
        arms[a] = arm
    }

    // MARK: estimator quality

    /// Reference ∂E[L]/∂W1 (H x I, mean over the probe batch).
    static func reference(_ net: StochasticBinaryNet, _ data: Dataset, _ probe: [Int], samples: Int, rng: inout RNG) -> [Float] {
        var g = [[Float]]()
        for n in probe {
            let p = data.x.withRow(n) { r in r.baseAddress.map { net.probabilities($0) } ?? [] }
            g.append(net.referenceHiddenGradient(p: p, y: data.labels[n], samples: samples, rng: &rng))
        }
        return weightGradient(g, data, probe, hidden: net.hidden)
    }

    /// Σ_n g_a^n x_nᵀ / |probe| (the W1 gradient of per-example hidden gradients).
    static func weightGradient(_ ga: [[Float]], _ data: Dataset, _ probe: [Int], hidden: Int) -> [Float] {
        let i = data.features
        var g = [Float](repeating: 0, count: hidden * i)
        for (m, n) in probe.enumerated() {
            data.x.withRow(n) { x in
                for j in 0..<hidden where ga[m][j] != 0 { for k in 0..<i { g[j * i + k] += ga[m][j] * x[k] } }
            }
        }
        let s = 1 / Float(max(1, probe.count))
        return g.map { $0 * s }
    }

    /// Cosine of the mean of K draws of `rule` with `reference`, for each K in `ks` (ascending;
    /// the draws are shared: the K = 4 mean extends the K = 2 one). NaN where a norm is 0.
    static func cosines(_ rule: any StochasticEstimatorRule, net: StochasticBinaryNet, baseline: [Float], _ data: Dataset,
                        _ probe: [Int], reference: [Float], ks: [Int], rng: inout RNG) -> [Double] {
        let ps = probe.map { n in data.x.withRow(n) { r in r.baseAddress.map { net.probabilities($0) } ?? [] } }
        var sum = [[Float]](repeating: [Float](repeating: 0, count: net.hidden), count: probe.count)
        var ga = [Float](repeating: 0, count: net.hidden)
        var out: [Double] = []
        var drawn = 0
        for k in ks {
            while drawn < k {
                for (m, n) in probe.enumerated() {
                    let h = StochasticBinaryNet.sample(ps[m], rng: &rng)
                    let q = net.softmax(h)
                    let y = data.labels[n]
                    rule.hiddenGradient(p: ps[m], h: h, dh: net.hiddenError(q, y), loss: StochasticBinaryNet.loss(q, y),
                                        baseline: baseline, into: &ga)
                    for j in ga.indices { sum[m][j] += ga[j] }
                }
                drawn += 1
            }
            out.append(cosine(weightGradient(sum, data, probe, hidden: net.hidden), reference))
        }
        return out
    }

    /// a·b / (‖a‖‖b‖), NaN when either vector is zero (skipped, never reported as 0).
    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) { ab += Double(x) * Double(y); aa += Double(x) * Double(x); bb += Double(y) * Double(y) }
        return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : .nan
    }

    // MARK: protocol

    public mutating func measure() -> [Double] {
        var erng = root.stream("eval").stream(step)
        let accs = arms.map { $0.net.accuracy(test, samples: config.evalSamples, rng: &erng) }
        let active = arms[activeRule]
        let loss = active.lossCount > 0 ? active.lossSum / Double(active.lossCount) : .nan
        for a in arms.indices { arms[a].lossSum = 0; arms[a].lossCount = 0 }
        let probe = Self.probeIndices(train.count)
        var prng = root.stream("probe").stream(step)
        let reference = Self.reference(active.net, train, probe, samples: config.referenceSamples, rng: &prng)
        let cos = Self.cosines(config.rules[activeRule], net: active.net, baseline: active.baseline, train, probe,
                               reference: reference, ks: [1, max(1, probeSamples)], rng: &prng)
        return [accs[activeRule], loss, cos[0], cos[cos.count - 1]] + accs
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
    }

    public var controls: [Control] {
        [Control(name: "samples", value: Double(probeSamples), range: 1...256, step: 1),
         Control(name: "eta", value: Double(eta), range: 0.005...1, step: 0.005)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        if name == "samples" { probeSamples = Int(value.rounded()) } else { eta = Float(value) }
        return nil
    }

    public func views() -> [String: PanelView] {
        let xs = Self.curveK.map { Float($0.trailingZeroBitCount) }  // log2 K (powers of 2)
        let probe = Self.probeIndices(train.count)
        let net = arms[activeRule].net
        var ps: [Float] = []
        for n in probe { ps += train.x.withRow(n) { r in r.baseAddress.map { net.probabilities($0) } ?? [] } }
        return [
            "cos_vs_samples": .traces(TracesView(names: config.rules.map(\.name), series: initialCurves, unit: "cos",
                                                 xs: initialCurves.map { _ in xs }, xLabel: "log2 K draws averaged")),
            "hidden_p": .histogram(HistogramView(binning: ps, lower: 0, upper: 1, bins: 20, label: "p = sigma(a), probe batch")),
        ]
    }

    public func probe() -> [Factor] {
        let arm = arms[activeRule]
        let p = train.x.withRow(0) { r in r.baseAddress.map { arm.net.probabilities($0) } ?? [] }
        return [Factor("p_0 = sigma(a_0)", Double(p.first ?? .nan)), Factor("baseline Lbar_0", Double(arm.baseline.first ?? .nan)),
                Factor("eta", Double(eta))]
    }
}
