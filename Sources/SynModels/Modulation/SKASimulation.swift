import SynCore

/// Structured knowledge accumulation on unlabeled digits (scene `ska`, science page 29;
/// Bouarfa Mahi, arXiv 2504.03214, as the authors' code does it): four copies of one sigmoid
/// stack (`SKANetwork`, same initial weights W ~ N(0, 0.01²), b = 0) learn forward-only on the
/// same batch with step sizes η_1 … η_4, on one time axis t = η k: one simulation step is
/// Δt = η_min, and a preset with η = m η_min steps at every m-th simulation step. Plotted
/// against t, their cumulative entropies should collapse onto one curve (time invariance).
/// A dynamics demonstration: no labels, no accuracy.
public struct SKASimulation: Simulation {
    public struct Config: Sendable {
        /// Widths after the 64 inputs (three layers).
        public var layers: [Int]
        public var batch: Int
        /// The four step sizes, each an integer multiple of the smallest.
        public var etas: [Double]
        public var initSD: Double
        public var rules: [any ForwardOnlyRule]
        public var start: Int
        public init(layers: [Int] = [32, 16, 10], batch: Int = 1000, etas: [Double] = [0.02, 0.01, 0.005, 0.0025],
                    initSD: Double = 0.01, rules: [any ForwardOnlyRule] = [SKARule()], start: Int = 0) {
            self.layers = layers; self.batch = batch; self.etas = etas; self.initSD = initSD; self.rules = rules; self.start = start
        }
    }

    public static let presetNames = ["p1", "p2", "p3", "p4"]
    public static let metricSpecs: [MetricSpec] =
        presetNames.map { MetricSpec("cum_entropy_\($0)", unit: "bits", "cumulative entropy Σ_k H_k of layer 1, preset \($0)") }
        + (1...3).map { MetricSpec("cos_theta_\($0)", "alignment cos θ of layer \($0), finest preset", mayBeUndefined: true) }
        + (1...3).map { MetricSpec("tensor_net_\($0)", "Tensor Net Σ (D − ∇_z H) ⊙ ΔZ of layer \($0), finest preset", mayBeUndefined: true) }
        + [MetricSpec("flow", "knowledge flow ‖ΔZ‖ / η of layer 1, finest preset", mayBeUndefined: true)]
        + presetNames.map { MetricSpec("t_star_\($0)", "t of the first sign change of layer 1's Tensor Net, preset \($0); NaN before", mayBeUndefined: true) }
        + [MetricSpec("t", "time t = η k (the same for every preset)")]
    public static let viewSpecs = [
        ViewSpec("cumulative", "cumulative entropy of layer 1 against t, one curve per preset (collapse)"),
        ViewSpec("tensor_net", "Tensor Net of each layer against t, finest preset (sign change = onset)"),
        ViewSpec("entropy", "step entropy H_k, layers x last 200 steps, finest preset"),
        ViewSpec("alignment", "cos θ, layers x last 200 steps, finest preset"),
        ViewSpec("weights", "first-layer weights of the finest preset, one 8x8 tile per unit"),
    ]
    static let shownSteps = 200
    static let maxCurve = 4000

    public let config: Config
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public private(set) var rule: any ForwardOnlyRule
    public var dt: Double { 0 }
    public var metricNames: [String] { Self.metricSpecs.map(\.name) }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "t = 0.1", steps: max(1, Int((0.1 / dtime).rounded()))) }
    public var ruleEquation: String { rule.equation + ";  z = D_prev W + b, D = sigmoid(z), H = -(1/ln2) sum z dD" }

    private var nets: [SKANetwork]
    private let every: [Int]
    private let dtime: Double
    private let finest: Int
    private var tStar: [Double]
    private var lastSign: [Float]
    /// (t, cumulative entropy of layer 1) per preset, and Tensor Net per layer of the finest.
    private var curves: [[(Float, Float)]]
    private var tensorCurve: [[Float]]
    private var tensorT: [Float]
    private var recent: [SKANetwork.LayerReadout]

    public init(config: Config, seed: UInt64, data: Dataset) {
        precondition(config.layers.count == 3 && config.etas.count == 4 && config.rules.indices.contains(config.start))
        self.config = config
        activeRule = config.start
        rule = config.rules[config.start]
        let sizes = [data.features] + config.layers
        let b = min(config.batch, data.count)
        let x = Matrix(rows: b, cols: data.features, storage: Array(data.x.storage[0..<(b * data.features)]))
        var rng = RNG(seed: seed).stream("weights")
        let (w, bias) = SKANetwork.initialWeights(sizes: sizes, sd: Float(config.initSD), rng: &rng)
        nets = config.etas.map { SKANetwork(x: x, sizes: sizes, w: w, b: bias, eta: Float($0)) }
        let etaMin = config.etas.min() ?? 1
        dtime = etaMin
        every = config.etas.map { max(1, Int(($0 / etaMin).rounded())) }
        finest = config.etas.indices.min { config.etas[$0] < config.etas[$1] } ?? 0
        tStar = [Double](repeating: .nan, count: 4)
        lastSign = [Float](repeating: 0, count: 4)
        curves = [[(Float, Float)]](repeating: [], count: 4)
        tensorCurve = [[Float]](repeating: [], count: 3)
        tensorT = []
        recent = []
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        rule = config.rules[index]
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            for p in nets.indices where (step + 1) % every[p] == 0 {
                nets[p].step(rule: rule)
                let t = Double(nets[p].steps) * config.etas[p]
                let tn = nets[p].last[0].tensorNet
                if tn.isFinite, tn != 0 {
                    if lastSign[p] != 0, tn.sign != lastSign[p].sign, tStar[p].isNaN { tStar[p] = t }
                    lastSign[p] = tn
                }
                if curves[p].count < Self.maxCurve { curves[p].append((Float(t), Float(nets[p].cumulativeEntropy[0]))) }
                if p == finest {
                    recent.append(contentsOf: nets[p].last)
                    if recent.count > 3 * Self.shownSteps { recent.removeFirst(recent.count - 3 * Self.shownSteps) }
                    if tensorT.count < Self.maxCurve {
                        tensorT.append(Float(t))
                        for l in 0..<3 { tensorCurve[l].append(nets[p].last[l].tensorNet) }
                    }
                }
            }
            step += 1
        }
    }

    public mutating func measure() -> [Double] {
        let f = nets[finest].last
        return nets.map { $0.cumulativeEntropy[0] } + f.map { Double($0.cosTheta) } + f.map { Double($0.tensorNet) }
            + [Double(f[0].flow)] + tStar + [Double(step) * dtime]
    }

    public func views() -> [String: PanelView] {
        let cumulative = TracesView(names: Self.presetNames.enumerated().map { "\($1) eta \(config.etas[$0])" },
                                    series: curves.map { $0.map(\.1) }, unit: "bits", xs: curves.map { $0.map(\.0) }, xLabel: "t = eta k")
        let tensor = TracesView(names: ["layer 1", "layer 2", "layer 3", "zero"], series: tensorCurve + [tensorT.map { _ in 0 }],
                                unit: "", xs: Array(repeating: tensorT, count: 4), xLabel: "t = eta k")
        let cols = Self.shownSteps
        // Empty cells and the forward-only first step (NaN readouts) are drawn as 0.
        var h = [Float](repeating: 0, count: 3 * cols), c = h
        let n = recent.count / 3
        for s in 0..<n {
            let col = cols - n + s
            for l in 0..<3 {
                let r = recent[s * 3 + l]
                h[l * cols + col] = r.entropy.isFinite ? r.entropy : 0
                c[l * cols + col] = r.cosTheta.isFinite ? r.cosTheta : 0
            }
        }
        let hMax = h.map(abs).max() ?? 1
        let w = nets[finest].w[0]
        return [
            "cumulative": .traces(cumulative),
            "tensor_net": .traces(tensor),
            "entropy": .heatmap(HeatmapView(rows: 3, cols: cols, values: h, scale: .symmetric(max(hMax, 1e-6)))),
            "alignment": .heatmap(HeatmapView(rows: 3, cols: cols, values: c, scale: .symmetric(1))),
            "weights": .heatmap(HeatmapView(rows: w.cols, cols: w.rows, values: w.transposed.storage, tile: TileShape(rows: 8, cols: 8),
                                            scale: .symmetric(max(w.storage.map(abs).max() ?? 0, 1e-6)))),
        ]
    }
}
