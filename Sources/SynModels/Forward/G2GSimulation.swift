import SynCore

/// G2GNet on digits (scene `g2gnet`, science page 4; Konstantaropoulos, Smirnakis & Papadopouli
/// 2025, structure and dynamic sparse training reconstructed): a 64-128-128-10 ReLU MLP whose
/// input and hidden-to-hidden layers are wired ensemble to ensemble (G ensembles per layer, the
/// input ensembles are the 8 image rows; each source ensemble reaches a fraction of the target
/// ensembles, and a random part of those blocks is active), against a dense net and an
/// unstructured sparse net with the same edge count. Five arms train side by side from the same
/// initial weights on the same minibatches (Adam, softmax cross-entropy):
///
/// 0 dense · 1 random sparse (static) · 2 G2G static · 3 G2G + DST with random regrowth ·
/// 4 G2G + DST with the selected regrowth rule (`hebbian` by default; `r` switches it live).
///
/// Dynamic sparse training: every ΔT steps until `rewireUntil`, each DST arm prunes the fraction
/// ζ(t) = ζ₀ (1 + cos(π t / T)) / 2 of its active edges with the smallest |w| and regrows as many
/// inside the allowed blocks (see `SparseMLPArm.rewire`).
public struct G2GSimulation: Simulation {
    public struct Config: Sendable {
        /// Layer sizes: 64 inputs, two hidden layers, 10 outputs.
        public var sizes: [Int]
        /// Ensembles per layer.
        public var groups: Int
        /// Fraction of inactive weights in the masked layers (input and hidden-to-hidden).
        public var sparsity: Double
        /// Fraction of target ensembles each source ensemble may reach.
        public var blockDensity: Double
        public var batch: Int
        /// Adam learning rate.
        public var eta: Double
        /// Largest prune fraction ζ₀ (cosine-decayed to 0 at `rewireUntil`).
        public var zeta: Double
        public var rewireEvery: Int
        public var rewireUntil: Int
        /// Per-step decay ρ of the running correlation.
        public var rho: Double
        public var rules: [any RegrowthRule]
        public var start: Int
        public init(sizes: [Int] = [64, 128, 128, 10], groups: Int = 8, sparsity: Double = 0.75, blockDensity: Double = 0.5,
                    batch: Int = 32, eta: Double = 0.003, zeta: Double = 0.3, rewireEvery: Int = 100, rewireUntil: Int = 1000,
                    rho: Double = 0.99, rules: [any RegrowthRule] = [HebbianRegrowth()], start: Int = 0) {
            self.sizes = sizes; self.groups = groups; self.sparsity = sparsity; self.blockDensity = blockDensity
            self.batch = batch; self.eta = eta; self.zeta = zeta; self.rewireEvery = rewireEvery; self.rewireUntil = rewireUntil
            self.rho = rho; self.rules = rules; self.start = start
        }

        /// Allowed target ensembles per source ensemble: round(blockDensity · G), at least 1.
        public var blocks: Int { min(groups, max(1, Int((blockDensity * Double(groups)).rounded()))) }
    }

    public static let armNames = ["dense", "random", "g2g", "dst_random", "dst"]
    public static let metricSpecs: [MetricSpec] =
        [MetricSpec("test_acc_dense", "test accuracy of the dense network (297 held-out digits)"),
         MetricSpec("test_acc_random", "test accuracy of the unstructured sparse network, same edge count, static"),
         MetricSpec("test_acc_g2g", "test accuracy of the static ensemble-to-ensemble (G2G) network"),
         MetricSpec("test_acc_dst_random", "test accuracy of G2G + dynamic sparse training with random regrowth"),
         MetricSpec("test_acc", "test accuracy of G2G + dynamic sparse training with the selected regrowth rule"),
         MetricSpec("loss", unit: "nats", "minibatch cross-entropy of the selected-rule arm at the last step (NaN before the first)",
                    mayBeUndefined: true),
         MetricSpec("sparsity", "fraction of inactive weights in the masked layers (selected-rule arm)"),
         MetricSpec("edge_survival", "fraction of the selected-rule arm's initial edges still active"),
         MetricSpec("corr_ratio", "mean |C| on active over allowed inactive edges, selected-rule arm (> 1: wiring follows co-activity)",
                    mayBeUndefined: true),
         MetricSpec("zeta", "current prune fraction ζ(t) of the rewiring schedule (0 after rewire_until)")]
    public static let viewSpecs = [
        ViewSpec("mask_input", "input-layer mask of the selected-rule arm, pixels x hidden units (blocks: image rows); last event: +1 regrown, -1 pruned"),
        ViewSpec("mask_hidden", "hidden-to-hidden mask of the selected-rule arm (ensemble blocks); last event: +1 regrown, -1 pruned"),
        ViewSpec("correlation", "running pre/post correlation C of the hidden-to-hidden layer (selected-rule arm)"),
        ViewSpec("receptive_fields", "input weights of the selected-rule arm's first 32 hidden units as 8x8 images"),
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
        config.rules[activeRule].equation + ";  every dT = \(rewireEvery) steps prune zeta(t) = zeta0 (1 + cos(pi t/T))/2 of active edges, smallest |w| first"
    }
    public var controls: [Control] {
        [Control(name: "zeta", value: zeta, range: 0...0.5, step: 0.05),
         Control(name: "rewire_every", value: Double(rewireEvery), range: 10...1000, step: 10)]
    }
    public private(set) var events: [SimulationEvent] = []

    public private(set) var arms: [SparseMLPArm]
    private var net: BatchMLP
    private let train: Dataset
    private let test: Dataset
    private let testOneHot: Matrix
    private let stepsPerEpoch: Int
    private var order: [Int]
    private var batchRNG: RNG
    private let rewireRoot: RNG
    private var zeta: Double
    private var rewireEvery: Int
    private static let maxEvents = 200

    public init(config: Config, seed: UInt64, data: (train: Dataset, test: Dataset)) {
        let s = config.sizes
        precondition(s.count == 4 && s[0] == data.train.features && config.rules.indices.contains(config.start))
        self.config = config
        activeRule = config.start
        train = data.train
        test = data.test
        testOneHot = Matrix(rows: data.test.count, cols: s[3]) { i, k in data.test.labels[i] == k ? 1 : 0 }
        let layout = MLPLayout(sizes: s)
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        // One He-initialised θ0 for every arm.
        let theta0 = layout.heInitialised(rng: &initRNG)
        var wireRNG = root.stream("wiring")
        let masked = [0, 1]
        let g2g = (0..<3).map { l in
            masked.contains(l) ? EnsembleWiring(inputs: s[l], outputs: s[l + 1], groups: config.groups, blocks: config.blocks, rng: &wireRNG) : nil
        }
        let unstructured = (0..<3).map { l in masked.contains(l) ? EnsembleWiring(dense: s[l], outputs: s[l + 1]) : nil }
        func edges(_ l: Int) -> Int { Int(((1 - config.sparsity) * Double(s[l] * s[l + 1])).rounded()) }
        let randomMasks = (0..<3).map { l in unstructured[l].map { $0.randomMask(edges: edges(l), rng: &wireRNG) } }
        let g2gMasks = (0..<3).map { l in g2g[l].map { $0.randomMask(edges: edges(l), rng: &wireRNG) } }
        let eta = Float(config.eta)
        arms = [
            SparseMLPArm(layout: layout, theta0: theta0, wiring: [nil, nil, nil], masks: [nil, nil, nil], eta: eta, tracksCorrelation: false),
            SparseMLPArm(layout: layout, theta0: theta0, wiring: unstructured, masks: randomMasks, eta: eta, tracksCorrelation: false),
            SparseMLPArm(layout: layout, theta0: theta0, wiring: g2g, masks: g2gMasks, eta: eta, tracksCorrelation: false),
            SparseMLPArm(layout: layout, theta0: theta0, wiring: g2g, masks: g2gMasks, eta: eta, tracksCorrelation: false),
            SparseMLPArm(layout: layout, theta0: theta0, wiring: g2g, masks: g2gMasks, eta: eta, tracksCorrelation: true),
        ]
        net = BatchMLP(layout: layout, hidden: .relu, output: .softmax, capacity: max(config.batch, data.test.count))
        stepsPerEpoch = max(1, data.train.count / config.batch)
        order = Array(0..<data.train.count)
        batchRNG = root.stream("batches")
        rewireRoot = root.stream("rewire")
        zeta = config.zeta
        rewireEvery = config.rewireEvery
    }

    /// The prune fraction of an event at step t.
    public func pruneFraction(at t: Int) -> Double {
        guard t < config.rewireUntil else { return 0 }
        return zeta * 0.5 * (1 + cos(Double.pi * Double(t) / Double(config.rewireUntil)))
    }

    public mutating func advance(_ steps: Int) {
        let n = config.batch, f = train.features, k = config.sizes[3]
        var x = Matrix(rows: n, cols: f), t = Matrix(rows: n, cols: k)
        let rho = Float(config.rho)
        for _ in 0..<max(0, steps) {
            let within = step % stepsPerEpoch
            if within == 0 { batchRNG.shuffle(&order) }
            for r in 0..<n {
                let i = order[within * n + r]
                for c in 0..<f { x[r, c] = train.x[i, c] }
                for c in 0..<k { t[r, c] = train.labels[i] == c ? 1 : 0 }
            }
            for a in arms.indices { arms[a].train(&net, x: x, t: t, rho: rho) }
            step += 1
            if step % rewireEvery == 0, step < config.rewireUntil {
                let z = pruneFraction(at: step)
                var rng = rewireRoot.stream(step)
                arms[3].rewire(fraction: z, rule: RandomRegrowth(), rng: &rng)
                var rng4 = rewireRoot.stream(step).stream("selected")
                arms[4].rewire(fraction: z, rule: config.rules[activeRule], rng: &rng4)
                if events.count < Self.maxEvents { events.append(SimulationEvent(step: step, label: "rewire")) }
            }
        }
    }

    public mutating func measure() -> [Double] {
        var acc: [Double] = []
        for a in arms.indices { acc.append(arms[a].accuracy(&net, x: test.x, labels: test.labels)) }
        let d = arms[4]
        return acc + [d.lastLoss, d.sparsity, d.edgeSurvival, d.correlationRatio, pruneFraction(at: step)]
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        if name == "zeta" { zeta = value } else { rewireEvery = max(1, Int(value.rounded())) }
        return nil
    }

    /// A layer's mask as a heatmap: 0.45 active, 0.12 allowed but inactive, 0 outside the blocks,
    /// +1 regrown and −1 pruned at the last event; `transpose` puts the inputs on the rows.
    func maskView(_ l: Int, transpose: Bool) -> HeatmapView {
        let arm = arms[4], lay = net.layout, o = lay.wOffset[l]
        let (ni, no) = (lay.sizes[l], lay.sizes[l + 1])
        var v = [Float](repeating: 0, count: ni * no)
        for j in 0..<no {
            for i in 0..<ni {
                let e = j * ni + i
                let val: Float = arm.mask[o + e] != 0 ? 0.45 : (arm.wiring[l]?.allowed[e] ?? true) ? 0.12 : 0
                v[transpose ? i * no + j : e] = val
            }
        }
        for p in arm.lastPruned where p >= o && p < o + ni * no {
            let e = p - o
            v[transpose ? (e % ni) * no + e / ni : e] = -1
        }
        for p in arm.lastRegrown where p >= o && p < o + ni * no {
            let e = p - o
            v[transpose ? (e % ni) * no + e / ni : e] = 1
        }
        return transpose ? HeatmapView(rows: ni, cols: no, values: v, scale: .symmetric(1))
            : HeatmapView(rows: no, cols: ni, values: v, scale: .symmetric(1))
    }

    public func views() -> [String: PanelView] {
        let arm = arms[4], lay = net.layout
        let c = arm.correlation[1]
        let cMax = max(c.map(abs).max() ?? 0, 1e-6)
        let units = min(32, lay.sizes[1])
        let w = Array(arm.theta[lay.wOffset[0]..<(lay.wOffset[0] + units * lay.sizes[0])])
        return [
            "mask_input": .heatmap(maskView(0, transpose: true)),
            "mask_hidden": .heatmap(maskView(1, transpose: false)),
            "correlation": .heatmap(HeatmapView(rows: lay.sizes[2], cols: lay.sizes[1], values: c.isEmpty ? [Float](repeating: 0, count: lay.sizes[1] * lay.sizes[2]) : c,
                                                scale: .fixed(0, cMax))),
            "receptive_fields": .heatmap(HeatmapView(rows: units, cols: lay.sizes[0], values: w, tile: TileShape(rows: 8, cols: 8),
                                                     scale: .symmetric(max(w.map(abs).max() ?? 0, 1e-6)))),
        ]
    }

    public func probe() -> [Factor] {
        let a = arms[4]
        return [Factor("zeta(t)", pruneFraction(at: step)), Factor("rewiring events", Double(a.events)),
                Factor("pruned last event", Double(a.lastPruned.count)), Factor("regrown last event", Double(a.lastRegrown.count)),
                Factor("edge survival", a.edgeSurvival), Factor("corr ratio", a.correlationRatio)]
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
