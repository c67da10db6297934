import Testing
import SynCore
@testable import SynModels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Each rate rule type changes the parameters as its doc-comment equation says, on a tiny
/// input: a 3-4-2 tanh/softmax MLP (gradients recomputed here in Double, independently of
/// `MLPCore`), a 2-3-2 equilibrium-propagation network, a 10-unit reservoir, 4 Hopfield units.
@Suite struct RateRuleEquationTests {
    static let x: [Float] = [0.5, -0.3, 0.8]
    static let t: [Float] = [0, 1]

    static func net(_ seed: UInt64 = 4) -> MLP {
        var rng = RNG(seed: seed)
        var n = MLP(sizes: [3, 4, 2], hidden: .tanh, output: .softmax, rng: &rng)
        for k in 0..<n.layout.paramCount where n.params[k] == 0 { n.params[k] = 0.05 * Float(k % 5) - 0.1 }
        return n
    }

    /// Forward pass in Double: hidden activity a1 and output a2 (softmax), with optional noise
    /// added to the net inputs (hidden first, then output).
    static func forward(_ n: MLP, params p: [Float]? = nil, nodeNoise: [Double] = []) -> (a1: [Double], a2: [Double]) {
        let lay = n.layout, p = p ?? n.params
        var a1 = [Double](repeating: 0, count: 4), z2 = [Double](repeating: 0, count: 2)
        for i in 0..<4 {
            var z = Double(p[lay.bOffset[0] + i])
            for j in 0..<3 { z += Double(p[lay.wOffset[0] + i * 3 + j]) * Double(x[j]) }
            a1[i] = tanh(z + (nodeNoise.isEmpty ? 0 : nodeNoise[i]))
        }
        for k in 0..<2 {
            var z = Double(p[lay.bOffset[1] + k])
            for i in 0..<4 { z += Double(p[lay.wOffset[1] + k * 4 + i]) * a1[i] }
            z2[k] = z + (nodeNoise.isEmpty ? 0 : nodeNoise[4 + k])
        }
        let m = z2.max() ?? 0
        let e = z2.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return (a1, e.map { $0 / s })
    }

    static func loss(_ a2: [Double]) -> Double { -log(a2[1]) }

    /// g = ∂L/∂θ-shaped estimate δ_{l+1} (D a_l)ᵀ with δ_1 sent back by `mode` (`sign` = D on
    /// the hidden units), or for given output/hidden errors.
    static func feedbackEstimate(_ n: MLP, mode: ErrorFeedback, sign: [Double] = [1, 1, 1, 1]) -> [Double] {
        let lay = n.layout
        let (a1, a2) = forward(n)
        let d2 = [a2[0] - Double(t[0]), a2[1] - Double(t[1])]
        var d1 = [Double](repeating: 0, count: 4)
        for i in 0..<4 {
            var s = 0.0
            for k in 0..<2 {
                switch mode {
                case .backprop: s += Double(n.params[lay.wOffset[1] + k * 4 + i]) * d2[k]
                case .feedbackAlignment: s += Double(n.feedback[lay.wOffset[1] + k * 4 + i]) * d2[k]
                case .directFeedbackAlignment: s += Double(n.feedback[n.dfaOffset[0] + i * 2 + k]) * d2[k]
                }
            }
            d1[i] = s * (1 - a1[i] * a1[i])
        }
        return outer(n, d1: d1, d2: d2, a1: zip(a1, sign).map { $0 * $1 })
    }

    static func outer(_ n: MLP, d1: [Double], d2: [Double], a1: [Double]) -> [Double] {
        let lay = n.layout
        var g = [Double](repeating: 0, count: lay.paramCount)
        for i in 0..<4 {
            for j in 0..<3 { g[lay.wOffset[0] + i * 3 + j] = d1[i] * Double(x[j]) }
            g[lay.bOffset[0] + i] = d1[i]
        }
        for k in 0..<2 {
            for i in 0..<4 { g[lay.wOffset[1] + k * 4 + i] = d2[k] * a1[i] }
            g[lay.bOffset[1] + k] = d2[k]
        }
        return g
    }

    /// One training sample through a learner of `rule` (random stream `RNG(seed: 1)`).
    static func step(_ n: inout MLP, _ learner: inout MLPLearner) {
        x.withUnsafeBufferPointer { xb in t.withUnsafeBufferPointer { tb in
            _ = learner.train(&n, x: xb.baseAddress!, t: tb.baseAddress!)
        } }
    }

    static func expectClose(_ got: [Float], _ want: [Double], _ tol: Double = 2e-6, _ what: String) {
        var worst = 0.0
        for i in want.indices { worst = max(worst, abs(Double(got[i]) - want[i])) }
        #expect(worst < tol, "\(what): max deviation \(worst)")
    }

    /// Backprop, FA, DFA and curl: θ ← θ − η δ_{l+1} (D a_l)ᵀ with their own δ.
    @Test(arguments: [Backprop.name, FeedbackAlignment.name, DirectFeedbackAlignment.name, CurlDescent.name])
    func feedbackRulesStepAsTheirEquation(_ name: String) throws {
        let rule = try MLPRules.registry.descriptor(named: name).make(RuleParameterValues(MLPRules.registry.descriptor(named: name).parameters, given: ["eta": 0.1]))
        var n = Self.net()
        var sign: [Double] = [1, 1, 1, 1]
        if name == CurlDescent.name {
            n.presynapticSign[n.layout.aOffset[1] + 2] = -1
            sign[2] = -1
        }
        let g = Self.feedbackEstimate(n, mode: try #require(rule.feedback), sign: sign)
        let want = (0..<g.count).map { Double(n.params[$0]) - 0.1 * g[$0] }
        var learner = MLPLearner(rule: rule, layout: n.layout, rng: RNG(seed: 1))
        Self.step(&n, &learner)
        Self.expectClose(n.params, want, 2e-6, name)
    }

    /// Exponentiated gradient: w ← w exp(−η sign(w) g) on weights, b ← b − η g on biases.
    @Test func exponentiatedGradientStepsAsItsEquation() {
        var n = Self.net()
        let g = Self.feedbackEstimate(n, mode: .backprop)
        let lay = n.layout
        var want = (0..<g.count).map { Double(n.params[$0]) - 0.1 * g[$0] }
        for l in 0..<lay.layers {
            for k in lay.wOffset[l]..<(lay.wOffset[l] + lay.weightCount(l)) {
                let w = Double(n.params[k])
                want[k] = w * exp(-0.1 * (w > 0 ? 1 : -1) * g[k])
            }
        }
        var learner = MLPLearner(rule: ExponentiatedGradient(eta: 0.1), layout: lay, rng: RNG(seed: 1))
        Self.step(&n, &learner)
        Self.expectClose(n.params, want, 2e-6, "exp_grad")
    }

    /// Momentum: v1 = g(θ0), θ1 = θ0 − η v1; v2 = μ v1 + g(θ1), θ2 = θ1 − η v2.
    @Test func momentumStepsAsItsEquation() {
        var n = Self.net()
        let g0 = Self.feedbackEstimate(n, mode: .backprop)
        var learner = MLPLearner(rule: Momentum(eta: 0.1, mu: 0.8), layout: n.layout, rng: RNG(seed: 1))
        Self.step(&n, &learner)
        let theta1 = n.params
        let g1 = Self.feedbackEstimate(n, mode: .backprop)
        Self.step(&n, &learner)
        let want = (0..<g0.count).map { Double(theta1[$0]) - 0.1 * (0.8 * g0[$0] + g1[$0]) }
        Self.expectClose(n.params, want, 2e-6, "momentum")
    }

    /// Adam's first update: m̂ = g, v̂ = g², so θ1 = θ0 − η g / (|g| + ε).
    @Test func adamFirstStepIsTheSignedLearningRate() {
        var n = Self.net()
        let g = Self.feedbackEstimate(n, mode: .backprop)
        let want = (0..<g.count).map { Double(n.params[$0]) - 0.01 * g[$0] / (abs(g[$0]) + 1e-3) }
        var learner = MLPLearner(rule: Adam(eta: 0.01, epsilon: 1e-3), layout: n.layout, rng: RNG(seed: 1))
        Self.step(&n, &learner)
        Self.expectClose(n.params, want, 1e-5, "adam")
    }

    /// Weight noise: θ ← θ − η g, then w ← w + σ_w ξ (ξ the learner's stream, weights in layer
    /// order; biases get no noise).
    @Test func weightNoiseAddsItsNoiseAfterTheUpdate() {
        var n = Self.net()
        let g = Self.feedbackEstimate(n, mode: .backprop)
        var want = (0..<g.count).map { Double(n.params[$0]) - 0.1 * g[$0] }
        var rng = RNG(seed: 1)
        let lay = n.layout
        for l in 0..<lay.layers {
            for k in lay.wOffset[l]..<(lay.wOffset[l] + lay.weightCount(l)) { want[k] += 0.05 * Double(rng.normal()) }
        }
        var learner = MLPLearner(rule: WeightNoise(eta: 0.1, sigma: 0.05), layout: lay, rng: RNG(seed: 1))
        Self.step(&n, &learner)
        Self.expectClose(n.params, want, 2e-6, "weight_noise")
    }

    /// Node perturbation: ξ = σ N(0, 1) on the net inputs (hidden, then output) from the
    /// learner's stream; g_W_l = (ΔL / σ²) ξ_{l+1} a_lᵀ with a_l of the perturbed pass.
    @Test func nodePerturbationStepsAsItsEquation() {
        var n = Self.net()
        let sigma = 0.1
        var rng = RNG(seed: 1)
        let xi = (0..<6).map { _ in Double(Float(sigma) * rng.normal()) }
        let clean = Self.loss(Self.forward(n).a2)
        let noisy = Self.forward(n, nodeNoise: xi)
        let k = (Self.loss(noisy.a2) - clean) / (sigma * sigma)
        let g = Self.outer(n, d1: Array(xi[0..<4]).map { k * $0 }, d2: Array(xi[4..<6]).map { k * $0 }, a1: noisy.a1)
        let want = (0..<g.count).map { Double(n.params[$0]) - 0.05 * g[$0] }
        var learner = MLPLearner(rule: NodePerturbation(eta: 0.05, sigma: Float(sigma)), layout: n.layout, rng: RNG(seed: 1))
        Self.step(&n, &learner)
        Self.expectClose(n.params, want, 1e-4, "node_perturbation")
    }

    /// Weight perturbation: ξ = σ N(0, 1) on every parameter; g = (ΔL / σ²) ξ.
    @Test func weightPerturbationStepsAsItsEquation() {
        var n = Self.net()
        let sigma = 0.1
        var rng = RNG(seed: 1)
        let xi = (0..<n.layout.paramCount).map { _ in Double(Float(sigma) * rng.normal()) }
        let shifted = (0..<xi.count).map { n.params[$0] + Float(xi[$0]) } + [0]
        let k = (Self.loss(Self.forward(n, params: shifted).a2) - Self.loss(Self.forward(n).a2)) / (sigma * sigma)
        let want = (0..<xi.count).map { Double(n.params[$0]) - 0.05 * k * xi[$0] }
        var learner = MLPLearner(rule: WeightPerturbation(eta: 0.05, sigma: Float(sigma)), layout: n.layout, rng: RNG(seed: 1))
        Self.step(&n, &learner)
        Self.expectClose(n.params, want, 1e-4, "weight_perturbation")
    }

    /// Alternating EqProp: sample k is nudged with (−1)^k β and
    /// ΔW_l = (η / β_k)(ρρᵀ|β_k − ρρᵀ|free); the second update differs from a +β one.
    @Test func alternatingEqPropFlipsTheNudgeEverySample() {
        var r = RNG(seed: 3)
        let task = Tasks.xor(count: 40, noise: 0.1, rng: &r)
        let steps = 30, beta: Float = 0.5, eta: Float = 0.1
        let config = EqPropSimulation.Config(sizes: [2, 3, 2], rules: [EqPropAlternating(beta: beta, eta: eta)], start: 0,
                                             relaxSteps: steps, bias: 0.2)
        var sim = EqPropSimulation(config: config, task: task, seed: 1)
        var initRNG = RNG(seed: 1).stream("init")
        var net = EqPropNetwork(sizes: [2, 3, 2], bias: 0.2, rng: &initRNG)
        var order = SampleStream(count: task.train.count, rng: RNG(seed: 1).stream("order"))
        func update(_ n: inout EqPropNetwork, sample i: Int, beta b: Float) {
            let x = task.train.x.row(i), y = task.train.y.row(i)
            x.withUnsafeBufferPointer { xb in y.withUnsafeBufferPointer { yb in
                n.reset(input: xb.baseAddress!)
                for _ in 0..<steps { n.sweep(beta: 0, target: yb.baseAddress!) }
                let free = n.state
                for _ in 0..<steps { n.sweep(beta: b, target: yb.baseAddress!) }
                var g = [Float](repeating: 0, count: n.layout.paramCount)
                n.contrast(nudged: n.state, free: free, beta: b, into: &g)
                for k in 0..<g.count { n.params[k] += eta * g[k] }
            } }
        }
        let first = order.next(), second = order.next()
        update(&net, sample: first, beta: beta)
        var plus = net
        update(&net, sample: second, beta: -beta)
        update(&plus, sample: second, beta: beta)
        sim.advance(4 * steps)
        #expect(sim.net.params == net.params)
        #expect(sim.net.params != plus.params)
    }

    /// Intrinsic plasticity: b_i ← b_i − η (r_i − r_0).
    @Test func intrinsicPlasticityMovesThresholdsAsItsEquation() {
        var rng = RNG(seed: 2)
        var res = EIReservoir(size: 10, excitatoryFraction: 0.8, radius: 2, inputScale: 0.5, bias: 0.1, leak: 0.3, rng: &rng)
        res.step(input: 0.4)
        var rule = ReservoirIntrinsicPlasticity(eta: 0.05, targetRate: 0.2)
        rule.bind(res)
        let before = res.bias, rates = res.rates
        let probe = rule.adapt(&res, probe: 3)
        for i in 0..<10 { #expect(abs(Double(res.bias[i]) - (Double(before[i]) - 0.05 * (Double(rates[i]) - 0.2))) < 1e-7) }
        #expect(abs(probe.delta - (res.bias[3] - before[3])) < 1e-7)
    }

    /// Flow control: running means x̄ ← x̄ + (x − x̄)/τ, h̄ likewise, then
    /// a_i ← a_i (1 + η (R_t² ⟨dx²⟩ − dh_i²)).
    @Test func flowControlScalesGainsAsItsEquation() {
        var rng = RNG(seed: 2)
        var res = EIReservoir(size: 10, excitatoryFraction: 0.8, radius: 2, inputScale: 0.5, bias: 0.1, leak: 0.3, rng: &rng)
        var rule = FlowControl(eta: 0.2, targetRadius: 0.8, tauAverage: 4)
        rule.bind(res)
        let x0 = res.activation.map(Double.init), h0 = res.recurrent.map(Double.init)
        res.step(input: 0.4)
        let x1 = res.activation.map(Double.init), h1 = res.recurrent.map(Double.init)
        let a0 = res.gains.map(Double.init)
        _ = rule.adapt(&res, probe: 0)
        var hbar = [Double](repeating: 0, count: 10)
        var dx2 = 0.0
        for i in 0..<10 {
            let xbar: Double = x0[i] + (x1[i] - x0[i]) / 4
            hbar[i] = h0[i] + (h1[i] - h0[i]) / 4
            let d: Double = x1[i] - xbar
            dx2 += d * d / 10
        }
        for i in 0..<10 {
            let dh = h1[i] - hbar[i]
            let want = min(max(a0[i] * (1 + 0.2 * (0.64 * dx2 - dh * dh)), 0.01), 10)
            #expect(abs(Double(res.gains[i]) - want) < 1e-5, "a_\(i): \(res.gains[i]) vs \(want)")
        }
    }

    /// Hebbian storage: W_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, W_ii = 0.
    @Test func hopfieldHebbStoresTheOuterProducts() {
        let p = Matrix(rows: 2, cols: 4, storage: [1, -1, 1, 1, 1, 1, -1, 1])
        var net = Hopfield(n: 4, units: .binary)
        HopfieldHebb().store(p, count: 2, into: &net)
        for i in 0..<4 {
            for j in 0..<4 {
                let want: Float = i == j ? 0 : (p[0, i] * p[0, j] + p[1, i] * p[1, j]) / 4
                #expect(net.weights[i * 4 + j] == want)
            }
        }
    }
}
