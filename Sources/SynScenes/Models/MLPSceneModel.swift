import SynCore
import SynModels

/// The task of an MLP scene (`[task]`), validated; built from the seed's "task" stream.
struct RateTaskSpec: Sendable {
    enum Kind: Sendable {
        case digits
        case xor(count: Int, noise: Float)
        case spirals(count: Int, noise: Float)
        case moons(count: Int, noise: Float)
        case blobs(count: Int, dims: Int, classes: Int, spread: Float)
        case teacher(count: Int, inputs: Int, outputs: Int, hidden: [Int], gain: Float, noise: Float, inputSD: Float)
        case lowRank(count: Int, dims: Int, rank: Int, decay: Float, noise: Float)
        case bars(count: Int, side: Int, p: Double)
    }
    var kind: Kind
    /// z-score every input feature by the training split's mean and sd (`standardize = true`).
    var standardize = false
    /// Pair-flip label noise on the training rows (`label_noise`, classification tasks).
    var labelNoise = 0.0

    static let names = ["digits", "xor", "spirals", "moons", "blobs", "teacher", "lowrank", "bars"]

    /// Reads `[task]` (`teacher` also takes `inputs`, `outputs`, `hidden`, `gain`). Every key is read (or tolerated) so that a typo is reported.
    init(reading t: inout SceneReader) throws(SceneError) {
        let name = try t.string("name", oneOf: Self.names)
        let count = try t.integer("count", in: 4...200_000, default: 1000)
        let noise = Float(try t.number("noise", in: .closed(0, 100), default: 0.1))
        standardize = try t.bool("standardize", default: false)
        labelNoise = try t.number("label_noise", in: .closed(0, 0.9), default: 0)
        switch name {
        case "digits": kind = .digits
        case "xor": kind = .xor(count: count, noise: noise)
        case "spirals": kind = .spirals(count: count, noise: noise)
        case "moons": kind = .moons(count: count, noise: noise)
        case "blobs":
            let dims = try t.integer("dims", in: 1...4096, default: 2)
            let classes = try t.integer("classes", in: 2...100, default: 3)
            let spread = Float(try t.number("spread", in: .openClosed(0, 1000), default: 3))
            guard count * dims <= 50_000_000 else { throw t.error("count", "expected count * dims <= 50000000, got \(count * dims)") }
            kind = .blobs(count: count, dims: dims, classes: classes, spread: spread)
        case "teacher":
            let hidden = try t.integers("hidden", in: 1...4096, count: 1...8)
            let gain = Float(try t.number("gain", in: .openClosed(0, 100), default: 1))
            let inputs = try t.integer("inputs", in: 1...4096, default: 10)
            let outputs = try t.integer("outputs", in: 1...4096, default: 1)
            let inputSD = Float(try t.number("input_sd", in: .openClosed(0, 100), default: 1))
            kind = .teacher(count: count, inputs: inputs, outputs: outputs, hidden: hidden, gain: gain, noise: noise, inputSD: inputSD)
        case "lowrank":
            let dims = try t.integer("dims", in: 1...4096, default: 32)
            let rank = try t.integer("rank", in: 1...4096, default: 4)
            guard rank <= dims else { throw t.error("rank", "expected an integer in [1, \(dims)] (at most dims), got \(rank)") }
            let decay = Float(try t.number("decay", in: .openClosed(0, 1), default: 0.7))
            guard count * dims <= 50_000_000 else { throw t.error("count", "expected count * dims <= 50000000, got \(count * dims)") }
            kind = .lowRank(count: count, dims: dims, rank: rank, decay: decay, noise: noise)
        case "bars":
            let side = try t.integer("side", in: 2...64, default: 8)
            let p = try t.number("p", in: .open(0, 1), default: 0.125)
            kind = .bars(count: count, side: side, p: p)
        case let other:
            throw t.error("name", "unknown task \"\(other)\"")  // unreachable: `oneOf` checked the name
        }
        t.tolerate(["count", "noise", "dims", "classes", "spread", "hidden", "gain", "inputs", "outputs", "rank", "decay", "side", "p", "input_sd"])
        if labelNoise > 0 && !isClassification {
            throw t.error("label_noise", "expected 0 for a regression task (label noise flips class labels), got \(labelNoise)")
        }
        try t.finish()
        let (i, o) = shape
        guard count * (i + o) <= 50_000_000 else {
            throw t.error("count", "expected count * (inputs + outputs) <= 50000000 (memory limit), got \(count) * \(i + o)")
        }
    }

    /// Input and output sizes of the task.
    var shape: (inputs: Int, outputs: Int) {
        switch kind {
        case .digits: (64, 10)
        case .xor, .spirals, .moons: (2, 2)
        case .blobs(_, let d, let c, _): (d, c)
        case .teacher(_, let i, let o, _, _, _, _): (i, o)
        case .lowRank(_, let d, let r, _, _): (d, r)
        case .bars(_, let s, _): (s * s, 2 * s)
        }
    }

    var isClassification: Bool {
        switch kind {
        case .digits, .xor, .spirals, .moons, .blobs: true
        default: false
        }
    }

    /// Builds the task (and the teacher network for teacher-student tasks), standardised when asked.
    func build(seed: UInt64, inputs: Int, outputs: Int, hiddenActivation: Activation, uniformInit: Bool = false) -> (SupervisedTask, MLP?) {
        var (task, teacher) = buildRaw(seed: seed, inputs: inputs, outputs: outputs, hiddenActivation: hiddenActivation, uniformInit: uniformInit)
        if labelNoise > 0 {
            var rng = RNG(seed: seed).stream("label_noise")
            task = task.withPairFlipNoise(rate: labelNoise, rng: &rng)
        }
        return (standardize ? task.standardized() : task, teacher)
    }

    private func buildRaw(seed: UInt64, inputs: Int, outputs: Int, hiddenActivation: Activation, uniformInit: Bool) -> (SupervisedTask, MLP?) {
        var rng = RNG(seed: seed).stream("task")
        switch kind {
        case .digits: return (Tasks.digits(), nil)
        case .xor(let n, let s): return (Tasks.xor(count: n, noise: s, rng: &rng), nil)
        case .spirals(let n, let s): return (Tasks.spirals(count: n, noise: s, rng: &rng), nil)
        case .moons(let n, let s): return (Tasks.moons(count: n, noise: s, rng: &rng), nil)
        case .blobs(let n, let d, let c, let sp): return (Tasks.blobs(count: n, dims: d, classes: c, spread: sp, rng: &rng), nil)
        case .teacher(let n, _, _, let hidden, let gain, let noise, let inputSD):
            var trng = RNG(seed: seed).stream("teacher")
            let teacher = MLP(sizes: [inputs] + hidden + [outputs], hidden: hiddenActivation, output: .linear, gain: gain, uniform: uniformInit, rng: &trng)
            return (Tasks.teacher(teacher, count: n, noise: noise, inputSD: inputSD, rng: &rng), teacher)
        case .lowRank(let n, let d, let r, let decay, let noise):
            return (Tasks.lowRank(count: n, dims: d, rank: r, decay: decay, noise: noise, rng: &rng), nil)
        case .bars(let n, let side, let p): return (Tasks.bars(count: n, side: side, p: p, rng: &rng), nil)
        }
    }
}

/// `model = "mlp"`: a multilayer perceptron trained on a supervised task with live-switchable
/// gradient, feedback-alignment, perturbation, exponentiated-gradient and curl-descent rules
/// (scenes `mlp-digits`, `nerve-spectra`, `curl-descent`).
///
/// ```toml
/// [task]
/// name = "digits"           # digits | xor | spirals | moons | blobs | teacher | lowrank | bars
/// standardize = false       # z-score each input feature by the training split's mean and sd
/// [network]
/// hidden = [100]            # hidden layer sizes, each in [1, 4096] (inputs/outputs from the task)
/// activation = "tanh"       # linear | tanh | relu | sigmoid | softplus | gelu
/// activations = ["linear", "relu"]   # optional: the `activation` control switches among these
/// output = "softmax"        # softmax (cross-entropy) | linear | tanh | sigmoid (squared error)
/// gain = 1.0                # W ~ N(0, gain^2 / fan_in)
/// init = "random"           # random | teacher (teacher-student tasks: start at the teacher)
/// init_noise = 0.01         # with init = "teacher": init_noise * N(0, 1/fan_in) added to every weight
///                           # (init_noise * N(0, 1) to every bias)
/// weight_init = "normal"    # normal: W ~ N(0, gain^2/fan_in) | uniform: U(+-gain/sqrt(fan_in)) (student and teacher)
/// norm_clamp = false        # after every update rescale each W_l to its initial Frobenius norm
/// spectra = false           # record NerVE spectral metrics of the first hidden layer
/// window = 256              # training samples (the first ones) whose hidden activity gives the
///                           # spectra, in [8, 4096]; use more than the layer's width (N samples
///                           # have at most N - 1 nonzero eigenvalues)
/// [rule]
/// name = "backprop"         # a rule of `MLPRules.registry` (`synaptop rules mlp`): backprop |
///                           # feedback_alignment | direct_feedback_alignment | node_perturbation |
///                           # weight_perturbation | curl | exp_grad | momentum | adam | weight_noise
/// switchable = [...]        # the rules keys r / R cycle through (must contain `name`)
/// eta = 0.02                # any parameter of the listed rules applies to every listed rule that
///                           # takes it (each rule's own default otherwise): eta, batch (all),
///                           # sigma (perturbation), mu (momentum), beta1, beta2, epsilon (adam),
///                           # weight_noise (weight_noise), flip_fraction (curl)
/// flip_fraction_in = 0.0    # curl: initial fraction of input units whose W1 gradient terms are
///                           # flipped (model key; live control flip_fraction_in); the rule's
///                           # flip_fraction is the hidden units' (readout W2 flips)
/// [rule.node_perturbation]  # optional: a parameter for one rule only
/// eta = 0.002
/// ```
public struct MLPSceneModel: SceneModel {
    public static let kind = "mlp"
    public static var ruleFamily: String { MLPRules.registry.family }
    public static let summary = "multilayer perceptron: backprop, feedback alignment, perturbation, exp-grad, curl descent, optimisers"

    let hidden: [Int]
    let activation: Activation
    let activations: [Activation]
    let output: Activation
    let gain: Double
    let startAtTeacher: Bool
    let initNoise: Double
    let uniformInit: Bool
    let normClamp: Bool
    let spectra: Bool
    let window: Int
    let selection: RuleSelection<any MLPLearningRule>
    let flipFractionIn: Double
    let task: RateTaskSpec

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var t = try scene.table("task")
        task = try RateTaskSpec(reading: &t)
        var n = try scene.table("network")
        hidden = try n.integers("hidden", in: 1...4096, count: 1...8, default: [100])
        let acts = Activation.hiddenChoices.map(\.rawValue)
        activation = Activation(rawValue: try n.string("activation", oneOf: acts, default: "tanh")) ?? .tanh
        activations = try n.strings("activations", oneOf: acts, default: []).compactMap(Activation.init(rawValue:))
        if !activations.isEmpty && !activations.contains(activation) {
            throw n.error("activations", "must contain the starting activation \"\(activation.rawValue)\"")
        }
        let outputDefault = task.isClassification ? "softmax" : "linear"
        output = Activation(rawValue: try n.string("output", oneOf: ["softmax", "linear", "tanh", "sigmoid"], default: outputDefault)) ?? .linear
        if output == .softmax && !task.isClassification {
            throw n.error("output", "softmax needs a classification task (digits, xor, spirals, moons, blobs); use linear, tanh or sigmoid")
        }
        gain = try n.number("gain", in: .openClosed(0, 100), default: 1)
        startAtTeacher = try n.string("init", oneOf: ["random", "teacher"], default: "random") == "teacher"
        initNoise = try n.number("init_noise", in: .closed(0, 100), default: 0.01)
        uniformInit = try n.string("weight_init", oneOf: ["normal", "uniform"], default: "normal") == "uniform"
        normClamp = try n.bool("norm_clamp", default: false)
        spectra = try n.bool("spectra", default: false)
        window = try n.integer("window", in: 8...4096, default: 256)
        if startAtTeacher {
            guard case .teacher(_, _, _, let th, _, _, _) = task.kind else { throw n.error("init", "\"teacher\" needs task.name = \"teacher\"") }
            guard th == hidden else { throw n.error("hidden", "init = \"teacher\" needs the teacher's hidden sizes \(th), got \(hidden)") }
            guard output == .linear else { throw n.error("output", "init = \"teacher\" needs output = \"linear\" (the teacher's)") }
        }
        let io = task.shape
        var params = 0
        let sizes = [io.inputs] + hidden + [io.outputs]
        for l in 0..<(sizes.count - 1) { params += sizes[l] * sizes[l + 1] + sizes[l + 1] }
        guard params <= 20_000_000 else { throw n.error("hidden", "expected at most 20000000 parameters, got \(params)") }
        try n.finish()
        var r = try scene.table("rule")
        flipFractionIn = try r.number("flip_fraction_in", in: .closed(0, 1), default: 0)
        selection = try r.rules(from: MLPRules.registry)
        try r.finish()
    }

    public var metricNames: [String] {
        var names = ["loss"] + (task.isClassification ? ["train_acc", "test_acc"] : ["test_loss"]) + ["alignment", "weight_norm"]
        if !task.isClassification { names.append("error_ratio") }
        if spectra { names += MLPSimulation.spectralMetricNames }
        if task.labelNoise > 0 { names += MLPSimulation.memorisationMetricNames }
        return names
    }

    /// Every metric an mlp scene can report (classification and regression tasks, with spectra):
    /// a panel naming one that the current task does not produce is dropped with a note.
    public static var metricCatalog: [MetricSpec] {
        (["loss", "train_acc", "test_acc", "test_loss", "alignment", "weight_norm", "error_ratio"] + MLPSimulation.spectralMetricNames
         + MLPSimulation.memorisationMetricNames).map { MetricSpec($0, "") }
    }

    /// `alignment` is a cosine: NaN (a gap) when the rule's direction or the gradient is zero.
    public var metrics: [MetricSpec] {
        metricNames.map { $0 == "alignment" ? MetricSpec($0, "cosine(update direction, -gradient); NaN when either is zero", mayBeUndefined: true)
                                            : MetricSpec($0, "") }
    }

    public var viewNames: [String] {
        var v = ["weights", "output_weights", "weight_hist", "log_weight_hist", "weight_trajectory"]
        if case .digits = task.kind { v.insert("receptive_fields", at: 0) }
        if case .bars = task.kind { v.insert("receptive_fields", at: 0) }
        if spectra { v += ["spectrum", "spectrum_pre"] } else { v.append("spectrum") }
        return v
    }

    public var ruleNames: [String] { selection.names }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        let io = task.shape
        let (t, teacher) = task.build(seed: seed, inputs: io.inputs, outputs: io.outputs, hiddenActivation: activation, uniformInit: uniformInit)
        let config = MLPSimulation.Config(
            sizes: [t.inputs] + hidden + [t.outputs], hidden: activation, activationChoices: activations, output: output,
            gain: Float(gain), rules: selection.rules, start: selection.start, flipFractionIn: flipFractionIn,
            startAtTeacher: startAtTeacher, initNoise: Float(initNoise), uniformInit: uniformInit, normClamp: normClamp,
            spectra: spectra, window: window)
        return MLPSimulation(config: config, task: t, teacher: teacher, seed: seed)
    }
}

extension MLPSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let f = 4.0  // bytes per Float
        let (i, o) = task.shape
        let sizes = [i] + hidden + [o]
        let params = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0 * $1.1 + $1.1) }
        let units = Double(sizes.reduce(0, +))
        let batch = Double(selection.rules.map { $0.batch }.max() ?? 1)
        // Weights, gradient, two optimizer moments, a noise buffer; activations and deltas
        // (a batch is accumulated sample by sample); the data set; the spectral window.
        c.bytes = params * f * 5 + units * f * 3 + Double(task.count) * Double(i + o) * f
            + (spectra ? Double(2 * window * (hidden.first ?? 0)) * f : 0)
        c.stepFlops = 6 * params * batch
        // Metrics: the test set through the network, and a covariance spectrum of the first
        // hidden layer (n^2 samples + n^3 / 3), every `metricsEvery` steps.
        let h = Double(hidden.first ?? 0)
        let metrics = 2 * params * Double(min(task.count, 2000)) + h * h * Double(spectra ? window : 500) + h * h * h
        c.stepFlops += metrics / Double(max(1, metricsEvery))
        c.setupFlops = metrics
        return c
    }
}
