import Foundation
import SynCore

/// Equilibrium propagation without weight symmetry (scene `hep-homeostasis`; Laborieux & Zenke,
/// ICLR 2024, arXiv 2309.02214): digits networks whose feedback weights B start rotated by α away
/// from Wᵀ, trained in parallel from the same weights by every rule of the scene (generalised
/// holomorphic EP with and without Jacobian homeostasis), on the same minibatches.
///
/// One step = one minibatch for every arm: a free relaxation from zero (`freeSteps`), then one
/// relaxation per nudge point β_k = |β| e^{2πik/N}, k = 0 ... N/2, each from the free fixed point
/// (`nudgeSteps`; the other points are complex conjugates of these and need no relaxation), the
/// N-point neural error δ and an SGD-with-momentum step. The big step is an epoch.
///
/// Alignment (at each metrics row, on the first `probeSamples` training samples): the cosine of
/// the EP estimate with recurrent backprop's exact gradient (`grad_cosine`) and, per layer, of
/// −δ with recurrent backprop's error μ (`error_cosine_*`, the paper's metric), for the current N
/// and, for the view, for N = 1, 2, 4, 8 (the points of all four lie on the 8-point circle, so
/// five relaxations serve them all).
public struct HolomorphicEPSimulation: Simulation {
    public struct Config: Sendable {
        /// Unit counts: input, hidden layers, output.
        public var sizes: [Int]
        /// Initial weight scale (W ~ N(0, 1/fan_in) · scale).
        public var scale: Float
        /// Initial asymmetry angle α in degrees (live control "alpha_deg": re-initialises).
        public var alphaDeg: Double
        /// Relaxation rate γ and steps of the free phase and of each nudge point.
        public var gamma: Float
        public var freeSteps: Int
        public var nudgeSteps: Int
        /// Nudge points N (1, 2, 4 or 8) and modulus |β| (live controls).
        public var points: Int
        public var beta: Float
        public var batch: Int
        public var momentum: Float
        /// Training samples of the alignment probe; test samples of `test_acc` (the first ones).
        public var probeSamples: Int
        public var testSamples: Int
        public var rules: [any HolomorphicEPRule]
        public var start: Int
        public init(sizes: [Int] = [64, 64, 64, 10], scale: Float = 0.7, alphaDeg: Double = 90, gamma: Float = 0.5,
                    freeSteps: Int = 60, nudgeSteps: Int = 40, points: Int = 4, beta: Float = 0.5, batch: Int = 50,
                    momentum: Float = 0.9, probeSamples: Int = 50, testSamples: Int = 297, rules: [any HolomorphicEPRule], start: Int = 0) {
            self.sizes = sizes; self.scale = scale; self.alphaDeg = alphaDeg; self.gamma = gamma
            self.freeSteps = freeSteps; self.nudgeSteps = nudgeSteps; self.points = points; self.beta = beta
            self.batch = batch; self.momentum = momentum; self.probeSamples = probeSamples; self.testSamples = testSamples; self.rules = rules; self.start = start
        }
    }

    /// The accepted numbers of nudge points.
    public static let pointChoices = [1, 2, 4, 8]

    /// Metric names for a network with `hidden` hidden layers and the given rule names.
    public static func metricSpecs(hidden: Int, rules: [String]) -> [MetricSpec] {
        [MetricSpec("loss", "mean free-phase cost 1/2 |sigma(u_L) - y|^2 of the active rule's training batches since the last row",
                    mayBeUndefined: true),
         MetricSpec("test_acc", "test accuracy of the active rule's network (free phase)"),
         MetricSpec("grad_cosine", "cosine of the active rule's EP estimate with recurrent backprop's gradient (probe batch, current N)",
                    mayBeUndefined: true)]
            + (1...max(1, hidden)).map {
                MetricSpec("error_cosine_h\($0)", "cosine of -delta with recurrent backprop's error mu in hidden layer \($0) (active rule)",
                           mayBeUndefined: true)
            }
            + [MetricSpec("error_cosine_out", "cosine of -delta with mu in the output layer (active rule)", mayBeUndefined: true),
               MetricSpec("symmetry_index", "s/(s + a) of J_s, s = |sym part|_F, a = |antisym part|_F (active rule; 1 = symmetric)"),
               MetricSpec("log_residual", "log10 of the largest final relaxation residual |F(u) - u| of the nudge points (probe)",
                          mayBeUndefined: true)]
            + rules.flatMap { r in
                [MetricSpec("test_acc_\(r)", "test accuracy of the network trained with \(r)"),
                 MetricSpec("error_cosine_\(r)", "hidden layer 1's error cosine of the network trained with \(r)", mayBeUndefined: true),
                 MetricSpec("symmetry_index_\(r)", "symmetry index of the network trained with \(r)")]
            }
    }

    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("alignment_vs_points", "cosines with recurrent backprop vs the number of nudge points N = 1, 2, 4, 8 (active rule, probe batch, last row)"),
        ViewSpec("relaxation", "log10 residual |F(u) - u| per relaxation step: free phase and the nudge points of the last probe"),
        ViewSpec("asymmetry", "B_2 - W_2^T (feedback minus transposed forward weights between the hidden layers; 0 = symmetric)"),
        ViewSpec("receptive_fields", "W_1 rows as 8x8 tiles (active rule)"),
    ]

    struct Arm: Sendable {
        var net: HolomorphicEPNetwork
        var eta: Float
        var velocity: HolomorphicEPNetwork.Gradient
        var lambda: Float
        var lossSum = 0.0, lossCount = 0
        var errorCosine = Double.nan
    }

    /// What one alignment probe measured.
    struct Alignment: Sendable, Equatable {
        /// Per N of `pointChoices`: [grad cosine, error cosine per layer ...].
        var byPoints: [[Double]]
        /// log10 residual per step: free phase, then each point k8 = 0 ... 4 of the 8-circle.
        var residuals: [[Float]]
        var logResidual: Double
    }

    public let config: Config
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public private(set) var activeRule: Int
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: max(1, train.count / config.batch)) }
    public var ruleEquation: String {
        config.rules[activeRule].equation(lambda: arms[activeRule].lambda) + ";  N = \(points), |beta| = \(beta)"
    }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    /// The weight views show the active rule's own network, so a switch changes them.
    public var ruleStateViewNames: [String] { ["asymmetry", "receptive_fields"] }

    private let train: Dataset, test: Dataset
    private let trainY: Matrix, testY: Matrix
    private var arms: [Arm]
    private let root: RNG
    private var orderRNG: RNG
    private var order: [Int]
    private var cursor = 0
    private var points: Int, beta: Float, alphaDeg: Double, lambda: Float
    private var alignment: Alignment?

    public init(config: Config, train: Dataset, test: Dataset, seed: UInt64) {
        precondition(!config.rules.isEmpty && config.sizes.count >= 3 && config.batch > 0 && train.count > 0)
        precondition(config.sizes.first == train.features && config.sizes.last == train.classes)
        precondition(Self.pointChoices.contains(config.points))
        self.config = config
        self.train = train
        self.test = test.slice(0..<min(test.count, max(1, config.testSamples)))
        trainY = Self.oneHot(train)
        testY = Self.oneHot(self.test)
        root = RNG(seed: seed)
        orderRNG = root.stream("order")
        order = Array(0..<train.count)
        orderRNG.shuffle(&order)
        points = config.points; beta = config.beta; alphaDeg = config.alphaDeg
        lambda = config.rules.first { type(of: $0).homeostatic }?.homeostasis ?? 1
        activeRule = config.start
        metricNames = Self.metricSpecs(hidden: config.sizes.count - 2, rules: config.rules.map(\.name)).map(\.name)
        arms = []
        arms = makeArms()
    }

    /// Every arm from the same initial weights at the current α (the "init" stream restarts).
    private func makeArms() -> [Arm] {
        var rng = root.stream("init")
        let net = HolomorphicEPNetwork(sizes: config.sizes, scale: config.scale, alpha: alphaDeg * Double.pi / 180, rng: &rng)
        return config.rules.map { r in
            Arm(net: net, eta: r.eta, velocity: net.zeroGradient(), lambda: type(of: r).homeostatic ? lambda : 0)
        }
    }

    static func oneHot(_ d: Dataset) -> Matrix {
        Matrix(rows: d.count, cols: d.classes) { i, c in d.labels[i] == c ? 1 : 0 }
    }

    static func rows(_ m: Matrix, _ idx: [Int]) -> Matrix {
        Matrix(rows: idx.count, cols: m.cols) { i, c in m[idx[i], c] }
    }

    // MARK: Training

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            var idx = [Int]()
            for _ in 0..<config.batch {
                if cursor == order.count { orderRNG.shuffle(&order); cursor = 0 }
                idx.append(order[cursor]); cursor += 1
            }
            let x = Self.rows(train.x, idx), y = Self.rows(trainY, idx)
            for a in arms.indices { trainStep(&arms[a], x: x, y: y) }
            step += 1
        }
    }

    /// Free phase, nudge points, δ, generalised-EP gradient (+ homeostasis) and a momentum step.
    private func trainStep(_ arm: inout Arm, x: Matrix, y: Matrix) {
        let net = arm.net
        let drive = net.drive(x)
        var residuals = [Float]()
        var u = net.zeroState(batch: x.rows)
        let free = net.relax(&u, drive: drive, target: y, beta: (0, 0), steps: config.freeSteps, gamma: config.gamma, residuals: &residuals)
        let out = free.re[net.layers - 1]
        var loss = 0.0
        for k in 0..<out.storage.count { let e = Double(out.storage[k] - y.storage[k]); loss += 0.5 * e * e }
        arm.lossSum += loss / Double(x.rows)
        arm.lossCount += 1
        let nudged = (0...(points / 2)).map { k -> HolomorphicEPNetwork.State in
            var s = u
            return net.relax(&s, drive: drive, target: y, beta: HolomorphicEPNetwork.point(k, of: points, modulus: beta), steps: config.nudgeSteps,
                             gamma: config.gamma, residuals: &residuals)
        }
        let delta = HolomorphicEPNetwork.neuralError(points: points, modulus: beta, ratesAt: { nudged[$0] }, free: free)
        var g = net.parameterGradient(error: delta, free: free, input: x, sign: -1)
        net.addHomeostasis(lambda: arm.lambda, into: &g)
        let m = config.momentum, rateOf = arm.eta
        for l in 1...net.layers {
            Self.momentumStep(&arm.net.w[l].storage, &arm.velocity.w[l].storage, g.w[l].storage, eta: rateOf, momentum: m)
            Self.momentumStep(&arm.net.bias[l], &arm.velocity.bias[l], g.bias[l], eta: rateOf, momentum: m)
            if l >= 2 { Self.momentumStep(&arm.net.b[l].storage, &arm.velocity.b[l].storage, g.b[l].storage, eta: rateOf, momentum: m) }
        }
    }

    /// v <- m v + g; θ <- θ − η v.
    static func momentumStep(_ theta: inout [Float], _ v: inout [Float], _ g: [Float], eta: Float, momentum: Float) {
        for i in theta.indices {
            v[i] = momentum * v[i] + g[i]
            theta[i] -= eta * v[i]
        }
    }

    // MARK: Measurement

    /// Alignment of an arm's estimate with recurrent backprop on the probe batch, for every N.
    private func align(_ net: HolomorphicEPNetwork) -> Alignment {
        let idx = Array(0..<min(config.probeSamples, train.count))
        let x = Self.rows(train.x, idx), y = Self.rows(trainY, idx)
        let drive = net.drive(x)
        var freeRes = [Float]()
        var u = net.zeroState(batch: x.rows)
        let free = net.relax(&u, drive: drive, target: y, beta: (0, 0), steps: config.freeSteps, gamma: config.gamma, residuals: &freeRes)
        let mu = net.recurrentBackpropError(free: free, target: y, steps: config.freeSteps, gamma: config.gamma)
        let reference = net.parameterGradient(error: mu, free: free, input: x, sign: 1).flat
        var residuals = [freeRes.map { Foundation.log10(max($0, 1e-12)) }]
        var finals = [Float]()
        // Points k8 = 0 ... 4 of the 8-circle (5 ... 7 are conjugates of 3 ... 1).
        let circle = (0...4).map { k8 -> HolomorphicEPNetwork.State in
            var s = u
            var res = [Float]()
            let r = net.relax(&s, drive: drive, target: y, beta: HolomorphicEPNetwork.point(k8, of: 8, modulus: beta), steps: config.nudgeSteps,
                              gamma: config.gamma, residuals: &res)
            residuals.append(res.map { Foundation.log10(max($0, 1e-12)) })
            finals.append(res.last ?? 0)
            return r
        }
        let byPoints = Self.pointChoices.map { n -> [Double] in
            let delta = HolomorphicEPNetwork.neuralError(points: n, modulus: beta, ratesAt: { circle[$0 * 8 / n] }, free: free)
            let estimate = net.parameterGradient(error: delta, free: free, input: x, sign: -1).flat
            return [cosineSimilarity(estimate, reference)]
                + delta.indices.map { l in cosineSimilarity(delta[l].storage.map { -$0 }, mu[l].storage) }
        }
        let used = (0...(points / 2)).map { $0 * 8 / points }
        let worst = used.map { finals[$0] }.max() ?? 0
        return Alignment(byPoints: byPoints, residuals: residuals, logResidual: worst > 0 ? Foundation.log10(Double(worst)) : .nan)
    }

    /// Free-phase accuracy on the test set.
    private func testAccuracy(_ net: HolomorphicEPNetwork) -> Double {
        var u = net.zeroState(batch: test.count)
        var res = [Float]()
        let r = net.relax(&u, drive: net.drive(test.x), target: testY, beta: (0, 0), steps: config.freeSteps, gamma: config.gamma,
                          residuals: &res)
        let out = r.re[net.layers - 1]
        var ok = 0
        for i in 0..<test.count {
            var best = 0
            for c in 1..<out.cols where out[i, c] > out[i, best] { best = c }
            if best == test.labels[i] { ok += 1 }
        }
        return Double(ok) / Double(max(1, test.count))
    }

    public mutating func measure() -> [Double] {
        let hidden = config.sizes.count - 2
        var perArm = [Double]()
        var active = [Double]()
        let col = Self.pointChoices.firstIndex(of: points) ?? 0
        for a in arms.indices {
            let al = align(arms[a].net)
            let acc = testAccuracy(arms[a].net)
            arms[a].errorCosine = al.byPoints[col][1]
            perArm += [acc, al.byPoints[col][1], arms[a].net.symmetryIndex]
            if a == activeRule {
                alignment = al
                let arm = arms[a]
                let loss = arm.lossCount > 0 ? arm.lossSum / Double(arm.lossCount) : .nan
                active = [loss, acc] + al.byPoints[col].prefix(hidden + 2) + [arm.net.symmetryIndex, al.logResidual]
            }
            arms[a].lossSum = 0
            arms[a].lossCount = 0
        }
        return active + perArm
    }

    // MARK: Rules and controls

    /// Which arm is shown and probed; every arm keeps training (weights and moments untouched).
    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        alignment = nil
    }

    public var controls: [Control] {
        [Control(name: "points", value: Double(Self.pointChoices.firstIndex(of: points) ?? 0), range: 0...3, step: 1,
                 labels: Self.pointChoices.map(String.init)),
         Control(name: "beta", value: Double(beta), range: 0.05...1, step: 0.05),
         Control(name: "lambda", value: Double(lambda), range: 0...20, step: 0.5),
         Control(name: "alpha_deg", value: alphaDeg, range: 0...90, step: 15)]
    }

    /// N, |β| and λ act from the next minibatch; α re-initialises every arm from the same weights.
    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "points": points = Self.pointChoices[Int(value.rounded())]
        case "beta": beta = Float(value)
        case "lambda":
            lambda = Float(value)
            for a in arms.indices where type(of: config.rules[a]).homeostatic { arms[a].lambda = lambda }
        default:
            alphaDeg = value
            arms = makeArms()
        }
        alignment = nil
        return nil
    }

    // MARK: Views

    public func views() -> [String: PanelView] {
        let net = arms[activeRule].net
        var v: [String: PanelView] = [:]
        let xs = Self.pointChoices.map(Float.init)
        let layerNames = (1..<(config.sizes.count - 1)).map { "error cos h\($0)" } + ["error cos out"]
        let names = ["grad cosine"] + layerNames
        let series: [[Float]] = names.indices.map { i in
            Self.pointChoices.indices.map { n in alignment.map { Float($0.byPoints[n][i]) } ?? .nan }
        }
        v["alignment_vs_points"] = .traces(TracesView(names: names, series: series, unit: "cos", xs: names.map { _ in xs }, xLabel: "N points"))
        let traceNames = ["free"] + ["+|b|", "|b| e^(i pi/4)", "+i|b|", "|b| e^(3i pi/4)", "-|b|"]
        let res = alignment?.residuals ?? traceNames.map { _ in [Float.nan] }
        v["relaxation"] = .traces(TracesView(names: traceNames, series: res, unit: "log10 |F(u) - u|", xLabel: "relaxation step"))
        let w2 = net.w[2], b2 = net.b[2]
        let diff = (0..<(b2.rows * b2.cols)).map { k in b2.storage[k] - w2[k % b2.cols, k / b2.cols] }
        let peak = diff.reduce(Float(0)) { max($0, abs($1)) }
        v["asymmetry"] = .heatmap(HeatmapView(rows: b2.rows, cols: b2.cols, values: diff, scale: .symmetric(max(peak, 1e-6))))
        let w1 = net.w[1]
        let side = Int(Double(w1.cols).squareRoot())
        v["receptive_fields"] = .heatmap(HeatmapView(rows: w1.rows, cols: w1.cols, values: w1.storage,
                                                     tile: side * side == w1.cols ? TileShape(rows: side, cols: side) : nil,
                                                     scale: .symmetric(max(w1.storage.reduce(Float(0)) { max($0, abs($1)) }, 1e-6))))
        return v
    }

    public func probe() -> [Factor] {
        let net = arms[activeRule].net
        return [Factor("N points", Double(points)), Factor("|beta|", Double(beta)), Factor("lambda", Double(arms[activeRule].lambda)),
                Factor("L_homeo", net.homeostaticLoss), Factor("symmetry index", net.symmetryIndex),
                Factor("alpha (deg)", alphaDeg)]
    }
}
