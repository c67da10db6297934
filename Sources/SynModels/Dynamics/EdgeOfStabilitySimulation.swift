import SynCore

/// Full-batch gradient descent on an MLP with its sharpness tracked live: the top eigenvalue
/// λ_max of the loss Hessian against the stability limit 2/η (scene `edge-of-stability`; Cohen
/// et al. 2021, the observables bench of Simon, Kunin et al. 2026).
///
/// Loss L = (1/(2n)) Σ_i ‖f(x_i) − y_i‖² on one-hot targets (linear output; the sum over the
/// outputs, the mean over the n samples sets the sharpness scale). Each update is one round of
/// full-batch passes: the gradient g(θ), and every `probeEvery` updates also g(θ ± h v̂) for one
/// power-iteration step on the Hessian-vector product H v ≈ (g(θ + h v̂) − g(θ − h v̂)) / (2h)
/// (`HessianProbe`), warm-started from the previous step's vector, so λ_max = vᵀ H v is tracked
/// as training goes; then θ ← θ − η g. Before the first update `warmup` rounds of power
/// iteration alone converge v.
///
/// One step = one chunk of `chunk` samples through one pass (forward and backward), so a step
/// costs the same everywhere; an update takes ⌈n / chunk⌉ steps, 3 ⌈n / chunk⌉ with a probe.
public struct EdgeOfStabilitySimulation: Simulation {
    public struct Config: Sendable {
        /// Layer sizes, inputs 64 (digit pixels / 16) to outputs 10.
        public var sizes: [Int]
        public var hidden: Activation
        /// Training samples: the first `samples` rows of the digits training split.
        public var samples: Int
        /// Samples per step.
        public var chunk: Int
        /// Power-iteration rounds before the first update.
        public var warmup: Int
        /// Updates per power-iteration step after warm-up (1 = a Hessian-vector product at every update).
        public var probeEvery: Int
        /// Length h of the finite-difference step in parameter space.
        public var hvpStep: Float
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(sizes: [Int] = [64, 64, 64, 10], hidden: Activation = .tanh, samples: Int = 1000, chunk: Int = 25,
                    warmup: Int = 10, probeEvery: Int = 1, hvpStep: Float = 1e-2, rules: [any DynamicsRule], start: Int = 0) {
            self.sizes = sizes; self.hidden = hidden; self.samples = samples; self.chunk = chunk
            self.warmup = warmup; self.probeEvery = probeEvery; self.hvpStep = hvpStep; self.rules = rules; self.start = start
        }
    }

    public static let metricSpecs: [MetricSpec] = [
        MetricSpec("loss", "full-batch training loss (1/2n) Σ ‖f(x) − y‖² at the last update"),
        MetricSpec("sharpness", "top Hessian eigenvalue λ_max of the loss (power iteration on Hessian-vector products)",
                   mayBeUndefined: true),
        MetricSpec("two_over_eta", "stability limit 2/η of gradient descent on curvature λ_max"),
        MetricSpec("sharpness_ratio", "λ_max η / 2: below 1 stable, 1 at the edge of stability", mayBeUndefined: true),
        MetricSpec("train_acc", "fraction of training samples classified right at the last update"),
        MetricSpec("weight_norm", "Euclidean norm of all weights and biases ‖θ‖"),
        MetricSpec("update_ratio", "‖Δθ‖ / ‖θ‖ of the last update"),
        MetricSpec("updates", "gradient-descent updates so far"),
    ]
    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("receptive_fields", "first-layer weights of each hidden unit as an 8x8 image"),
        ViewSpec("curvature", "λ_max against 2/η, the loss and the power-iteration residual"),
    ]

    /// The three passes of a round.
    enum Pass: Sendable { case gradient, plus, minus }

    public let config: Config
    public let metricNames = EdgeOfStabilitySimulation.metricSpecs.map(\.name)
    public let viewNames = EdgeOfStabilitySimulation.viewSpecs.map(\.name)
    public private(set) var step = 0
    public var dt: Double { 0 }
    public private(set) var activeRule: Int
    public var ruleNames: [String] { rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "update", steps: chunks.count) }
    public var ruleEquation: String { rules[activeRule].equation + ";  L = (1/2n) sum_i |f(x_i) - y_i|^2" }

    private var rules: [any DynamicsRule]
    private var ruleState: DynamicsRuleState
    /// Parameters θ (MLP layout) and the network that owns the layout and activations.
    public private(set) var net: MLP
    private var batch: BatchMLP
    /// The training set cut into chunks: inputs, one-hot targets, labels.
    private let chunks: [(x: Matrix, y: Matrix, labels: [Int])]
    private let samples: Int
    private let mask: [Float]
    /// The pass under way, its next chunk and the round's parameter points and sums.
    private var pass = Pass.plus
    private var cursor = 0
    private var warmupLeft: Int
    private var probePoint: [Float]
    private var sum: [Float]
    private var gTheta: [Float]
    private var gPlus: [Float]
    private var lossSum = 0.0
    private var hits = 0
    /// Power-iteration state: the current unit eigenvector estimate.
    private var eigenvector: [Float]
    public private(set) var sharpness = Double.nan
    private var residual = Double.nan
    private var lastLoss = Double.nan
    private var lastAcc = Double.nan
    private var lastUpdateRatio = 0.0
    public private(set) var updates = 0

    public init(config: Config, seed: UInt64) {
        precondition(config.sizes.count >= 2 && config.sizes.first == 64 && config.sizes.last == 10)
        precondition(config.samples >= 1 && config.chunk >= 1 && config.warmup >= 0 && config.probeEvery >= 1 && config.hvpStep > 0)
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
        samples = n
        chunks = stride(from: 0, to: n, by: config.chunk).map { a in
            let d = train.slice(a..<min(n, a + config.chunk))
            return (d.x, Matrix(rows: d.count, cols: 10) { i, k in d.labels[i] == k ? 1 : 0 }, d.labels)
        }
        batch = BatchMLP(net, capacity: config.chunk)
        let count = net.params.count
        mask = (0..<count).map { $0 < lay.paramCount ? 1 : 0 }
        sum = [Float](repeating: 0, count: count)
        gTheta = sum
        gPlus = sum
        var vrng = root.stream("power")
        eigenvector = HessianProbe.normalised((0..<count).map { $0 < lay.paramCount ? vrng.normal() : 0 })
        rules = config.rules
        activeRule = config.start
        ruleState = DynamicsRuleState(count: count)
        warmupLeft = config.warmup
        probePoint = net.params
        // Loss and accuracy at θ0 (warm-up rounds do not move θ).
        var loss = 0.0, hits = 0
        for c in chunks {
            loss += Double(batch.loss(net.params, x: c.x, t: c.y)) * Double(c.x.rows)
            for i in 0..<c.x.rows where batch.argmaxOutput(i) == c.labels[i] { hits += 1 }
        }
        lastLoss = loss / Double(n)
        lastAcc = Double(hits) / Double(n)
        beginRound()
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

    /// Starts a round: the gradient pass, or during warm-up straight the first probe pass.
    private mutating func beginRound() {
        begin(warmupLeft > 0 ? .plus : .gradient)
    }

    /// Starts `p`: the parameter point it differentiates at and empty sums.
    private mutating func begin(_ p: Pass) {
        pass = p
        cursor = 0
        lossSum = 0
        hits = 0
        for i in 0..<sum.count { sum[i] = 0 }
        switch p {
        case .gradient: probePoint = net.params
        case .plus, .minus:
            let s = p == .plus ? config.hvpStep : -config.hvpStep
            probePoint = net.params
            for i in 0..<probePoint.count { probePoint[i] += s * eigenvector[i] }
        }
    }

    /// One chunk of the current pass; at the end of a pass, the next pass or the update.
    private mutating func stepChunk() {
        let c = chunks[cursor]
        var g = [Float](repeating: 0, count: sum.count)
        let loss = batch.lossAndGradient(probePoint, x: c.x, t: c.y, into: &g)
        let w = Float(c.x.rows) / Float(samples)
        for i in 0..<sum.count { sum[i] += w * g[i] }
        if pass == .gradient {
            lossSum += Double(loss) * Double(c.x.rows)
            for i in 0..<c.x.rows where batch.argmaxOutput(i) == c.labels[i] { hits += 1 }
        }
        cursor += 1
        guard cursor == chunks.count else { return }
        switch pass {
        case .gradient:
            gTheta = sum
            lastLoss = lossSum / Double(samples)
            lastAcc = Double(hits) / Double(samples)
            if updates % config.probeEvery == 0 { begin(.plus) } else { applyUpdate() }
        case .plus:
            gPlus = sum
            begin(.minus)
        case .minus:
            finishRound()
        }
    }

    /// H v from the two probe passes, one power step, then the update (after warm-up).
    private mutating func finishRound() {
        let hv = HessianProbe.centralDifference(gPlus, sum, step: config.hvpStep, norm: 1)
        let power = HessianProbe.powerStep(eigenvector, hv)
        var r = 0.0
        for i in 0..<hv.count { let e = Double(hv[i]) - power.value * Double(eigenvector[i]); r += e * e }
        residual = r.squareRoot()
        sharpness = power.value
        if let next = power.next { eigenvector = next }
        if warmupLeft > 0 {
            warmupLeft -= 1
            beginRound()
        } else {
            applyUpdate()
        }
    }

    /// θ ← rule(θ, g(θ)), then the next round.
    private mutating func applyUpdate() {
        let before = net.params
        rules[activeRule].update(&net.params, gradient: gTheta, mask: mask, state: &ruleState)
        var du = 0.0, w = 0.0
        for i in 0..<before.count {
            let d = Double(net.params[i] - before[i])
            du += d * d
            w += Double(before[i]) * Double(before[i])
        }
        lastUpdateRatio = w > 0 ? (du / w).squareRoot() : 0
        updates += 1
        beginRound()
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            stepChunk()
            step += 1
        }
    }

    public mutating func measure() -> [Double] {
        let eta = Double(rules[activeRule].eta)
        return [lastLoss, sharpness, 2 / eta, sharpness * eta / 2, lastAcc, HessianProbe.norm2(net.params), lastUpdateRatio,
                Double(updates)]
    }

    public func views() -> [String: PanelView] {
        let w = net.weights(0)
        let m = w.storage.reduce(Float(0)) { max($0, abs($1)) }
        let eta = Double(rules[activeRule].eta)
        let text = """
            updates    \(updates)\(warmupLeft > 0 ? "   (power-iteration warm-up: \(warmupLeft) rounds left)" : "")
            sharpness  lambda_max = \(NumberFormat.value(sharpness))   (one power step every \(config.probeEvery) updates, central-difference HVP)
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
