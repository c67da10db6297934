import SynCore

/// Full-batch gradient descent on an MLP with its sharpness tracked live: the top eigenvalue
/// λ_max of the loss Hessian against the stability limit 2/η (scene `edge-of-stability`; Cohen
/// et al. 2021, the observables bench of Simon, Kunin et al. 2026). One step = one update on
/// the whole training set; the big step is `sharpness_every` updates.
///
/// Loss L = (1/(2n)) Σ_i ‖f(x_i) − y_i‖² on one-hot targets (linear output; the sum over the
/// outputs, the mean over the n samples sets the sharpness scale). Every `sharpnessEvery`
/// updates, before the update, `powerIterations` steps of power iteration on Hessian-vector
/// products (central differences of full-batch gradients, `HessianProbe`) estimate λ_max,
/// warm-started from the previous eigenvector; between estimates the metric holds the last one.
public struct EdgeOfStabilitySimulation: Simulation {
    public struct Config: Sendable {
        /// Layer sizes, inputs 64 (digit pixels / 16) to outputs 10.
        public var sizes: [Int]
        public var hidden: Activation
        /// Training samples: the first `samples` rows of the digits training split.
        public var samples: Int
        public var sharpnessEvery: Int
        public var powerIterations: Int
        /// Length of the finite-difference step in parameter space.
        public var hvpStep: Float
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(sizes: [Int] = [64, 64, 64, 10], hidden: Activation = .tanh, samples: Int = 1000, sharpnessEvery: Int = 100,
                    powerIterations: Int = 20, hvpStep: Float = 1e-2, rules: [any DynamicsRule], start: Int = 0) {
            self.sizes = sizes; self.hidden = hidden; self.samples = samples; self.sharpnessEvery = sharpnessEvery
            self.powerIterations = powerIterations; self.hvpStep = hvpStep; self.rules = rules; self.start = start
        }
    }

    public static let metricSpecs: [MetricSpec] = [
        MetricSpec("loss", "full-batch training loss (1/2n) Σ ‖f(x) − y‖² before the last update"),
        MetricSpec("sharpness", "top Hessian eigenvalue λ_max of the loss (power iteration on Hessian-vector products)",
                   mayBeUndefined: true),
        MetricSpec("two_over_eta", "stability limit 2/η of gradient descent on curvature λ_max"),
        MetricSpec("sharpness_ratio", "λ_max η / 2: below 1 stable, 1 at the edge of stability", mayBeUndefined: true),
        MetricSpec("train_acc", "fraction of training samples classified right (before the last update)"),
        MetricSpec("weight_norm", "Frobenius norm of all weights and biases ‖θ‖"),
        MetricSpec("update_ratio", "‖Δθ‖ / ‖θ‖ of the last update"),
    ]
    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("receptive_fields", "first-layer weights of each hidden unit as an 8x8 image"),
        ViewSpec("curvature", "λ_max against 2/η, the loss and the power-iteration residual"),
    ]

    public let config: Config
    public let metricNames = EdgeOfStabilitySimulation.metricSpecs.map(\.name)
    public let viewNames = EdgeOfStabilitySimulation.viewSpecs.map(\.name)
    public private(set) var step = 0
    public var dt: Double { 0 }
    public private(set) var activeRule: Int
    public var ruleNames: [String] { rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "sharpness interval", steps: config.sharpnessEvery) }
    public var ruleEquation: String { rules[activeRule].equation + ";  L = (1/2n) sum_i |f(x_i) - y_i|^2" }

    private var rules: [any DynamicsRule]
    private var ruleState: DynamicsRuleState
    /// Parameters θ (MLP layout) and the network that owns the layout and activations.
    public private(set) var net: MLP
    private var batch: BatchMLP
    private let x: Matrix
    private let y: Matrix
    private let labels: [Int]
    private let mask: [Float]
    private var grad: [Float]
    /// Power-iteration state: the current unit eigenvector estimate.
    private var eigenvector: [Float]
    public private(set) var sharpness = Double.nan
    private var residual = Double.nan
    private var lastLoss: Double
    private var lastAcc: Double
    private var lastUpdateRatio = 0.0

    public init(config: Config, seed: UInt64) {
        precondition(config.sizes.count >= 2 && config.sizes.first == 64 && config.sizes.last == 10)
        precondition(config.samples >= 1 && config.sharpnessEvery >= 1 && config.powerIterations >= 1 && config.hvpStep > 0)
        self.config = config
        let root = RNG(seed: seed)
        var init_ = root.stream("init")
        // Weights and biases U(±1/√fan_in).
        var net = MLP(sizes: config.sizes, hidden: config.hidden, output: .linear, uniform: true, rng: &init_)
        let lay = net.layout
        for l in 0..<lay.layers {
            let r = 1 / Float(config.sizes[l]).squareRoot()
            for k in 0..<config.sizes[l + 1] { net.params[lay.bOffset[l] + k] = init_.uniform(-r, r) }
        }
        self.net = net
        let train = Digits.split().train
        let n = min(config.samples, train.count)
        let data = train.slice(0..<n)
        x = data.x
        labels = data.labels
        y = Matrix(rows: n, cols: 10) { i, k in data.labels[i] == k ? 1 : 0 }
        batch = BatchMLP(net, capacity: n)
        mask = (0..<net.params.count).map { $0 < lay.paramCount ? 1 : 0 }
        grad = [Float](repeating: 0, count: net.params.count)
        var vrng = root.stream("power")
        eigenvector = HessianProbe.normalised((0..<net.params.count).map { $0 < lay.paramCount ? vrng.normal() : 0 })
        rules = config.rules
        activeRule = config.start
        ruleState = DynamicsRuleState(count: net.params.count)
        lastLoss = Double(batch.loss(net.params, x: x, t: y))
        lastAcc = batch.accuracy(labels)
    }

    public var controls: [Control] {
        [Control(name: "eta", value: Double(rules[activeRule].eta), range: 0.01...0.5, step: 0.01)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        rules[activeRule].eta = Float(value)
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        ruleState = DynamicsRuleState(count: net.params.count)
    }

    /// Warm-started power iteration on H = ∇²L(θ), then the residual ‖Hv − λv‖ of its vector.
    public mutating func estimateSharpness() {
        let theta = net.params, h = config.hvpStep, x = x, y = y
        var b = batch
        let hv: ([Float]) -> [Float] = { v in
            HessianProbe.hessianVector(at: theta, v, step: h) { th in
                var g = [Float](repeating: 0, count: th.count)
                b.lossAndGradient(th, x: x, t: y, into: &g)
                return g
            }
        }
        let top = HessianProbe.topEigen(start: eigenvector, iterations: config.powerIterations, apply: hv)
        let hvv = hv(top.vector)
        batch = b
        eigenvector = top.vector
        sharpness = top.value
        var r = 0.0
        for i in 0..<hvv.count { let e = Double(hvv[i]) - top.value * Double(top.vector[i]); r += e * e }
        residual = r.squareRoot()
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            if step % config.sharpnessEvery == 0 { estimateSharpness() }
            lastLoss = Double(batch.lossAndGradient(net.params, x: x, t: y, into: &grad))
            lastAcc = batch.accuracy(labels)
            let before = net.params
            rules[activeRule].update(&net.params, gradient: grad, mask: mask, state: &ruleState)
            var du = 0.0, w = 0.0
            for i in 0..<before.count {
                let d = Double(net.params[i] - before[i])
                du += d * d
                w += Double(before[i]) * Double(before[i])
            }
            lastUpdateRatio = w > 0 ? (du / w).squareRoot() : 0
            step += 1
        }
    }

    public mutating func measure() -> [Double] {
        let eta = Double(rules[activeRule].eta)
        return [lastLoss, sharpness, 2 / eta, sharpness * eta / 2, lastAcc, HessianProbe.norm2(net.params), lastUpdateRatio]
    }

    public func views() -> [String: PanelView] {
        let w = net.weights(0)
        let m = w.storage.reduce(Float(0)) { max($0, abs($1)) }
        let eta = Double(rules[activeRule].eta)
        let text = """
            sharpness  lambda_max = \(NumberFormat.value(sharpness))   (power iteration, \(config.powerIterations) HVPs every \(config.sharpnessEvery) steps)
            limit      2 / eta    = \(NumberFormat.value(2 / eta))   (eta = \(NumberFormat.value(eta)))
            ratio      lambda_max eta / 2 = \(NumberFormat.value(sharpness * eta / 2))   (1 = edge of stability)
            loss       \(NumberFormat.value(lastLoss))   residual |Hv - lambda v| = \(NumberFormat.value(residual))
            """
        return [
            "receptive_fields": .heatmap(HeatmapView(rows: w.rows, cols: w.cols, values: w.storage, tile: TileShape(rows: 8, cols: 8),
                                                     scale: .symmetric(max(m, 1e-6)))),
            "curvature": .text(text),
        ]
    }

    public func probe() -> [Factor] {
        [Factor("eta", Double(rules[activeRule].eta)), Factor("lambda_max", sharpness),
         Factor("2/eta", 2 / Double(rules[activeRule].eta)), Factor("loss", lastLoss)]
    }
}
