import SynCore
import SynModels

/// `model = "eqprop"`: equilibrium propagation in a layered hard-sigmoid energy network
/// (scene `eqprop`).
///
/// ```toml
/// [network]
/// hidden = [64]              # hidden layer sizes, each in [1, 2048]
/// gain = 1.0                 # Glorot-uniform weight scale, in (0, 10]
/// bias = 0.0                 # initial biases, in [-10, 10]
/// [rule]
/// name = "eqprop"            # a rule of `EqPropRules.registry` (`synaptop rules eqprop`):
///                            # eqprop (+beta) | eqprop_alternating | eqprop_symmetric
/// switchable = ["eqprop", "eqprop_symmetric"]
/// beta = 0.2                 # each rule's nudging strength, in [0.001, 1] (live control "beta";
///                            # a switch takes the new rule's); [rule.NAME] sets it for one rule
/// eta = 0.05                 # each rule's learning rate, the same for every layer, or
/// etas = [0.1, 0.05]         # model key: one learning rate per layer for every rule (not with eta)
/// relax_steps = 20           # model key: sweeps per phase, in [1, 1000]
/// batch = 1                  # model key: samples whose EP updates are averaged into one weight
///                            # change, in [1, 1000] (the paper code uses 20; eta acts on the mean)
/// persistent = false         # model key: each training sample's free phase starts where its
///                            # last one ended (the paper code's persistent particles)
/// anneal_samples = 0         # model key: learning rates fall on a cosine to anneal_floor x eta over
///                            # this many samples, in [0, 100000000] (0: constant)
/// anneal_floor = 0.05        # model key: the annealed rates' final fraction, in [0, 1]
/// relaxation = "exact"       # model key: "exact" block-coordinate sweeps (each layer to its optimum)
///                            # or "gradient": the paper's dynamics s <- clip(s - epsilon dF/ds)
/// epsilon = 0.5              # model key: the gradient dynamics' step, in [0.01, 1] (paper 0.5)
/// random_sign = false        # model key: eqprop's nudge is +beta or -beta at random per sample
///                            # (the paper code's choice)
/// [task]
/// name = "digits"            # any classification task of the mlp model
/// ```
public struct EqPropSceneModel: SceneModel {
    public static let kind = "eqprop"
    public static var ruleFamily: String { EqPropRules.registry.family }
    public static let summary = "equilibrium propagation: free and nudged relaxation phases, local contrastive update"

    let hidden: [Int]
    let selection: RuleSelection<any EqPropLearningRule>
    let etas: [Double]?
    let relaxSteps: Int
    let batch: Int
    let persistent: Bool
    let annealSamples: Int
    let annealFloor: Double
    let epsilon: Double?
    let randomSign: Bool
    let gain: Double
    let bias: Double
    let task: RateTaskSpec

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var t = try scene.table("task")
        task = try RateTaskSpec(reading: &t)
        guard task.isClassification else { throw t.error("name", "eqprop needs a classification task (digits, xor, spirals, moons, blobs)") }
        var n = try scene.table("network")
        hidden = try n.integers("hidden", in: 1...2048, count: 1...4, default: [64])
        gain = try n.number("gain", in: .openClosed(0, 10), default: 1)
        bias = try n.number("bias", in: .closed(-10, 10), default: 0)
        try n.finish()
        var r = try scene.table("rule")
        let layers = hidden.count + 1
        if r.has("etas") {
            if r.has("eta") { throw r.error("etas", "give one learning rate `eta` or one per layer `etas`, not both") }
            etas = try r.numbers("etas", in: .openClosed(0, 10), count: layers...layers)
        } else {
            etas = nil
        }
        relaxSteps = try r.integer("relax_steps", in: 1...1000, default: 20)
        batch = try r.integer("batch", in: 1...1000, default: 1)
        persistent = try r.bool("persistent", default: false)
        annealSamples = try r.integer("anneal_samples", in: 0...100_000_000, default: 0)
        annealFloor = try r.number("anneal_floor", in: .closed(0, 1), default: 0.05)
        let relaxation = try r.string("relaxation", oneOf: ["exact", "gradient"], default: "exact")
        let step = try r.number("epsilon", in: .closed(0.01, 1), default: 0.5)
        epsilon = relaxation == "gradient" ? step : nil
        randomSign = try r.bool("random_sign", default: false)
        selection = try r.rules(from: EqPropRules.registry)
        try r.finish()
        let io = task.shape
        var params = 0
        let sizes = [io.inputs] + hidden + [io.outputs]
        for l in 0..<(sizes.count - 1) { params += sizes[l] * sizes[l + 1] }
        guard params <= 5_000_000 else { throw scene.error("network", "expected at most 5000000 weights, got \(params)") }
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] {
        [MetricSpec("loss", "mean free-phase cost C of the training samples since the last row"),
         MetricSpec("train_acc", "free-phase accuracy of those samples"),
         MetricSpec("test_acc", "accuracy on the whole test set, each sample relaxed 100 sweeps from zero"),
         MetricSpec("grad_cosine", "cosine(EP update, -dC/dtheta) over 50 probe samples; NaN (a gap) when all saturate",
                    mayBeUndefined: true),
         MetricSpec("grad_ratio", "|EP update| / |dC/dtheta| over the same probe (1: the true length); NaN when the gradient vanishes",
                    mayBeUndefined: true)]
    }
    public var viewNames: [String] {
        (task.shape.inputs == 64 && { if case .digits = task.kind { true } else { false } }() ? ["receptive_fields"] : [])
            + ["hidden_state", "output_state", "phase", "energy"]
    }
    public var ruleNames: [String] { selection.names }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        let io = task.shape
        let (t, _) = task.build(seed: seed, inputs: io.inputs, outputs: io.outputs, hiddenActivation: .linear)
        let config = EqPropSimulation.Config(sizes: [t.inputs] + hidden + [t.outputs], rules: selection.rules, start: selection.start,
                                             layerEtas: etas.map { $0.map(Float.init) }, relaxSteps: relaxSteps,
                                             gain: Float(gain), bias: Float(bias), batch: batch,
                                             persistent: persistent, annealSamples: annealSamples, annealFloor: Float(annealFloor),
                                             epsilon: epsilon.map(Float.init), randomSign: randomSign)
        return EqPropSimulation(config: config, task: t, seed: seed)
    }
}

extension EqPropSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let f = 4.0  // bytes per Float
        let (i, o) = task.shape
        let sizes = [i] + hidden + [o]
        let params = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0 * $1.1 + $1.1) }
        c.bytes = params * f * 3 + Double(task.count) * Double(i + o) * f
            + (persistent ? Double(task.count) * Double(sizes.dropFirst().reduce(0, +)) * f : 0)
        // Two relaxation phases of relax_steps sweeps, each a forward and a backward product.
        c.stepFlops = 4 * params * Double(relaxSteps) + 2 * params
        let metrics = 4 * params * Double(relaxSteps) * Double(min(task.count, 1000))
        c.stepFlops += metrics / Double(max(1, metricsEvery))
        c.setupFlops = metrics
        return c
    }
}
