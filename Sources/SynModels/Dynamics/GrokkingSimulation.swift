import SynCore

/// Modular addition (a + b) mod p learned by a two-layer network, after He, Wang, Chen & Yang
/// (2026, arXiv 2602.16849; authors' code `Y-Agent/modular-addition-feature-learning`): scene
/// `grokking`. f(a, b) = W_out σ(W_in (e_a + e_b)), W_in ∈ R^{M×p}, W_out ∈ R^{p×M}, σ = ReLU,
/// no biases, softmax cross-entropy over the p classes, entries N(0, (κ/√p)²), full-batch
/// updates on a random fraction of the p² pairs. One step = one full-batch update (epoch).
///
/// Observables: train/test accuracy with the mirror fraction m (test pairs whose swap (b, a) is
/// in the training set: what memorisation plus commutativity can reach); the Fourier power of
/// each neuron's input row over Z_p (`Fourier`), its inverse participation ratio (IPR, ~2/(K+1)
/// at random init, 1 for one frequency), how many of the K = (p − 1)/2 frequencies are some
/// neuron's dominant one, and the share of neurons whose dominant frequency is the one that was
/// strongest at init (the "lottery").
public struct GrokkingSimulation: Simulation {
    public struct Config: Sendable {
        public var p: Int
        public var width: Int
        public var hidden: Activation
        public var trainFraction: Double
        /// Init scale κ: entries N(0, (κ/√p)²).
        public var kappa: Float
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(p: Int = 23, width: Int = 128, hidden: Activation = .relu, trainFraction: Double = 0.75, kappa: Float = 0.1,
                    rules: [any DynamicsRule], start: Int = 0) {
            self.p = p; self.width = width; self.hidden = hidden; self.trainFraction = trainFraction; self.kappa = kappa
            self.rules = rules; self.start = start
        }
    }

    public static let metricSpecs: [MetricSpec] = [
        MetricSpec("train_acc", "fraction of training pairs answered right"),
        MetricSpec("test_acc", "fraction of held-out pairs answered right"),
        MetricSpec("mirror_fraction", "test pairs whose swap (b, a) is a training pair: memorisation + commutativity"),
        MetricSpec("loss", "mean cross-entropy on the training pairs"),
        MetricSpec("test_loss", "mean cross-entropy on the held-out pairs"),
        MetricSpec("ipr", "mean over neurons of the IPR Σ A_k⁴ / (Σ A_k²)² of W_in rows' Fourier amplitudes (1 = one frequency)"),
        MetricSpec("freq_coverage", "fraction of the K frequencies that are some neuron's dominant frequency"),
        MetricSpec("lottery_share", "fraction of neurons whose dominant frequency is the one strongest at init"),
        MetricSpec("param_norm", "Euclidean norm of all weights ‖θ‖"),
    ]
    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("fourier", "normalised Fourier power of each neuron's input weights (rows, sorted by dominant frequency) over frequencies 1..K"),
        ViewSpec("logits", "output probabilities f(0, b)[j] for b (rows) and answers j (columns): a peak at j = b"),
    ]

    public let config: Config
    public let metricNames = GrokkingSimulation.metricSpecs.map(\.name)
    public let viewNames = GrokkingSimulation.viewSpecs.map(\.name)
    public private(set) var step = 0
    public var dt: Double { 0 }
    public private(set) var activeRule: Int
    public var ruleNames: [String] { rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "100 epochs", steps: 100) }
    public var ruleEquation: String { rules[activeRule].equation + ";  f(a,b) = W_out relu(W_in (e_a + e_b)), cross-entropy" }

    private var rules: [any DynamicsRule]
    private var ruleState: DynamicsRuleState
    public private(set) var net: MLP
    private var batch: BatchMLP
    private let trainX: Matrix, trainT: Matrix, trainLabels: [Int]
    private let testX: Matrix, testT: Matrix, testLabels: [Int]
    public let mirrorFraction: Double
    /// Dominant frequency of each neuron's input row at init.
    private let initialDominant: [Int]
    private let mask: [Float]
    private var grad: [Float]

    public init(config: Config, seed: UInt64) {
        let p = config.p, m = config.width
        precondition(p >= 3 && m >= 1 && config.trainFraction > 0 && config.trainFraction < 1)
        self.config = config
        let root = RNG(seed: seed)
        var pairs = (0..<(p * p)).map { $0 }
        var split = root.stream("split")
        split.shuffle(&pairs)
        let nTrain = min(p * p - 1, max(1, Int((config.trainFraction * Double(p * p)).rounded())))
        let train = Array(pairs[..<nTrain]), test = Array(pairs[nTrain...])
        func encode(_ ids: [Int]) -> (Matrix, Matrix, [Int]) {
            let x = Matrix(rows: ids.count, cols: p) { i, j in Float((ids[i] / p == j ? 1 : 0) + (ids[i] % p == j ? 1 : 0)) }
            let labels = ids.map { ($0 / p + $0 % p) % p }
            let t = Matrix(rows: ids.count, cols: p) { i, j in labels[i] == j ? 1 : 0 }
            return (x, t, labels)
        }
        (trainX, trainT, trainLabels) = encode(train)
        (testX, testT, testLabels) = encode(test)
        let inTrain = Set(train)
        mirrorFraction = Double(test.filter { inTrain.contains(($0 % p) * p + $0 / p) }.count) / Double(test.count)

        var w = root.stream("init")
        var net = MLP(sizes: [p, m, p], hidden: config.hidden, output: .softmax, rng: &w)
        let lay = net.layout
        let sd = config.kappa / Float(p).squareRoot()
        for l in 0..<2 { for k in 0..<lay.weightCount(l) { net.params[lay.wOffset[l] + k] = sd * w.normal() } }
        self.net = net
        var maskW = [Float](repeating: 0, count: net.params.count)
        for l in 0..<2 { for k in 0..<lay.weightCount(l) { maskW[lay.wOffset[l] + k] = 1 } }
        mask = maskW
        grad = [Float](repeating: 0, count: net.params.count)
        batch = BatchMLP(net, capacity: max(train.count, test.count))
        rules = config.rules
        activeRule = config.start
        ruleState = DynamicsRuleState(count: net.params.count)
        initialDominant = Self.spectra(of: net).map(Fourier.dominantFrequency)
    }

    /// Fourier power of every neuron's input row (W_in row m over the p tokens).
    static func spectra(of net: MLP) -> [[Double]] {
        let w = net.weights(0)
        return (0..<w.rows).map { Fourier.power(w.row($0)) }
    }

    public var controls: [Control] {
        [Control(name: "weight_decay", value: Double(rules[activeRule].weightDecay), range: 0...2, step: 0.25)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        rules[activeRule].weightDecay = Float(value)
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        ruleState = DynamicsRuleState(count: net.params.count)
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            batch.lossAndGradient(net.params, x: trainX, t: trainT, into: &grad)
            rules[activeRule].update(&net.params, gradient: grad, mask: mask, state: &ruleState)
            step += 1
        }
    }

    public mutating func measure() -> [Double] {
        let loss = Double(batch.loss(net.params, x: trainX, t: trainT))
        let trainAcc = batch.accuracy(trainLabels)
        let testLoss = Double(batch.loss(net.params, x: testX, t: testT))
        let testAcc = batch.accuracy(testLabels)
        let spectra = Self.spectra(of: net)
        let dominant = spectra.map(Fourier.dominantFrequency)
        let iprs = spectra.map(Fourier.ipr).filter(\.isFinite)
        let k = (config.p - 1) / 2
        let covered = Set(dominant.filter { $0 <= k }).count
        let kept = zip(dominant, initialDominant).filter { $0 == $1 }.count
        return [trainAcc, testAcc, mirrorFraction, loss, testLoss,
                iprs.isEmpty ? .nan : iprs.reduce(0, +) / Double(iprs.count),
                Double(covered) / Double(max(1, k)), Double(kept) / Double(dominant.count),
                HessianProbe.norm2(net.params)]
    }

    public func views() -> [String: PanelView] {
        let k = max(1, (config.p - 1) / 2)
        let spectra = Self.spectra(of: net)
        let order = spectra.indices.sorted {
            let a = Fourier.dominantFrequency(spectra[$0]), b = Fourier.dominantFrequency(spectra[$1])
            return a != b ? a < b : $0 < $1
        }
        var fourier: [Float] = []
        fourier.reserveCapacity(order.count * k)
        for m in order {
            let s = spectra[m].dropFirst().prefix(k)
            let top = s.max() ?? 0
            for v in s { fourier.append(top > 0 ? Float(v / top) : 0) }
        }
        var copy = net
        var logits: [Float] = []
        for b in 0..<config.p {
            var x = [Float](repeating: 0, count: config.p)
            x[0] += 1
            x[b] += 1
            logits += copy.predict(x)
        }
        return [
            "fourier": .heatmap(HeatmapView(rows: order.count, cols: k, values: fourier, scale: .fixed(0, 1))),
            "logits": .heatmap(HeatmapView(rows: config.p, cols: config.p, values: logits, scale: .fixed(0, 1))),
        ]
    }

    public func probe() -> [Factor] {
        [Factor("eta", Double(rules[activeRule].eta)), Factor("weight_decay", Double(rules[activeRule].weightDecay)),
         Factor("mirror m", mirrorFraction)]
    }
}
