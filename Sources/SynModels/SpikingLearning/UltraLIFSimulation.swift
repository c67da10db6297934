import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Configuration of the UltraLIF scene (Miñoza 2026, the science page's smallest experiment).
public struct UltraLIFConfig: Sendable, Equatable {
    public var hidden = [64]
    /// Time steps per digit (the standardised pixels are the input current at every step).
    public var timeSteps = 1
    /// UltraLIF leak factor τ per step.
    public var tau: Float = 0.9
    public var threshold: Float = 1
    /// Initial (or fixed) smoothing ε.
    public var eps: Float = 1
    /// The LIF arm's membrane time constant in steps (`SpikingMLP`; 1 = V ← I, the page's
    /// baseline at T = 1).
    public var lifTauSteps: Float = 1
    /// Slope α of the LIF arm's sigmoid surrogate.
    public var surrogateAlpha: Float = 4
    public var batch = 128
    /// Initial weights N(0, gain² / fan_in), the same for both arms.
    public var gain: Float = 1
    /// Test digits shown in the hidden-activity heatmaps.
    public var shownDigits = 24
    public init() {}
}

/// UltraLIF against a surrogate-gradient LIF on the standardised 8x8 digits: two networks of
/// the same shape and initial weights see the same mini-batches (one step = one Adam update of
/// each). The LIF arm is `SpikingMLP` (Heaviside forward, sigmoid pseudo-derivative backward);
/// the UltraLIF arm is `UltraLIFNetwork` (the same smooth function forward and backward, ε
/// learned or fixed by the rule). Each row reports both arms' test accuracy and loss, ε, how
/// binary the hidden outputs are, and how well each arm's gradient matches the finite
/// difference of its own forward pass along a fixed random direction.
public struct UltraLIFSimulation: Simulation {
    public let config: UltraLIFConfig
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let rules: [any UltraLIFTraining]
    public let ruleNames: [String]
    public private(set) var activeRule: Int
    public private(set) var lif: SpikingMLP
    public private(set) var ultra: UltraLIFNetwork
    let surrogate: SigmoidSurrogate
    let task: SupervisedTask
    var optimizer = MLPOptimizer.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    var lifMoments: MLPOptimizer.State
    var ultraMoments: MLPOptimizer.State
    /// Adam moments of log ε (one per hidden layer) and their update count.
    var epsMoments: (m: [Float], v: [Float], steps: Int)
    var orderRNG: RNG
    var order: [Int]
    var position = 0
    var lossSum = (lif: 0.0, ultra: 0.0)
    var seen = 0
    /// Fixed unit direction in the first layer's weights for the finite-difference check.
    let direction: [Float]
    /// Layer-1 outputs of the first shown test digits at t = 0 (digits x hidden), per arm.
    var shownUltra: [Float] = []
    var shownLIF: [Float] = []

    public init(config: UltraLIFConfig, rules: [any UltraLIFTraining], names: [String], start: Int, seed: UInt64,
                task: SupervisedTask = Tasks.digits().standardized()) {
        precondition(!rules.isEmpty && rules.count == names.count)
        self.config = config
        self.rules = rules
        ruleNames = names
        activeRule = min(max(0, start), rules.count - 1)
        self.task = task
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        lif = SpikingMLP(sizes: [task.inputs] + config.hidden + [task.classes], steps: config.timeSteps, tau: config.lifTauSteps,
                         threshold: config.threshold, gain: config.gain, rng: &initRNG)
        ultra = UltraLIFNetwork(net: lif.net, steps: config.timeSteps, tau: config.tau, threshold: config.threshold, eps: config.eps)
        surrogate = SigmoidSurrogate(RuleParameterValues(SigmoidSurrogate.parameters, given: [SigmoidSurrogate.alpha.key: Double(config.surrogateAlpha)]))
        let count = lif.net.layout.paramCount
        lifMoments = MLPOptimizer.State(count: count)
        ultraMoments = MLPOptimizer.State(count: count)
        let zeros = [Float](repeating: 0, count: ultra.logEps.count)
        epsMoments = (zeros, zeros, 0)
        var probeRNG = root.stream("probe")
        // Nonzero on the first layer's weights only: the gradient that must pass a spike.
        let first = lif.net.layout.wOffset[0]..<(lif.net.layout.wOffset[0] + lif.net.layout.weightCount(0))
        var d = (0..<count).map { first.contains($0) ? probeRNG.normal() : 0 }
        let norm = d.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for i in d.indices { d[i] /= max(norm, 1e-12) }
        direction = d
        orderRNG = root.stream("order")
        order = Array(0..<task.train.count)
    }

    public static let metrics = [
        MetricSpec("test_acc_ultra", "UltraLIF arm: test digits classified right"),
        MetricSpec("test_acc_lif", "surrogate-gradient LIF arm: test digits classified right"),
        MetricSpec("loss_ultra", unit: "nats", "UltraLIF arm: mean training cross-entropy since the last row (NaN before the first)", mayBeUndefined: true),
        MetricSpec("loss_lif", unit: "nats", "LIF arm: mean training cross-entropy since the last row (NaN before the first)", mayBeUndefined: true),
        MetricSpec("eps", "UltraLIF smoothing ε (mean over hidden layers)"),
        MetricSpec("binary_ultra", "UltraLIF hidden outputs on the test digits that are near-binary (s < 0.05 or s > 0.95)"),
        MetricSpec("binary_lif", "LIF hidden outputs that are binary (1 by construction)"),
        MetricSpec("mean_spike_ultra", "UltraLIF mean hidden output s on the test digits"),
        MetricSpec("mean_spike_lif", "LIF hidden spikes per neuron and step on the test digits"),
        MetricSpec("fd_error_ultra", "UltraLIF: |g·d − FD| / max(|g·d|, |FD|), analytic vs central finite-difference slope of the loss along a fixed direction d in the first layer's weights (64 test digits)"),
        MetricSpec("fd_error_lif", "LIF: the same for its surrogate gradient against its Heaviside forward pass (≈ 1: backward does not match forward)"),
    ]
    public static let views = [
        ViewSpec("transfer", "one UltraLIF step from rest: s(I) at the current ε, the Heaviside it tends to as ε → 0, ∂s/∂I, and the LIF's sigmoid surrogate"),
        ViewSpec("hidden_ultra", "UltraLIF first hidden layer on the first test digits (rows) x units (columns), soft output s"),
        ViewSpec("hidden_lif", "LIF first hidden layer on the same digits: spikes 0 / 1"),
    ]
    public static var metricNames: [String] { metrics.map(\.name) }
    public static var viewNames: [String] { views.map(\.name) }
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var stepsPerEpoch: Int { (task.train.count + config.batch - 1) / config.batch }
    public var bigStep: StepUnit { StepUnit(name: "epoch", steps: stepsPerEpoch) }
    public var rule: any UltraLIFTraining { rules[activeRule] }

    /// Mean ε over the hidden layers.
    public var eps: Float {
        let n = ultra.logEps.count
        return n > 0 ? (1...n).reduce(0) { $0 + ultra.eps($1) } / Float(n) : config.eps
    }

    public var ruleEquation: String {
        rule.equation + "; UltraLIF V' = LSE_ε(V + log τ, I), s = σ((V' − θ)/ε), V ← V'(1 − s), τ = \(config.tau), θ = \(config.threshold), "
            + "ε = \(eps); LIF V = H(1 − S), S = 1[H ≥ θ], ∂S/∂H ≈ α σ'(α(H − θ)), α = \(config.surrogateAlpha); T = \(config.timeSteps)"
    }

    public mutating func advance(_ steps: Int) {
        let d = task.inputs
        for _ in 0..<max(0, steps) {
            var x = [Float](), labels = [Int]()
            x.reserveCapacity(config.batch * d)
            for _ in 0..<config.batch {
                if position == 0 { orderRNG.shuffle(&order) }
                let i = order[position]
                position = (position + 1) % order.count
                x.append(contentsOf: task.train.x.storage[(i * d)..<((i + 1) * d)])
                labels.append(task.train.labels[i])
            }
            let a = lif.lossAndGradient(x, labels: labels, surrogate: surrogate)
            optimizer.apply(&lif.net, grad: a.gradient, scale: 1, eta: rule.eta, state: &lifMoments)
            let u = ultra.lossAndGradient(x, labels: labels)
            optimizer.apply(&ultra.net, grad: u.gradient, scale: 1, eta: rule.eta, state: &ultraMoments)
            if rule.learnsEpsilon { stepEpsilon(u.epsGradient) }
            lossSum.lif += Double(a.loss)
            lossSum.ultra += Double(u.loss)
            seen += 1
            step += 1
        }
    }

    /// Adam (β = 0.9, 0.999) on log ε, clamped to log of the ε bounds.
    mutating func stepEpsilon(_ g: [Float]) {
        guard !g.isEmpty else { return }
        epsMoments.steps += 1
        let t = Float(epsMoments.steps), c1 = 1 / (1 - powf(0.9, t)), c2 = 1 / (1 - powf(0.999, t))
        let lo = logf(UltraLIFNetwork.epsRange.lowerBound), hi = logf(UltraLIFNetwork.epsRange.upperBound)
        for l in g.indices {
            epsMoments.m[l] = 0.9 * epsMoments.m[l] + 0.1 * g[l]
            epsMoments.v[l] = 0.999 * epsMoments.v[l] + 0.001 * g[l] * g[l]
            let next = ultra.logEps[l] - rule.eta * epsMoments.m[l] * c1 / ((epsMoments.v[l] * c2).squareRoot() + 1e-8)
            ultra.logEps[l] = min(hi, max(lo, next))
        }
    }

    mutating func resetEpsilonMoments() {
        let zeros = [Float](repeating: 0, count: ultra.logEps.count)
        epsMoments = (zeros, zeros, 0)
    }

    /// Relative mismatch between the analytic slope g·d and the central difference of the loss.
    static func fdError(slope: Float, plus: Float, minus: Float, h: Float) -> Double {
        let fd = Double(plus - minus) / Double(2 * h), g = Double(slope)
        let scale = max(abs(g), abs(fd), 1e-12)
        return abs(g - fd) / scale
    }

    func shifted(_ params: [Float], by h: Float) -> [Float] {
        var p = params
        for i in direction.indices { p[i] += h * direction[i] }
        return p
    }

    /// The two arms' finite-difference errors on the first 64 test digits.
    func finiteDifferenceErrors() -> (ultra: Double, lif: Double) {
        let B = min(64, task.test.count), d = task.inputs, h: Float = 0.01
        let x = Array(task.test.x.storage[0..<(B * d)]), labels = Array(task.test.labels[0..<B])
        let classes = task.classes
        func loss(_ logits: [Float]) -> Float { SpikingMLP.crossEntropy(logits: logits, labels: labels, classes: classes).loss }
        let u = ultra.lossAndGradient(x, labels: labels)
        var up = ultra, down = ultra
        up.net.params = shifted(ultra.net.params, by: h)
        down.net.params = shifted(ultra.net.params, by: -h)
        let uSlope = zip(u.gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
        let uErr = Self.fdError(slope: uSlope, plus: loss(up.forward(x, batch: B).logits), minus: loss(down.forward(x, batch: B).logits), h: h)
        let a = lif.lossAndGradient(x, labels: labels, surrogate: surrogate)
        var lp = lif, lm = lif
        lp.net.params = shifted(lif.net.params, by: h)
        lm.net.params = shifted(lif.net.params, by: -h)
        let aSlope = zip(a.gradient, direction).reduce(0) { $0 + $1.0 * $1.1 }
        let aErr = Self.fdError(slope: aSlope, plus: loss(lp.forward(x, batch: B, surrogate: surrogate).logits),
                                minus: loss(lm.forward(x, batch: B, surrogate: surrogate).logits), h: h)
        return (uErr, aErr)
    }

    public mutating func measure() -> [Double] {
        let lossU = seen > 0 ? lossSum.ultra / Double(seen) : .nan, lossL = seen > 0 ? lossSum.lif / Double(seen) : .nan
        lossSum = (0, 0)
        seen = 0
        let B = task.test.count, classes = task.classes
        let tu = ultra.forward(task.test.x.storage, batch: B)
        let tl = lif.forward(task.test.x.storage, batch: B, surrogate: surrogate)
        let accU = Double(zip(UltraLIFNetwork.predictions(tu, classes: classes), task.test.labels).filter { $0 == $1 }.count) / Double(max(1, B))
        let accL = Double(zip(SpikingMLP.predictions(tl, classes: classes), task.test.labels).filter { $0 == $1 }.count) / Double(max(1, B))
        var near = 0, total = 0, sumU = 0.0, sumL = 0.0, totalL = 0, binaryL = 0
        for l in 1..<ultra.layers {
            for s in tu.s[l] {
                if s < 0.05 || s > 0.95 { near += 1 }
                sumU += Double(s)
                total += 1
            }
            for s in tl.s[l] {
                if s == 0 || s == 1 { binaryL += 1 }
                sumL += Double(s)
                totalL += 1
            }
        }
        let shown = min(config.shownDigits, B), n = config.hidden.first ?? 0
        if ultra.layers > 1 {
            shownUltra = Array(tu.s[1][0..<(shown * n)])
            shownLIF = Array(tl.s[1][0..<(shown * n)])
        }
        let fd = finiteDifferenceErrors()
        return [accU, accL, lossU, lossL, Double(eps),
                total > 0 ? Double(near) / Double(total) : .nan, totalL > 0 ? Double(binaryL) / Double(totalL) : .nan,
                total > 0 ? sumU / Double(total) : .nan, totalL > 0 ? sumL / Double(totalL) : .nan, fd.ultra, fd.lif]
    }

    /// Fresh Adam moments for both arms and ε; weights and ε stay.
    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index) else { return }
        activeRule = index
        lifMoments.reset()
        ultraMoments.reset()
        resetEpsilonMoments()
    }

    public var controls: [Control] {
        [Control(name: "eps", value: Double(eps), range: 0.1...20, step: 0.1)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let error = controlError(name, value) { return error }
        ultra.setEps(Float(value))
        resetEpsilonMoments()
        return nil
    }

    /// s of one UltraLIF step from rest (V = 0) for input I.
    func transferPoint(_ input: Float) -> UltraLIFStep {
        UltraLIFStep(a: logf(config.tau), b: input, eps: ultra.logEps.isEmpty ? config.eps : ultra.eps(1), threshold: config.threshold)
    }

    public func views() -> [String: PanelView] {
        let grid = (0...80).map { Float(-1) + Float($0) * 0.05 }
        let e = ultra.logEps.isEmpty ? config.eps : ultra.eps(1)
        let s = grid.map { transferPoint($0).spike }
        let heaviside = grid.map { $0 >= config.threshold ? Float(1) : 0 }
        let slope = grid.map { i -> Float in
            let u = transferPoint(i)
            return u.spike * (1 - u.spike) / e * (1 - u.p)
        }
        let pseudo = grid.map { surrogate.derivative($0 - config.threshold) }
        let transfer = TracesView(names: ["UltraLIF s(I)", "Heaviside (ε → 0)", "∂s/∂I UltraLIF", "LIF surrogate ∂S/∂V"],
                                  series: [s, heaviside, slope, pseudo], unit: "", xs: [grid, grid, grid, grid], xLabel: "I")
        let n = config.hidden.first ?? 0, rows = n > 0 ? shownUltra.count / n : 0
        return [
            "transfer": .traces(transfer),
            "hidden_ultra": .heatmap(HeatmapView(rows: rows, cols: n, values: shownUltra, scale: .fixed(0, 1))),
            "hidden_lif": .heatmap(HeatmapView(rows: rows, cols: n, values: shownLIF, scale: .fixed(0, 1))),
        ]
    }

    public func probe() -> [Factor] {
        let u = transferPoint(config.threshold)
        return [Factor("ε", Double(eps)), Factor("s at I = θ (from rest)", Double(u.spike)),
                Factor("V' at I = θ", Double(u.vPrime)), Factor("leak share p", Double(u.p))]
    }
}
