import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A REINFORCE-trained input-noise mask on digits (scene `noise-mask`, science page 39; Yavuz &
/// Yang 2024, "Policy Gradient-Driven Noise Mask": the mask's application and the reward's sign
/// are design choices of the page). Three arms, each a 64-100-10 ReLU classifier trained by SGD
/// on noised images x̃ = (1 − s m) ⊙ x + s m ⊙ ξ (ξ ~ U[0, 1] per pixel, shared by the arms):
///
/// - `coop`: m from a learned `NoiseMaskPolicy` with the cooperative reward
///   R = −CE(f(x̃), y) + λ mean_j m_j (as much noise as possible where it does no harm);
/// - `adv`: the same with the adversarial reward R = CE − λ mean_j m_j (noise that hurts);
/// - `uniform`: a constant mask at the cooperative arm's current mean level (the control).
///
/// Both policies learn by the selected `PolicyGradientRule` (advantage R − b or R, b the
/// running mean of R). After `pretrainSteps` the policies are dropped and every classifier
/// fine-tunes on clean digits.
public struct NoiseMaskSimulation: Simulation {
    public struct Config: Sendable {
        public var hidden: Int
        public var batch: Int
        /// Noise strength s and mask budget weight λ_m (both live).
        public var noise: Double
        public var budget: Double
        public var classifierEta: Double
        public var policyEta: Double
        public var policyInitSD: Double
        public var pretrainSteps: Int
        public var rules: [any PolicyGradientRule]
        public var start: Int
        public init(hidden: Int = 100, batch: Int = 32, noise: Double = 0.5, budget: Double = 0.1, classifierEta: Double = 0.05,
                    policyEta: Double = 0.001, policyInitSD: Double = 0.01, pretrainSteps: Int = 3000,
                    rules: [any PolicyGradientRule] = [MaskReinforceBaseline()], start: Int = 0) {
            self.hidden = hidden; self.batch = batch; self.noise = noise; self.budget = budget; self.classifierEta = classifierEta
            self.policyEta = policyEta; self.policyInitSD = policyInitSD; self.pretrainSteps = pretrainSteps
            self.rules = rules; self.start = start
        }
    }

    public static let metricSpecs: [MetricSpec] = [
        MetricSpec("test_acc_coop", "clean test accuracy of the classifier pretrained with the cooperative learned mask (fine-tuned after the pretraining)"),
        MetricSpec("test_acc_adv", "clean test accuracy of the classifier pretrained with the adversarial learned mask"),
        MetricSpec("test_acc_uniform", "clean test accuracy of the classifier pretrained with the uniform-mask control"),
        MetricSpec("mask_var_corr_coop", "correlation across pixels of the cooperative mean mask with the digits' per-pixel variance (< 0: noise on the border)",
                   mayBeUndefined: true),
        MetricSpec("mask_var_corr_adv", "correlation across pixels of the adversarial mean mask with the per-pixel variance (> 0: noise on the strokes)",
                   mayBeUndefined: true),
        MetricSpec("mask_mean_coop", "mean of the cooperative policy's expected mask over the test digits"),
        MetricSpec("mask_mean_adv", "mean of the adversarial policy's expected mask over the test digits"),
        MetricSpec("reward_coop", unit: "nats", "batch-mean reward of the cooperative policy (last pretraining step)", mayBeUndefined: true),
        MetricSpec("reward_adv", unit: "nats", "batch-mean reward of the adversarial policy (last pretraining step)", mayBeUndefined: true),
        MetricSpec("baseline_coop", unit: "nats", "running baseline b of the cooperative reward", mayBeUndefined: true),
        MetricSpec("pg_var_baseline", "per-sample variance of the cooperative policy-gradient estimate with advantage R - b (running mean)",
                   mayBeUndefined: true),
        MetricSpec("pg_var_raw", "the same without the baseline (advantage R), on the same samples", mayBeUndefined: true),
    ]
    public static let viewSpecs = [
        ViewSpec("mask_coop", "cooperative policy: expected mask over all test digits, then per class 0-9 (8x8, 0..1)"),
        ViewSpec("mask_adv", "adversarial policy: expected mask over all test digits, then per class 0-9 (8x8, 0..1)"),
        ViewSpec("pixel_variance", "per-pixel variance of the training digits (what an informative pixel looks like)"),
        ViewSpec("samples", "four test digits: clean, then noised with the coop, adv and uniform masks (expected masks)"),
    ]

    public let config: Config
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public var dt: Double { 0 }
    public var metricNames: [String] { Self.metricSpecs.map(\.name) }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: stepsPerEpoch) }
    public var ruleEquation: String {
        config.rules[activeRule].equation + ";  m ~ Beta(1 + softplus(W x + b));  x~ = (1 - s m) x + s m xi;  R = -/+ (CE - lambda <m>)"
    }
    public var controls: [Control] {
        [Control(name: "noise", value: noise, range: 0.05...1, step: 0.05),
         Control(name: "mask_budget", value: budget, range: 0...1, step: 0.05)]
    }
    public var events: [SimulationEvent] {
        step >= config.pretrainSteps ? [SimulationEvent(step: config.pretrainSteps, label: "fine-tune")] : []
    }

    /// Classifier parameters of the three arms and their optimiser states.
    public private(set) var classifiers: [[Float]]
    public private(set) var policies: [NoiseMaskPolicy]
    private var states: [DynamicsRuleState]
    private let sgd: GradientDescent
    private var net: BatchMLP
    private let train: Dataset
    private let test: Dataset
    private let pixelVariance: [Float]
    private let stepsPerEpoch: Int
    private var order: [Int]
    private var batchRNG: RNG
    private var noiseRNG: RNG
    private var maskRNG: [RNG]
    private var noise: Double
    private var budget: Double
    /// Running baselines, last batch rewards and the EMA (decay 0.98) of the variances.
    private var baseline: [Double] = [.nan, .nan]
    private var reward: [Double] = [.nan, .nan]
    private var varBaseline = Double.nan
    private var varRaw = Double.nan
    private let allOnes: [Float]

    /// Reward signs: R = sign · (CE − λ mean m); −1 cooperative, +1 adversarial.
    static let signs: [Float] = [-1, 1]

    public init(config: Config, seed: UInt64, data: (train: Dataset, test: Dataset)) {
        precondition(config.rules.indices.contains(config.start) && config.batch >= 1 && config.batch <= data.train.count)
        self.config = config
        activeRule = config.start
        train = data.train
        test = data.test
        let layout = MLPLayout(sizes: [data.train.features, config.hidden, data.train.classes])
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        let theta0 = layout.heInitialised(rng: &initRNG)
        classifiers = [theta0, theta0, theta0]
        states = Array(repeating: DynamicsRuleState(count: layout.paramCount), count: 3)
        sgd = GradientDescent(eta: Float(config.classifierEta))
        allOnes = [Float](repeating: 1, count: layout.paramCount)
        var policyRNG = root.stream("policy")
        let p = NoiseMaskPolicy(pixels: data.train.features, sd: Float(config.policyInitSD), eta: Float(config.policyEta), rng: &policyRNG)
        policies = [p, p]
        net = BatchMLP(layout: layout, hidden: .relu, output: .softmax, capacity: max(config.batch, data.test.count))
        let means = data.train.featureMeans()
        var v = [Float](repeating: 0, count: data.train.features)
        for i in 0..<data.train.count {
            for j in 0..<data.train.features { let d = data.train.x[i, j] - means[j]; v[j] += d * d / Float(data.train.count) }
        }
        pixelVariance = v
        stepsPerEpoch = max(1, data.train.count / config.batch)
        order = Array(0..<data.train.count)
        batchRNG = root.stream("batches")
        noiseRNG = root.stream("noise")
        maskRNG = [root.stream("mask.coop"), root.stream("mask.adv")]
        noise = config.noise
        budget = config.budget
    }

    /// x̃ = (1 − s m) ⊙ x + s m ⊙ ξ, elementwise over n × P.
    static func noised(_ x: Matrix, mask: (Int) -> Float, xi: [Float], strength s: Float) -> Matrix {
        var out = x
        for k in 0..<out.storage.count {
            let m = s * mask(k)
            out.storage[k] = (1 - m) * x.storage[k] + m * xi[k]
        }
        return out
    }

    public mutating func advance(_ steps: Int) {
        let n = config.batch, f = train.features, c = train.classes
        for _ in 0..<max(0, steps) {
            let within = step % stepsPerEpoch
            if within == 0 { batchRNG.shuffle(&order) }
            var x = Matrix(rows: n, cols: f), t = Matrix(rows: n, cols: c)
            var labels = [Int](repeating: 0, count: n)
            for r in 0..<n {
                let i = order[within * n + r]
                labels[r] = train.labels[i]
                for j in 0..<f { x[r, j] = train.x[i, j] }
                t[r, labels[r]] = 1
            }
            if step < config.pretrainSteps { pretrainStep(x, t, labels) } else {
                var g = allOnes
                for a in 0..<3 {
                    net.lossAndGradient(classifiers[a], x: x, t: t, into: &g)
                    sgd.update(&classifiers[a], gradient: g, mask: allOnes, state: &states[a])
                }
            }
            step += 1
        }
    }

    private mutating func pretrainStep(_ x: Matrix, _ t: Matrix, _ labels: [Int]) {
        let n = x.rows, p = train.features, s = Float(noise), lambda = Float(budget)
        let xi = (0..<(n * p)).map { _ in noiseRNG.uniform() }
        var g = allOnes
        var level: Float = 0
        for a in 0..<3 {
            let xt: Matrix
            if a < 2 {
                policies[a].sample(x, rng: &maskRNG[a])
                let m = policies[a].masks
                if a == 0 { level = m.reduce(0, +) / Float(m.count) }
                xt = Self.noised(x, mask: { m[$0] }, xi: xi, strength: s)
            } else {
                xt = Self.noised(x, mask: { _ in level }, xi: xi, strength: s)
            }
            net.lossAndGradient(classifiers[a], x: xt, t: t, into: &g)
            if a < 2 {
                let out = net.activity(2), m = policies[a].masks
                var r = [Float](repeating: 0, count: n)
                for i in 0..<n {
                    let ce = -log(max(out[i, labels[i]], 1e-30))
                    var mm: Float = 0
                    for j in 0..<p { mm += m[i * p + j] }
                    r[i] = Self.signs[a] * (ce - lambda * mm / Float(p))
                }
                let meanR = Double(r.reduce(0, +)) / Double(n)
                if baseline[a].isNaN { baseline[a] = meanR }
                let b = Float(baseline[a])
                let rule = config.rules[activeRule]
                let adv = r.map { rule.advantage(reward: $0, baseline: b) }
                let withBaseline = r.map { $0 - b }
                let v = policies[a].reinforce(x, advantage: adv, alternative: withBaseline == adv ? r : withBaseline)
                if a == 0 {
                    // First: the applied advantage; second: the other weighting, on the same samples.
                    let (vb, vr) = withBaseline == adv ? (v.first, v.second) : (v.second, v.first)
                    varBaseline = varBaseline.isNaN ? vb : 0.98 * varBaseline + 0.02 * vb
                    varRaw = varRaw.isNaN ? vr : 0.98 * varRaw + 0.02 * vr
                }
                baseline[a] = 0.99 * baseline[a] + 0.01 * meanR
                reward[a] = meanR
            }
            sgd.update(&classifiers[a], gradient: g, mask: allOnes, state: &states[a])
        }
    }

    /// Pearson correlation of a and b (NaN when either is constant).
    static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0.0) { $0 + Double($1) } / n, mb = b.reduce(0.0) { $0 + Double($1) } / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for k in a.indices {
            let da = Double(a[k]) - ma, db = Double(b[k]) - mb
            sab += da * db; saa += da * da; sbb += db * db
        }
        guard saa > 0, sbb > 0 else { return .nan }
        return sab / (saa * sbb).squareRoot()
    }

    /// The per-pixel mean of a policy's expected masks over the test digits.
    func meanMask(_ a: Int) -> [Float] {
        let m = policies[a].meanMasks(test.x), p = train.features
        var out = [Float](repeating: 0, count: p)
        for i in 0..<test.count { for j in 0..<p { out[j] += m[i * p + j] / Float(test.count) } }
        return out
    }

    public mutating func measure() -> [Double] {
        var acc: [Double] = []
        for a in 0..<3 {
            net.forward(classifiers[a], x: test.x)
            acc.append(net.accuracy(test.labels))
        }
        let masks = [meanMask(0), meanMask(1)]
        return acc + masks.map { Self.correlation($0, pixelVariance) }
            + masks.map { Double($0.reduce(0, +)) / Double($0.count) }
            + reward + [baseline[0], varBaseline, varRaw]
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        if name == "noise" { noise = value } else { budget = value }
        return nil
    }

    /// The expected masks of policy `a`: all test digits, then each class.
    func classMasks(_ a: Int) -> [Float] {
        let m = policies[a].meanMasks(test.x), p = train.features, k = test.classes
        var sums = [Float](repeating: 0, count: (k + 1) * p)
        var counts = [Float](repeating: 0, count: k + 1)
        for i in 0..<test.count {
            for row in [0, 1 + test.labels[i]] {
                counts[row] += 1
                for j in 0..<p { sums[row * p + j] += m[i * p + j] }
            }
        }
        for row in 0...k where counts[row] > 0 { for j in 0..<p { sums[row * p + j] /= counts[row] } }
        return sums
    }

    public func views() -> [String: PanelView] {
        let p = train.features, k = test.classes
        let tile = TileShape(rows: 8, cols: 8)
        // Four fixed test digits, noised with each arm's expected mask and a fixed noise image
        // (a view-only stream: drawing it never touches the dynamics).
        var viewRNG = RNG(seed: 7).stream("view")
        let xi = (0..<(4 * p)).map { _ in viewRNG.uniform() }
        let x = test.x.rows >= 4 ? Matrix(rows: 4, cols: p, storage: Array(test.x.storage[0..<(4 * p)])) : test.x
        let s = Float(noise)
        let m0 = policies[0].meanMasks(x), m1 = policies[1].meanMasks(x)
        let level = m0.reduce(0, +) / Float(max(1, m0.count))
        var samples = x.storage
        for xt in [Self.noised(x, mask: { m0[$0] }, xi: xi, strength: s), Self.noised(x, mask: { m1[$0] }, xi: xi, strength: s),
                   Self.noised(x, mask: { _ in level }, xi: xi, strength: s)] { samples += xt.storage }
        let vMax = max(pixelVariance.max() ?? 0, 1e-6)
        return [
            "mask_coop": .heatmap(HeatmapView(rows: k + 1, cols: p, values: classMasks(0), tile: tile, scale: .fixed(0, 1))),
            "mask_adv": .heatmap(HeatmapView(rows: k + 1, cols: p, values: classMasks(1), tile: tile, scale: .fixed(0, 1))),
            "pixel_variance": .heatmap(HeatmapView(rows: 1, cols: p, values: pixelVariance, tile: tile, scale: .fixed(0, vMax))),
            "samples": .heatmap(HeatmapView(rows: samples.count / p, cols: p, values: samples, tile: tile, scale: .fixed(0, 1))),
        ]
    }

    public func probe() -> [Factor] {
        [Factor("reward coop R", reward[0]), Factor("baseline coop b", baseline[0]), Factor("reward adv R", reward[1]),
         Factor("baseline adv b", baseline[1]), Factor("var(g) with b", varBaseline), Factor("var(g) raw", varRaw)]
    }
}
