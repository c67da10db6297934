import SynCore

/// Inverse effectiveness in multimodal fusion (scene `iemf`, science page 34; He et al., arXiv
/// 2505.10176). A digit is split into two "modalities", its top and bottom 32 pixels, each with
/// Gaussian noise of sd σ (fresh per training batch, one fixed draw for the test set). One
/// `FusionNet` per noise level and per fusion rule (baseline, IEMF) trains in parallel from the
/// same initial weights on the same minibatches and noise draws (paired arms). Multisensory
/// enhancement ME = (acc_av − max(acc_a, acc_v)) / max(acc_a, acc_v) plotted against σ should
/// rise from σ = 0 and fall again when both cues approach chance (an inverted U).
/// One step = one minibatch for every network; the big step is an epoch.
public struct FusionSimulation: Simulation {
    public struct Config: Sendable {
        public var hidden: Int
        /// Noise sd of the levels (both modalities, before the live multipliers).
        public var levels: [Double]
        public var batch: Int
        public var eta: Float
        public var momentum: Float
        public var detached: Bool
        public var startEpoch: Int
        public var gradientNoise: Bool
        public var rules: [any FusionRule]
        public var start: Int
        public init(hidden: Int = 64, levels: [Double] = [0, 0.5, 1, 1.5, 2.5], batch: Int = 32, eta: Float = 0.05,
                    momentum: Float = 0.9, detached: Bool = true, startEpoch: Int = 0, gradientNoise: Bool = false,
                    rules: [any FusionRule], start: Int = 0) {
            self.hidden = hidden; self.levels = levels; self.batch = batch; self.eta = eta; self.momentum = momentum
            self.detached = detached; self.startEpoch = startEpoch; self.gradientNoise = gradientNoise
            self.rules = rules; self.start = start
        }
    }

    static let perLevel = ["me", "acc_av", "acc_a", "acc_v", "coeff_av"]
    /// Metrics of `rules` at `levels` noise levels: per rule and level (numbered from 1) ME,
    /// the three accuracies and the running coefficient.
    public static func metricSpecs(rules: [String], levels: Int) -> [MetricSpec] {
        rules.flatMap { r in
            (1...max(1, levels)).flatMap { k in
                [MetricSpec("me_\(r)_\(k)", "multisensory enhancement (acc_av - max(acc_a, acc_v)) / max, \(r), noise level \(k)", mayBeUndefined: true),
                 MetricSpec("acc_av_\(r)_\(k)", "fused test accuracy, \(r), noise level \(k)"),
                 MetricSpec("acc_a_\(r)_\(k)", "top-half (a) head test accuracy, \(r), noise level \(k)"),
                 MetricSpec("acc_v_\(r)_\(k)", "bottom-half (v) head test accuracy, \(r), noise level \(k)"),
                 MetricSpec("coeff_av_\(r)_\(k)", "running mean (about one epoch) of the rule's fusion coefficient c (1 for baseline), \(r), level \(k)",
                            mayBeUndefined: true)]
            }
        } + [MetricSpec("epoch", "epochs completed")]
    }
    public static let viewSpecs = [
        ViewSpec("inverse_effectiveness", "ME against the noise sd sigma, one curve per rule (the inverted U)"),
        ViewSpec("coeff_vs_noise", "running coefficient 1 + tanh(1 - ratio) against sigma, one curve per rule"),
        ViewSpec("accuracy_vs_noise", "acc_a, acc_v and acc_av against sigma, active rule"),
        ViewSpec("modalities", "a test digit: clean, then as the two noisy modalities see it at each level"),
    ]

    public let config: Config
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: stepsPerEpoch) }
    public var ruleEquation: String {
        config.rules[activeRule].equation + ";  s_m = sum_batch softmax(o_m)[y];  L = CE(o_av) + CE(o_a) + CE(o_v), SGD momentum \(config.momentum)"
    }

    private let train: Dataset
    private let test: Dataset
    private let testNoise: [Float]
    /// nets[r][k]: rule r at level k.
    private var nets: [[FusionNet]]
    private var coeff: [[Double]]
    private var order: [Int] = []
    private var batchRNG: RNG
    private var noiseRNG: RNG
    private var gradNoiseRNG: RNG
    private var scaleTop: Float = 1
    private var scaleBottom: Float = 1
    private var gradientNoise: Bool
    private var detached: Bool
    private var startEpoch: Int
    private let stepsPerEpoch: Int
    private var lastMetrics: [[(me: Double, av: Double, a: Double, v: Double)]] = []

    public init(config: Config, seed: UInt64, train: Dataset, test: Dataset) {
        precondition(!config.levels.isEmpty && config.rules.indices.contains(config.start) && config.batch >= 1)
        self.config = config
        self.train = train
        self.test = test
        activeRule = config.start
        gradientNoise = config.gradientNoise
        detached = config.detached
        startEpoch = config.startEpoch
        metricNames = Self.metricSpecs(rules: config.rules.map(\.name), levels: config.levels.count).map(\.name)
        let root = RNG(seed: seed)
        var wrng = root.stream("weights")
        let net = FusionNet(inputs: train.features, split: train.features / 2, hidden: config.hidden, classes: train.classes, rng: &wrng)
        nets = Array(repeating: Array(repeating: net, count: config.levels.count), count: config.rules.count)
        coeff = Array(repeating: Array(repeating: .nan, count: config.levels.count), count: config.rules.count)
        var trng = root.stream("test-noise")
        testNoise = (0..<(test.count * test.features)).map { _ in trng.normal() }
        batchRNG = root.stream("batches")
        noiseRNG = root.stream("noise")
        gradNoiseRNG = root.stream("gradient-noise")
        stepsPerEpoch = max(1, train.count / config.batch)
    }

    public var controls: [Control] {
        [Control(name: "noise_top", value: Double(scaleTop), range: 0...2, step: 0.1),
         Control(name: "noise_bottom", value: Double(scaleBottom), range: 0...2, step: 0.1),
         Control(name: "grad_noise", value: gradientNoise ? 1 : 0, range: 0...1, step: 1, labels: ["off", "on"]),
         Control(name: "unimodal_heads", value: detached ? 0 : 1, range: 0...1, step: 1, labels: ["detached", "train_encoders"]),
         Control(name: "start_epoch", value: Double(startEpoch), range: 0...100, step: 1)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "noise_top": scaleTop = Float(value)
        case "noise_bottom": scaleBottom = Float(value)
        case "grad_noise": gradientNoise = value.rounded() == 1
        case "unimodal_heads": detached = value.rounded() == 0
        default: startEpoch = Int(value.rounded())
        }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
    }

    /// Splits rows of x into the two modality blocks with noise sd (σ_top, σ_bottom) · ε.
    private func modalities(_ x: ArraySlice<Float>, rows: Int, noise: ArraySlice<Float>, sigma: Float) -> (Matrix, Matrix) {
        let f = train.features, s = f / 2
        var a = Matrix(rows: rows, cols: s), v = Matrix(rows: rows, cols: f - s)
        let x0 = x.startIndex, e0 = noise.startIndex
        let st = sigma * scaleTop, sb = sigma * scaleBottom
        for i in 0..<rows {
            for j in 0..<s { a.storage[i * s + j] = x[x0 + i * f + j] + st * noise[e0 + i * f + j] }
            for j in s..<f { v.storage[i * (f - s) + j - s] = x[x0 + i * f + j] + sb * noise[e0 + i * f + j] }
        }
        return (a, v)
    }

    public mutating func advance(_ steps: Int) {
        let n = config.batch, f = train.features
        for _ in 0..<max(0, steps) {
            let pos = step % stepsPerEpoch
            if pos == 0 {
                order = Array(0..<train.count)
                batchRNG.shuffle(&order)
            }
            let rows = order[(pos * n)..<((pos + 1) * n)]
            var x = [Float](repeating: 0, count: n * f)
            var labels = [Int](repeating: 0, count: n)
            for (i, r) in rows.enumerated() {
                labels[i] = train.labels[r]
                for j in 0..<f { x[i * f + j] = train.x.storage[r * f + j] }
            }
            let eps = (0..<(n * f)).map { _ in noiseRNG.normal() }
            let modulate = step / stepsPerEpoch >= startEpoch
            for k in config.levels.indices {
                let (a, v) = modalities(x[...], rows: n, noise: eps[...], sigma: Float(config.levels[k]))
                for r in config.rules.indices {
                    let rule = config.rules[r]
                    nets[r][k].forward(a: a, v: v)
                    var g = nets[r][k].gradients(labels: labels, detached: detached)
                    let s = nets[r][k].confidence(labels)
                    let c = rule.coefficient(sA: s.a, sV: s.v, sAV: s.av)
                    let old = coeff[r][k]
                    coeff[r][k] = old.isNaN ? Double(c) : old + (Double(c) - old) / Double(stepsPerEpoch)
                    if modulate {
                        for b in FusionNet.fusionBlocks {
                            let sd = gradientNoise && rule.addsGradientNoise ? Self.sd(g[b].storage) : 0
                            for t in g[b].storage.indices { g[b].storage[t] = c * g[b].storage[t] + (sd > 0 ? sd * gradNoiseRNG.normal() : 0) }
                        }
                    }
                    nets[r][k].descend(g, eta: config.eta, momentum: config.momentum)
                }
            }
            step += 1
        }
    }

    static func sd(_ x: [Float]) -> Float {
        guard x.count > 1 else { return 0 }
        let m = x.reduce(0, +) / Float(x.count)
        let v = x.reduce(Float(0)) { $0 + ($1 - m) * ($1 - m) } / Float(x.count - 1)
        return v.squareRoot()
    }

    public mutating func measure() -> [Double] {
        var out: [Double] = []
        lastMetrics = []
        for r in config.rules.indices {
            var row: [(me: Double, av: Double, a: Double, v: Double)] = []
            for k in config.levels.indices {
                let (a, v) = modalities(test.x.storage[...], rows: test.count, noise: testNoise[...], sigma: Float(config.levels[k]))
                nets[r][k].forward(a: a, v: v)
                let acc = nets[r][k].accuracies(test.labels)
                let best = max(acc.a, acc.v)
                let me = best > 0 ? (acc.av - best) / best : .nan
                row.append((me, acc.av, acc.a, acc.v))
                out += [me, acc.av, acc.a, acc.v, coeff[r][k]]
            }
            lastMetrics.append(row)
        }
        return out + [Double(step) / Double(stepsPerEpoch)]
    }

    public func views() -> [String: PanelView] {
        let xs = config.levels.map(Float.init)
        let measured = lastMetrics.count == config.rules.count
        func curve(_ r: Int, _ f: ((me: Double, av: Double, a: Double, v: Double)) -> Double) -> [Float] {
            measured ? lastMetrics[r].map { Float(f($0)) } : xs.map { _ in .nan }
        }
        let names = config.rules.map(\.name)
        let me = TracesView(names: names, series: names.indices.map { curve($0) { $0.me } }, unit: "ME",
                            xs: Array(repeating: xs, count: names.count), xLabel: "noise sd sigma")
        let c = TracesView(names: names, series: coeff.map { $0.map(Float.init) }, unit: "coeff",
                           xs: Array(repeating: xs, count: names.count), xLabel: "noise sd sigma")
        let acc = TracesView(names: ["acc_a (top)", "acc_v (bottom)", "acc_av (fused)"],
                             series: [curve(activeRule) { $0.a }, curve(activeRule) { $0.v }, curve(activeRule) { $0.av }],
                             unit: "acc", xs: [xs, xs, xs], xLabel: "noise sd sigma")
        let f = test.features
        var tiles = Array(test.x.storage[0..<f])
        for k in config.levels.indices {
            let (a, v) = modalities(test.x.storage[0..<f], rows: 1, noise: testNoise[0..<f], sigma: Float(config.levels[k]))
            tiles += a.storage + v.storage
        }
        return [
            "inverse_effectiveness": .traces(me),
            "coeff_vs_noise": .traces(c),
            "accuracy_vs_noise": .traces(acc),
            "modalities": .heatmap(HeatmapView(rows: 1 + config.levels.count, cols: f, values: tiles,
                                               tile: TileShape(rows: 8, cols: 8), scale: .fixed(0, 1))),
        ]
    }

    public func probe() -> [Factor] {
        let k = config.levels.count / 2
        return [Factor("sigma", config.levels[k]), Factor("coeff_av", coeff[activeRule][k])]
    }
}
