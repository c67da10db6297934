#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// A ReLU network whose every layer obeys Dale's law at the pathway level (Cornford et al.
/// 2024; Shetty et al. 2025): W = W_E − W_I with W_E, W_I ≥ 0 (each presynaptic unit projects
/// through an excitatory matrix and, as through a dedicated inhibitory relay, an inhibitory
/// one). Softmax cross-entropy on the digits; gradient descent on the full training batch or
/// on minibatches, with a `DaleLearningRule` applying G = ∂L/∂W to the two pathways.
///
/// Init (page 20): W_E, W_I = w0 · exp(0.1 ξ), ξ ~ N(0, 1); biases 0.
///
/// Metrics: `loss` (training cross-entropy), `train_acc`, `test_acc`; on W_E of the first layer,
/// restricted to rows of live input pixels (training sd > 0.05): `skew_log_we` and `sd_log_we`
/// (skew and sd of log W_E over its positive entries); `zero_fraction` (share of all W_E and
/// W_I entries that are exactly 0).
public struct DaleMLPSimulation: Simulation {
    public struct Config: Sendable {
        public var hidden: [Int] = [64]
        /// Initial magnitude w0 of every pathway entry.
        public var initialWeight: Float = 0.05
        /// Log-sd of the initial magnitudes.
        public var initialLogSD: Float = 0.1
        /// Samples per step when minibatching (the `batch` control switches full ↔ minibatch).
        public var minibatch = 32
        public var fullBatch = true
        public var rules: [ConfiguredRule<any DaleLearningRule>] = [ConfiguredRule(default: DaleRules.registry.rules[0])]
        public var start = 0
        public init() {}
    }

    public static let metrics = [
        MetricSpec("loss", "training cross-entropy (all 1500 training digits)"),
        MetricSpec("train_acc", "training accuracy"),
        MetricSpec("test_acc", "accuracy on the 297 test digits"),
        MetricSpec("skew_log_we", "skewness of log W_E (layer 1, live pixels, positive entries); ~0 = log-normal-like", mayBeUndefined: true),
        MetricSpec("sd_log_we", "sd of log W_E (layer 1, live pixels, positive entries); starts at 0.1", mayBeUndefined: true),
        MetricSpec("zero_fraction", "share of W_E and W_I entries (all layers) exactly 0"),
    ]
    public static let metricNames = metrics.map(\.name)
    public static let views = [
        ViewSpec("weights", "first-layer W = W_E − W_I as 8x8 receptive fields"),
        ViewSpec("log_we", "histogram of log10 W_E (first layer, positive entries)"),
        ViewSpec("log_wi", "histogram of log10 W_I (first layer, positive entries)"),
    ]
    public static let viewNames = views.map(\.name)

    public let config: Config
    public let sizes: [Int]
    public private(set) var step = 0
    public var dt: Double { 0 }
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public private(set) var activeRule: Int
    /// Per layer l: W_E, W_I (sizes[l+1] x sizes[l], row-major) and the bias.
    public private(set) var excitatory: [[Float]]
    public private(set) var inhibitory: [[Float]]
    public private(set) var bias: [[Float]]
    public private(set) var fullBatch: Bool
    let train: Dataset
    let test: Dataset
    /// Input columns whose training sd exceeds 0.05 (the skew is measured on their rows).
    let livePixels: [Int]
    private var order: [Int]
    private var cursor = 0
    private var shuffle: RNG
    private var lastGradient: [Float] = []

    var rule: any DaleLearningRule { config.rules[activeRule].rule }

    public init(config: Config, seed: UInt64, data: (train: Dataset, test: Dataset) = Digits.split()) {
        self.config = config
        train = data.train
        test = data.test
        sizes = [data.train.features] + config.hidden + [data.train.classes]
        activeRule = config.rules.indices.contains(config.start) ? config.start : 0
        fullBatch = config.fullBatch
        let root = RNG(seed: seed)
        var w = root.stream("weights")
        excitatory = []
        inhibitory = []
        bias = []
        for l in 0..<(sizes.count - 1) {
            let n = sizes[l] * sizes[l + 1]
            excitatory.append((0..<n).map { _ in config.initialWeight * expf(config.initialLogSD * w.normal()) })
            inhibitory.append((0..<n).map { _ in config.initialWeight * expf(config.initialLogSD * w.normal()) })
            bias.append([Float](repeating: 0, count: sizes[l + 1]))
        }
        let d = data.train.features, count = data.train.count
        var live: [Int] = []
        for i in 0..<d {
            var s = 0.0, s2 = 0.0
            for r in 0..<count { let x = Double(data.train.x[r, i]); s += x; s2 += x * x }
            let m = s / Double(max(1, count))
            if (s2 / Double(max(1, count)) - m * m).squareRoot() > 0.05 { live.append(i) }
        }
        livePixels = live
        shuffle = root.stream("order")
        order = Array(0..<count)
        shuffle.shuffle(&order)
    }

    /// W = W_E − W_I of layer l.
    public func weights(_ l: Int) -> [Float] { zip(excitatory[l], inhibitory[l]).map { $0 - $1 } }

    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: fullBatch ? 1 : max(1, train.count / config.minibatch)) }
    public var ruleEquation: String { rule.equation + ";  W = W_E - W_I, G = dL/dW" }

    /// Forward pass of `x` (rows = samples): activations per layer (a[0] = x), logits last.
    func forward(_ x: [Float], rows: Int) -> [[Float]] {
        var acts = [x]
        for l in 0..<(sizes.count - 1) {
            let fanIn = sizes[l], out = sizes[l + 1]
            let w = weights(l)
            var z = [Float](repeating: 0, count: rows * out)
            for r in 0..<rows { for j in 0..<out { z[r * out + j] = bias[l][j] } }
            acts[l].withUnsafeBufferPointer { a in
                w.withUnsafeBufferPointer { wb in
                    z.withUnsafeMutableBufferPointer { zb in
                        guard let ap = a.baseAddress, let wp = wb.baseAddress, let zp = zb.baseAddress else { return }
                        Gemm.sgemm(m: rows, n: out, k: fanIn, alpha: 1, a: ap, lda: fanIn, transA: false,
                                   b: wp, ldb: fanIn, transB: true, beta: 1, c: zp, ldc: out)
                    }
                }
            }
            if l < sizes.count - 2 { for k in z.indices where z[k] < 0 { z[k] = 0 } }
            acts.append(z)
        }
        return acts
    }

    /// Softmax in place per row; returns the mean cross-entropy and the number correct.
    static func softmax(_ z: inout [Float], rows: Int, classes: Int, labels: [Int]) -> (loss: Double, correct: Int) {
        var loss = 0.0, correct = 0
        for r in 0..<rows {
            var top = -Float.infinity, arg = 0
            for c in 0..<classes where z[r * classes + c] > top { top = z[r * classes + c]; arg = c }
            var s: Float = 0
            for c in 0..<classes { let e = expf(z[r * classes + c] - top); z[r * classes + c] = e; s += e }
            for c in 0..<classes { z[r * classes + c] /= s }
            loss -= log(max(Double(z[r * classes + labels[r]]), 1e-30))
            if arg == labels[r] { correct += 1 }
        }
        return (loss / Double(max(1, rows)), correct)
    }

    /// Gradients of the mean cross-entropy over the training samples `batch`: per layer,
    /// G = ∂L/∂W (out x in, row-major) and the bias gradient.
    func gradients(on batch: [Int]) -> [(w: [Float], b: [Float])] {
        let d = sizes[0], classes = sizes[sizes.count - 1], n = batch.count
        var x = [Float](repeating: 0, count: n * d)
        var labels = [Int](repeating: 0, count: n)
        for (r, i) in batch.enumerated() {
            for k in 0..<d { x[r * d + k] = train.x[i, k] }
            labels[r] = train.labels[i]
        }
        let acts = forward(x, rows: n)
        let layers = sizes.count - 1
        var delta = acts[layers]
        _ = Self.softmax(&delta, rows: n, classes: classes, labels: labels)
        for r in 0..<n { delta[r * classes + labels[r]] -= 1 }
        let scale = 1 / Float(n)
        for k in delta.indices { delta[k] *= scale }
        var grads = [(w: [Float], b: [Float])](repeating: ([], []), count: layers)
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let fanIn = sizes[l], out = sizes[l + 1]
            // G = deltaᵀ a_l (out x fanIn); bias gradient = column sums of delta.
            var g = [Float](repeating: 0, count: out * fanIn)
            delta.withUnsafeBufferPointer { db in
                acts[l].withUnsafeBufferPointer { ab in
                    g.withUnsafeMutableBufferPointer { gb in
                        guard let dp = db.baseAddress, let ap = ab.baseAddress, let gp = gb.baseAddress else { return }
                        Gemm.sgemm(m: out, n: fanIn, k: n, alpha: 1, a: dp, lda: out, transA: true,
                                   b: ap, ldb: fanIn, transB: false, beta: 0, c: gp, ldc: fanIn)
                    }
                }
            }
            var gb = [Float](repeating: 0, count: out)
            for r in 0..<n { for j in 0..<out { gb[j] += delta[r * out + j] } }
            grads[l] = (g, gb)
            guard l > 0 else { break }
            // delta_{l-1} = (delta W) ⊙ 1[a_l > 0].
            let w = weights(l)
            var next = [Float](repeating: 0, count: n * fanIn)
            delta.withUnsafeBufferPointer { db in
                w.withUnsafeBufferPointer { wb in
                    next.withUnsafeMutableBufferPointer { nb in
                        guard let dp = db.baseAddress, let wp = wb.baseAddress, let np = nb.baseAddress else { return }
                        Gemm.sgemm(m: n, n: fanIn, k: out, alpha: 1, a: dp, lda: out, transA: false,
                                   b: wp, ldb: fanIn, transB: false, beta: 0, c: np, ldc: fanIn)
                    }
                }
            }
            for k in next.indices where acts[l][k] <= 0 { next[k] = 0 }
            delta = next
        }
        return grads
    }

    /// One gradient step on the training samples `batch`: the rule updates both pathways of
    /// every layer from G; biases take a plain gradient step.
    private mutating func train(on batch: [Int]) {
        let grads = gradients(on: batch)
        let rule = self.rule
        for l in grads.indices {
            for j in bias[l].indices { bias[l][j] -= rule.biasRate * grads[l].b[j] }
            rule.update(excitatory: &excitatory[l], inhibitory: &inhibitory[l], gradient: grads[l].w)
        }
        lastGradient = grads.first?.w ?? []
    }

    /// Mean cross-entropy over the training samples `batch` (for gradient checks).
    func loss(on batch: [Int]) -> Double {
        let d = sizes[0]
        var x = [Float](repeating: 0, count: batch.count * d)
        for (r, i) in batch.enumerated() { for k in 0..<d { x[r * d + k] = train.x[i, k] } }
        var z = forward(x, rows: batch.count).last ?? []
        return Self.softmax(&z, rows: batch.count, classes: sizes[sizes.count - 1], labels: batch.map { train.labels[$0] }).loss
    }

    /// Test access: perturbs W_E of layer l at index k.
    mutating func nudgeExcitatory(_ l: Int, _ k: Int, by h: Float) { excitatory[l][k] += h }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            if fullBatch {
                train(on: Array(0..<train.count))
            } else {
                if cursor + config.minibatch > order.count {
                    shuffle.shuffle(&order)
                    cursor = 0
                }
                train(on: Array(order[cursor..<(cursor + config.minibatch)]))
                cursor += config.minibatch
            }
            step += 1
        }
    }

    /// Loss and accuracy of the current network on `data`.
    func evaluate(_ data: Dataset) -> (loss: Double, acc: Double) {
        var z = forward(data.x.storage, rows: data.count).last ?? []
        let (loss, correct) = Self.softmax(&z, rows: data.count, classes: sizes[sizes.count - 1], labels: data.labels)
        return (loss, Double(correct) / Double(max(1, data.count)))
    }

    /// Sd and skewness of log W_E over the positive entries of layer 1 on live-pixel inputs.
    public func logExcitatoryStats() -> (sd: Double, skew: Double) {
        let fanIn = sizes[0]
        var logs: [Double] = []
        for j in 0..<sizes[1] { for i in livePixels { let w = excitatory[0][j * fanIn + i]; if w > 0 { logs.append(log(Double(w))) } } }
        guard logs.count >= 3 else { return (.nan, .nan) }
        let m = logs.reduce(0, +) / Double(logs.count)
        var m2 = 0.0, m3 = 0.0
        for v in logs { let d = v - m; m2 += d * d; m3 += d * d * d }
        m2 /= Double(logs.count)
        m3 /= Double(logs.count)
        return (m2.squareRoot(), m2 > 0 ? m3 / pow(m2, 1.5) : .nan)
    }

    public mutating func measure() -> [Double] {
        let tr = evaluate(train), te = evaluate(test)
        let stats = logExcitatoryStats()
        var zeros = 0, total = 0
        for l in excitatory.indices {
            zeros += excitatory[l].lazy.filter { $0 == 0 }.count + inhibitory[l].lazy.filter { $0 == 0 }.count
            total += excitatory[l].count * 2
        }
        return [tr.loss, tr.acc, te.acc, stats.skew, stats.sd, Double(zeros) / Double(max(1, total))]
    }

    /// Switches the rule; the pathways (the weights) are kept.
    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
    }

    public var controls: [Control] {
        [Control(name: "batch", value: fullBatch ? 0 : 1, range: 0...1, step: 1, labels: ["full", "minibatch"])]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        fullBatch = value < 0.5
        return nil
    }

    public func views() -> [String: PanelView] {
        let w = weights(0)
        let limit = max(1e-6, w.lazy.map { abs($0) }.max() ?? 1)
        let side = Int(Double(sizes[0]).squareRoot())
        let tile = side * side == sizes[0] ? TileShape(rows: side, cols: side) : nil
        func logHistogram(_ v: [Float], _ label: String) -> PanelView {
            let zeros = v.lazy.filter { $0 == 0 }.count
            return .histogram(HistogramView(binning: v.lazy.filter { $0 > 0 }.map { log10f($0) }, lower: -5, upper: 1, bins: 30,
                                            label: "\(label) (\(zeros) exactly 0)"))
        }
        return [
            "weights": .heatmap(HeatmapView(rows: sizes[1], cols: sizes[0], values: w, tile: tile, scale: .symmetric(limit))),
            "log_we": logHistogram(excitatory[0], "log10 W_E"),
            "log_wi": logHistogram(inhibitory[0], "log10 W_I"),
        ]
    }

    /// The first-layer synapse from the first live pixel to hidden unit 0.
    public func probe() -> [Factor] {
        let i = livePixels.first ?? 0
        let g = lastGradient.indices.contains(i) ? lastGradient[i] : 0
        let we = excitatory[0][i], wi = inhibitory[0][i]
        return [Factor("synapse pixel \(i) -> hidden 0: W_E", Double(we)), Factor("W_I", Double(wi)),
                Factor("W = W_E - W_I", Double(we - wi)), Factor("gradient G (last step)", Double(g))]
    }
}
