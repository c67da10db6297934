import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An MLP trained online or in mini-batches on a supervised task, with live-switchable rules
/// (scenes `mlp-digits`, `nerve-spectra`, `curl-descent`). One step = one update (`batch`
/// samples); the big step is one epoch.
///
/// Metrics (classification / regression):
/// - `loss`: mean loss over (up to 2000 samples of) the training set at measure time
/// - `train_acc`, `test_acc` (classification) or `test_loss` (regression)
/// - `weight_norm`: Frobenius norm of all weights
/// - `alignment`: cosine between the active rule's update direction and the true (backprop)
///   gradient, both summed over a fixed probe batch of 16 training samples
/// - with `spectra`: `se_pre`, `se_post`, `pr_pre`, `pr_post`, `pr_gain` (= pr_post / pr_pre),
///   `eee_pre`, `eee_post`, `js` of the first hidden layer's net inputs (pre) and activities
///   (post) with the current weights over the first `window` training samples (see
///   `SpectralMetrics`); the `weight_scale` control
///   multiplies W1 (the pre-activation scale)
public struct MLPSimulation: Simulation {
    public struct Config: Sendable {
        public var sizes: [Int]
        public var hidden: Activation
        /// Hidden activations the `activation` control switches between (empty: no control).
        public var activationChoices: [Activation]
        public var output: Activation
        /// Initial weights W ~ N(0, gain^2 / fan_in).
        public var gain: Float
        /// Switchable rules (each with its own parameters); `start` indexes it.
        public var rules: [any MLPLearningRule]
        public var start: Int
        /// Curl descent: initial fraction of the input units whose outgoing (W1) gradient terms are
        /// flipped (live control `flip_fraction_in`); the hidden units' fraction is the curl
        /// rule's `flip_fraction` (live control `flip_fraction`).
        public var flipFractionIn: Double
        /// Start from the teacher's weights plus initNoise * N(0, 1 / fan_in) per weight
        /// (teacher-student tasks; biases get initNoise * N(0, 1)).
        public var startAtTeacher: Bool
        public var initNoise: Float
        /// Draw the initial weights from U(-gain/sqrt(fan_in), gain/sqrt(fan_in)) instead of the normal.
        public var uniformInit: Bool
        /// After every update rescale each W_l to its initial Frobenius norm (curl-descent paper code).
        public var normClamp: Bool
        /// Record spectral metrics of the first hidden layer over a probe of `window` training samples.
        public var spectra: Bool
        public var window: Int

        public init(sizes: [Int], hidden: Activation, activationChoices: [Activation] = [], output: Activation, gain: Float = 1,
                    rules: [any MLPLearningRule], start: Int, flipFractionIn: Double = 0,
                    startAtTeacher: Bool = false, initNoise: Float = 0, uniformInit: Bool = false, normClamp: Bool = false,
                    spectra: Bool = false, window: Int = 256) {
            self.sizes = sizes; self.hidden = hidden; self.activationChoices = activationChoices; self.output = output
            self.gain = gain; self.rules = rules; self.start = start
            self.flipFractionIn = flipFractionIn; self.startAtTeacher = startAtTeacher; self.initNoise = initNoise
            self.uniformInit = uniformInit; self.normClamp = normClamp
            self.spectra = spectra; self.window = window
        }
    }

    public let config: Config
    public let task: SupervisedTask
    public private(set) var net: MLP
    public private(set) var learner: MLPLearner
    /// The weights at every measurement, projected on their top two principal components.
    public private(set) var trajectory: WeightTrajectory
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var viewNames: [String] {
        var v = ["weights", "output_weights", "weight_hist", "log_weight_hist", "weight_trajectory"]
        if task.imageRows > 0 { v.insert("receptive_fields", at: 0) }
        if config.spectra { v += ["spectrum", "spectrum_pre"] } else { v.append("spectrum") }
        return v
    }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: (task.train.count + rule.batch - 1) / rule.batch) }
    public var ruleEquation: String { learner.rule.equation }
    public var rule: any MLPLearningRule { config.rules[activeRule] }

    private var stream: SampleStream
    private var flipFraction: Double
    private var flipFractionIn: Double
    /// The `noise_scale` control: b of the rules that perturb their weights (NVRM), applied
    /// whenever such a rule is active; starts at the first such rule's b.
    private var noiseScale: Double
    /// Frobenius norm of each W_l at the start (the norm clamp's target).
    private var initialNorms: [Double] = []
    /// test_loss at construction (regression tasks; the error_ratio denominator).
    private var initialTestLoss = Double.nan
    private var eta: Float
    private var activationIndex: Int
    /// Current multiple of the first layer's weights (the `weight_scale` control).
    private var weightScale = 1.0
    /// Input units and hidden units (every hidden layer) eligible for curl flips, in flip order.
    private let flipOrderIn: [Int]
    private let flipOrder: [Int]
    private var alignmentRNG: RNG
    private var lastPre: [Double] = []
    private var lastPost: [Double] = []
    private var lastUpdate: Float = 0

    public init(config: Config, task: SupervisedTask, teacher: MLP? = nil, seed: UInt64) {
        precondition(config.sizes.first == task.inputs && config.sizes.last == task.outputs)
        self.config = config
        self.task = task
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        net = MLP(sizes: config.sizes, hidden: config.hidden, output: config.output, gain: config.gain, uniform: config.uniformInit, rng: &initRNG)
        if config.startAtTeacher, let teacher, teacher.layout == net.layout {
            var noise = root.stream("init_noise")
            let lay = net.layout
            for i in 0..<lay.paramCount { net.params[i] = teacher.params[i] + config.initNoise * noise.normal() }
            for l in 0..<lay.layers {
                let s = 1 / Float(lay.sizes[l]).squareRoot()
                for k in lay.wOffset[l]..<(lay.wOffset[l] + lay.weightCount(l)) { net.params[k] = teacher.params[k] + (net.params[k] - teacher.params[k]) * s }
            }
        }
        activeRule = config.start
        learner = MLPLearner(rule: config.rules[config.start], layout: net.layout, rng: root.stream("rule"))
        // Recorded at every epoch end on the simulation's own clock (not at measurements, so when
        // and how often one looks never changes the panel).
        trajectory = WeightTrajectory(capacity: WeightTrajectory.capacity(parameters: net.layout.paramCount), unit: "epoch")
        trajectory.record(net.params)
        stream = SampleStream(count: task.train.count, rng: root.stream("order"))
        // D starts at the starting rule's flip fraction (or the first curl rule's).
        flipFraction = config.rules[config.start].flipFraction ?? config.rules.lazy.compactMap(\.flipFraction).first ?? 0
        flipFractionIn = config.flipFractionIn
        noiseScale = Double(config.rules.first(where: \.perturbsParameters)?.parameterNoise ?? 0)
        eta = config.rules[config.start].eta
        activationIndex = config.activationChoices.firstIndex(of: config.hidden) ?? 0
        var flipRNG = root.stream("curl")
        let lay = net.layout
        var inputs = Array(0..<lay.inputs)
        var units: [Int] = []
        for l in 1..<lay.layers { units += Array(lay.aOffset[l]..<(lay.aOffset[l] + lay.sizes[l])) }
        flipRNG.shuffle(&units)
        flipRNG.shuffle(&inputs)
        flipOrder = units
        flipOrderIn = inputs
        alignmentRNG = root.stream("alignment")
        var names = ["loss"] + (task.isClassification ? ["train_acc", "test_acc"] : ["test_loss"]) + ["alignment", "weight_norm"]
        if config.spectra { names += Self.spectralMetricNames }
        if !task.isClassification { names.append("error_ratio") }
        if !task.train.flipped.isEmpty { names += Self.memorisationMetricNames }
        metricNames = names
        applyFlips()
        initialNorms = (0..<lay.layers).map { weightNorm(layer: $0) }
        if !task.isClassification { initialTestLoss = evaluate(task.test).loss }
    }

    /// With label noise (`task.train.flipped`): the share of corrupted training rows predicted
    /// as their noisy label, and the mean loss over clean and over corrupted training rows
    /// (against the labels trained on); NaN when a group is empty.
    public static let memorisationMetricNames = ["memorised_fraction", "loss_clean_rows", "loss_noisy_rows"]

    /// Memorisation of noisy labels over the training set (see `memorisationMetricNames`).
    private mutating func memorisation() -> [Double] {
        let set = task.train
        var clean = 0.0, noisy = 0.0, nClean = 0, nNoisy = 0, memorised = 0
        let nIn = set.inputs, nOut = set.outputs
        set.x.storage.withUnsafeBufferPointer { xb in
            set.y.storage.withUnsafeBufferPointer { yb in
                guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                for i in 0..<min(set.count, set.flipped.count) {
                    let l = Double(net.loss(xp + i * nIn, yp + i * nOut))
                    if set.flipped[i] {
                        noisy += l
                        nNoisy += 1
                        if net.argmaxOutput() == set.labels[i] { memorised += 1 }
                    } else {
                        clean += l
                        nClean += 1
                    }
                }
            }
        }
        return [nNoisy > 0 ? Double(memorised) / Double(nNoisy) : .nan, nClean > 0 ? clean / Double(nClean) : .nan,
                nNoisy > 0 ? noisy / Double(nNoisy) : .nan]
    }

    /// The NerVE metrics recorded with `spectra`, in `measure` order.
    public static let spectralMetricNames = ["se_pre", "se_post", "pr_pre", "pr_post", "pr_gain", "eee_pre", "eee_post", "js"]

    /// Range of the `noise_scale` control (NVRM's b), as the rule's `noise_scale` parameter.
    public static let noiseScaleRange = 0.0...1.0

    /// Range of the `weight_scale` control (spectra scenes): W1 = scale x its initial draw.
    public static let weightScaleRange = 0.1...4.0

    public var controls: [Control] {
        var c = [Control(name: "eta", value: Double(eta), range: 1e-6...10, step: Double(eta) / 4)]
        if config.spectra {
            c.append(Control(name: "weight_scale", value: weightScale, range: Self.weightScaleRange, step: 0.1))
        }
        if config.rules.contains(where: { $0.flipFraction != nil }) {
            // One step = one neuron.
            c.append(Control(name: "flip_fraction", value: flipFraction, range: 0...1, step: 1 / Double(max(1, flipOrder.count))))
            c.append(Control(name: "flip_fraction_in", value: flipFractionIn, range: 0...1, step: 1 / Double(max(1, flipOrderIn.count))))
        }
        if config.rules.contains(where: \.perturbsParameters) {
            c.append(Control(name: "noise_scale", value: noiseScale, range: Self.noiseScaleRange, step: 0.01))
        }
        if config.activationChoices.count > 1 {
            c.append(Control(name: "activation", value: Double(activationIndex), range: 0...Double(config.activationChoices.count - 1), step: 1,
                               labels: config.activationChoices.map(\.rawValue)))
        }
        return c
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        switch name {
        case "eta":
            guard value >= 1e-6, value <= 10 else { return "eta: expected a number in [0.000001, 10], got \(value)" }
            eta = Float(value)
            learner.setEta(eta)
        case "flip_fraction" where config.rules.contains(where: { $0.flipFraction != nil }):
            guard (0...1).contains(value) else { return "flip_fraction: expected a number in [0, 1], got \(value)" }
            flipFraction = value
            applyFlips()
        case "flip_fraction_in" where config.rules.contains(where: { $0.flipFraction != nil }):
            guard (0...1).contains(value) else { return "flip_fraction_in: expected a number in [0, 1], got \(value)" }
            flipFractionIn = value
            applyFlips()
        case "noise_scale" where config.rules.contains(where: \.perturbsParameters):
            guard Self.noiseScaleRange.contains(value) else { return "noise_scale: expected a number in [0, 1], got \(value)" }
            noiseScale = value
            learner.setParameterNoise(Float(value))
        case "weight_scale" where config.spectra:
            guard Self.weightScaleRange.contains(value) else {
                return "weight_scale: expected a number in [\(Self.weightScaleRange.lowerBound), \(Self.weightScaleRange.upperBound)], got \(value)"
            }
            // W1 <- W1 * (new / old): the pre-activation sd scales with it (biases unchanged).
            let ratio = Float(value / weightScale)
            let lay = net.layout
            for k in lay.wOffset[0]..<(lay.wOffset[0] + lay.weightCount(0)) { net.params[k] *= ratio }
            weightScale = value
        case "activation" where config.activationChoices.count > 1:
            let n = config.activationChoices.count
            guard value >= 0, value <= Double(n - 1), value == value.rounded() else {
                return "activation: expected an integer in [0, \(n - 1)] (\(config.activationChoices.map(\.rawValue).joined(separator: ", "))), got \(value)"
            }
            activationIndex = Int(value)
            net.hidden = config.activationChoices[activationIndex]
        default:
            return "unknown control '\(name)'"
        }
        return nil
    }

    /// Number of flipped hidden and input units (round(fraction * n) of each).
    public var flipCounts: (hidden: Int, inputs: Int) {
        (Int((flipFraction * Double(flipOrder.count)).rounded()), Int((flipFractionIn * Double(flipOrderIn.count)).rounded()))
    }

    /// Sets D = diag(+-1): the first k_h units of the hidden flip order and the first k_in of the
    /// input flip order get -1 (`flipCounts`).
    private mutating func applyFlips() {
        let (kh, ki) = flipCounts
        for i in 0..<net.presynapticSign.count { net.presynapticSign[i] = 1 }
        for i in 0..<kh { net.presynapticSign[flipOrder[i]] = -1 }
        for i in 0..<ki { net.presynapticSign[flipOrderIn[i]] = -1 }
    }

    /// W_l <- W_l |W_l(0)|_F / |W_l|_F for every layer (the curl-descent paper's norm clamp).
    private mutating func clampNorms() {
        let lay = net.layout
        for l in 0..<lay.layers {
            let n = weightNorm(layer: l)
            guard n > 0, n.isFinite, initialNorms.indices.contains(l) else { continue }
            let r = Float(initialNorms[l] / n)
            for k in lay.wOffset[l]..<(lay.wOffset[l] + lay.weightCount(l)) { net.params[k] *= r }
        }
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        eta = config.rules[index].eta
        learner.settle(&net)
        learner.reset(rule: config.rules[index])
        learner.setParameterNoise(Float(noiseScale))
    }

    public mutating func advance(_ steps: Int) {
        guard steps > 0 else { return }
        let set = task.train
        let nIn = set.inputs, nOut = set.outputs
        let batch = learner.rule.batch
        let epoch = max(1, bigStep.steps)
        set.x.storage.withUnsafeBufferPointer { xb in
            set.y.storage.withUnsafeBufferPointer { yb in
                guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                for _ in 0..<steps {
                    for _ in 0..<batch {
                        let i = stream.next()
                        _ = learner.train(&net, x: xp + i * nIn, t: yp + i * nOut)
                    }
                    if config.normClamp { clampNorms() }
                    step += 1
                    if step % epoch == 0 { trajectory.record(net.params) }
                }
            }
        }
    }

    /// Mean loss and accuracy over the first `limit` samples of `set`.
    private mutating func evaluate(_ set: TaskSet, limit: Int = 2000) -> (loss: Double, acc: Double) {
        let n = min(set.count, limit)
        var loss = 0.0
        var correct = 0
        let nIn = set.inputs, nOut = set.outputs
        set.x.storage.withUnsafeBufferPointer { xb in
            set.y.storage.withUnsafeBufferPointer { yb in
                guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                for i in 0..<n {
                    loss += Double(net.loss(xp + i * nIn, yp + i * nOut))
                    if !set.labels.isEmpty, net.argmaxOutput() == set.labels[i] { correct += 1 }
                }
            }
        }
        return (loss / Double(max(n, 1)), Double(correct) / Double(max(n, 1)))
    }

    /// Cosine between the active rule's update direction and the backprop gradient over the
    /// first 16 training samples (perturbation rules draw from a measurement-only stream).
    public mutating func alignment() -> Double {
        let set = task.train
        let n = min(16, set.count)
        let count = net.layout.paramCount + 1
        var est = [Float](repeating: 0, count: count), truth = est, noise = est
        let bp = Backprop(eta: 1)
        let r = learner.rule
        var rng = alignmentRNG
        let nIn = set.inputs, nOut = set.outputs
        set.x.storage.withUnsafeBufferPointer { xb in
            set.y.storage.withUnsafeBufferPointer { yb in
                guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                for i in 0..<n {
                    _ = r.estimate(&net, x: xp + i * nIn, t: yp + i * nOut, into: &est, scale: 1, noise: &noise, rng: &rng)
                    _ = bp.estimate(&net, x: xp + i * nIn, t: yp + i * nOut, into: &truth, scale: 1, noise: &noise, rng: &rng)
                }
            }
        }
        alignmentRNG = rng
        let dir = r.optimizer.direction(net: net, estimate: est)
        return cosineSimilarity(dir, Array(truth.prefix(net.layout.paramCount)))
    }

    public mutating func measure() -> [Double] {
        learner.settle(&net)  // evaluate the mean weights (NVRM)
        let train = evaluate(task.train)
        var out = [train.loss]
        if task.isClassification {
            out += [train.acc, evaluate(task.test).acc]
        } else {
            out.append(evaluate(task.test).loss)
        }
        let errorRatio = task.isClassification ? nil : out[out.count - 1] / initialTestLoss
        out.append(alignment())
        out.append(weightNorm())
        if let errorRatio { out.append(errorRatio) }
        if config.spectra {
            (lastPre, lastPost) = hiddenSpectraOnProbe()
            out += [SpectralMetrics.spectralEntropy(lastPre), SpectralMetrics.spectralEntropy(lastPost),
                    SpectralMetrics.participationRatio(lastPre), SpectralMetrics.participationRatio(lastPost),
                    SpectralMetrics.participationRatio(lastPost) / SpectralMetrics.participationRatio(lastPre),
                    SpectralMetrics.earlyEnrichment(lastPre), SpectralMetrics.earlyEnrichment(lastPost),
                    SpectralMetrics.jensenShannon(lastPre, lastPost)]
        } else {
            lastPost = hiddenSpectrumOnTest()
        }
        if !task.train.flipped.isEmpty { out += memorisation() }
        return out
    }

    /// Frobenius norm |W_l|_F of one layer's weights.
    public func weightNorm(layer l: Int) -> Double {
        let lay = net.layout
        var s = 0.0
        for k in lay.wOffset[l]..<(lay.wOffset[l] + lay.weightCount(l)) { s += Double(net.params[k]) * Double(net.params[k]) }
        return s.squareRoot()
    }

    /// Frobenius norm of all weights (biases excluded), sqrt(sum_l |W_l|_F^2).
    public func weightNorm() -> Double {
        let lay = net.layout
        var s = 0.0
        for l in 0..<lay.layers {
            for k in lay.wOffset[l]..<(lay.wOffset[l] + lay.weightCount(l)) { s += Double(net.params[k]) * Double(net.params[k]) }
        }
        return s.squareRoot()
    }

    /// Covariance spectra of the first hidden layer's net inputs (pre) and activities (post) with
    /// the current weights and activation, over the first `window` training samples (all of
    /// them when fewer): a fixed probe set, so a switch of activation or weight scale shows at
    /// the next measurement.
    private mutating func hiddenSpectraOnProbe() -> (pre: [Double], post: [Double]) {
        guard net.layers > 1 else { return ([], []) }
        let set = task.train
        let n = min(set.count, config.window)
        let h = net.sizes[1]
        let zOff = net.layout.zOffset[0], aOff = net.layout.aOffset[1]
        var pre = Matrix(rows: n, cols: h), post = Matrix(rows: n, cols: h)
        for i in 0..<n {
            _ = net.predict(set.x.row(i))
            for j in 0..<h {
                pre.storage[i * h + j] = net.work[zOff + j]
                post.storage[i * h + j] = net.work[aOff + j]
            }
        }
        return (SpectralMetrics.covarianceSpectrum(pre), SpectralMetrics.covarianceSpectrum(post))
    }

    /// Covariance spectrum of the first hidden layer's activities over (up to 500) test samples.
    private mutating func hiddenSpectrumOnTest() -> [Double] {
        guard net.layers > 1 else { return [] }
        let set = task.test
        let n = min(set.count, 500)
        let h = net.sizes[1]
        var acts = Matrix(rows: n, cols: h)
        for i in 0..<n {
            _ = net.predict(set.x.row(i))
            let a = net.activity(1)
            for j in 0..<h { acts.storage[i * h + j] = a[j] }
        }
        return SpectralMetrics.covarianceSpectrum(acts)
    }

    public func views() -> [String: PanelView] {
        var v: [String: PanelView] = [:]
        let w0 = net.weights(0)
        let s0 = Self.niceScale(w0.storage)
        if task.imageRows > 0 {
            v["receptive_fields"] = .heatmap(HeatmapView(rows: w0.rows, cols: w0.cols, values: w0.storage,
                                                         tile: TileShape(rows: task.imageRows, cols: task.imageCols), scale: .symmetric(s0)))
        }
        v["weights"] = .heatmap(HeatmapView(rows: w0.rows, cols: w0.cols, values: w0.storage, scale: .symmetric(s0)))
        let wl = net.weights(net.layers - 1)
        v["output_weights"] = .heatmap(HeatmapView(rows: wl.rows, cols: wl.cols, values: wl.storage, scale: .symmetric(Self.niceScale(wl.storage))))
        v["weight_hist"] = .histogram(HistogramView(binning: w0.storage, lower: -Double(s0), upper: Double(s0), bins: 40, label: "W1 weight"))
        let logs = w0.storage.filter { $0 != 0 }.map { log10(abs($0)) }
        v["log_weight_hist"] = .histogram(HistogramView(binning: logs, lower: -4, upper: 1, bins: 40, label: "log10 |W1 weight|"))
        v["weight_trajectory"] = .traces(trajectory.view)
        let readouts = [Factor("SE", SpectralMetrics.spectralEntropy(lastPost)), Factor("PR", SpectralMetrics.participationRatio(lastPost)),
                        Factor("EEE", SpectralMetrics.earlyEnrichment(lastPost))]
        v["spectrum"] = .spectrum(SpectrumView(eigenvalues: lastPost.filter(\.isFinite), readouts: readouts))
        if config.spectra {
            v["spectrum_pre"] = .spectrum(SpectrumView(eigenvalues: lastPre.filter(\.isFinite), readouts: [
                Factor("SE", SpectralMetrics.spectralEntropy(lastPre)), Factor("PR", SpectralMetrics.participationRatio(lastPre)),
                Factor("JS", SpectralMetrics.jensenShannon(lastPre, lastPost))]))
        }
        return v
    }

    /// The probed synapse: W1[0, j] from the input with the largest activity in the last sample.
    public func probe() -> [Factor] {
        let lay = net.layout
        let a = net.activity(0)
        var j = 0
        for k in a.indices where a[k] > a[j] { j = k }
        let pre = a[j]
        let delta = net.work[lay.dOffset[0]]
        let sign = net.presynapticSign[lay.aOffset[0] + j]
        return [Factor("pre a_j", Double(pre)), Factor("post delta_i", Double(delta)), Factor("w_ij", Double(net.params[lay.wOffset[0] + j])),
                Factor("D_jj", Double(sign)), Factor("dw = -eta delta a", Double(-eta * delta * pre * sign))]
    }

    /// A symmetric colour limit: max |w| rounded up to 1, 2 or 5 times a power of ten, so the
    /// scale only changes when weights grow past a step.
    static func niceScale(_ v: [Float]) -> Float {
        let m = Double(v.reduce(0) { max($0, abs($1)) })
        guard m > 0, m.isFinite else { return 1 }
        let e = pow(10, floor(log10(m)))
        for f in [1.0, 2.0, 5.0, 10.0] where f * e >= m { return Float(f * e) }
        return Float(10 * e)
    }
}
