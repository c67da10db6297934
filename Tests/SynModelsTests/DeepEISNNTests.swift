import Foundation
import Testing
import SynCore
@testable import SynModels

/// The deep E-I spiking network (science page 26): the soft-reset LIF node by hand, the E-I Init
/// formulas on a hand case, the E-I circuit's gradient against finite differences, the clamp.
@Suite struct DeepEISNNTests {
    static let sigmoid = SigmoidSurrogate(RuleParameterValues(SigmoidSurrogate.parameters, given: ["alpha": 4]))

    /// τ = 2, V_th = 1, I = 0.6 each step: H = 0.6, 0.9, 1.05 (spike, V = 0.05), 0.625 — the
    /// input enters undecayed and the reset subtracts the threshold.
    @Test func softResetLIFMatchesTheHandComputedSequence() {
        let lif = SoftResetLIF(tau: 2, threshold: 1)
        let r = lif.forward([0.6, 0.6, 0.6, 0.6], steps: 4, width: 1)
        let expected: [Float] = [0.6, 0.9, 1.05, 0.625]
        for (h, e) in zip(r.h, expected) { #expect(abs(h - e) < 1e-6) }
        #expect(r.s == [0, 0, 1, 0])
        // A strong input keeps its excess after a spike (soft reset): 2.5, 0.75 + 2.5 = 3.25.
        let strong = lif.forward([2.5, 2.5], steps: 2, width: 1)
        #expect(strong.h == [2.5, 3.25])
        #expect(strong.s == [1, 1])
    }

    /// Two samples, two neurons, T = 2: rows are t-major (row t·B + b), each sample its own V.
    @Test func softResetLIFKeepsSamplesApart() {
        let lif = SoftResetLIF(tau: 2, threshold: 1)
        // t = 0: sample 0 = (1.2, 0), sample 1 = (0.4, 0.8); t = 1: all 0.5.
        let r = lif.forward([1.2, 0, 0.4, 0.8, 0.5, 0.5, 0.5, 0.5], steps: 2, width: 2)
        let expected: [Float] = [1.2, 0, 0.4, 0.8, 0.6, 0.5, 0.7, 0.9]
        for (h, e) in zip(r.h, expected) { #expect(abs(h - e) < 1e-6) }
        #expect(r.s == [1, 0, 0, 0, 0, 0, 0, 0])
    }

    /// With the reset detached, dL/dI[t] = (1 − 1/τ)^(3−t) S'(H[3]) for dL/dS = (0, 0, 0, 1).
    @Test func softResetLIFBackwardIsTheDecayedSurrogate() {
        let lif = SoftResetLIF(tau: 2, threshold: 1)
        let f = lif.forward([0.6, 0.6, 0.6, 0.6], steps: 4, width: 1)
        let g = lif.backward([0, 0, 0, 1], h: f.h, steps: 4, width: 1, surrogate: Self.sigmoid)
        let s = 1 / (1 + expf(-4 * (0.625 - 1)))
        let d3 = 4 * s * (1 - s)
        let expected = [d3 / 8, d3 / 4, d3 / 2, d3]
        for (a, e) in zip(g, expected) { #expect(abs(a - e) < 1e-6) }
    }

    /// x = [[1, 0], [0, 1]]: E[x] = 0.5, E[x²] = 0.5, Var[x] = 0.5 (unbiased, per feature), d = 2:
    /// s = √(0.5 / (2 · 1)) = 0.5 and g_I = √1 / (√2 · 0.5) = √2.
    @Test func eiInitScalesFollowThePageFormulas() {
        let r = EICircuitLayer.initScales([1, 0, 0, 1], rows: 2, inputs: 2)
        #expect(abs(r.scale - 0.5) < 1e-6)
        #expect(abs(r.gainI - Float(2).squareRoot()) < 1e-6)
    }

    /// E-I Init draws W_EE, W_IE from Exponential(s) (mean s) and sets W_EI = 1/n_I, g_E = 1, b_E = 0.
    @Test func eiInitSetsTheCircuit() {
        var rng = RNG(seed: 3)
        let d = 64, rows = 256
        let x = (0..<(rows * d)).map { _ in rng.uniform() }
        var layer = EICircuitLayer(inputs: d, excitatory: 128, inhibitory: 32, readout: false)
        layer.eiInit(x, rows: rows, rng: &rng)
        let s = EICircuitLayer.initScales(x, rows: rows, inputs: d)
        let w = layer.params[0..<layer.ei]
        let mean = w.reduce(0, +) / Float(w.count)
        #expect(w.allSatisfy { $0 >= 0 })
        #expect(abs(mean / s.scale - 1) < 0.05)
        #expect(layer.params[layer.ei..<layer.gainI].allSatisfy { $0 == 1 / 32 })
        #expect(layer.params[layer.gainI..<layer.gainE].allSatisfy { $0 == s.gainI })
        #expect(layer.params[layer.gainE..<layer.bias].allSatisfy { $0 == 1 })
        #expect(layer.params[layer.bias...].allSatisfy { $0 == 0 })
    }

    /// A small random circuit with loss L = Σ c ⊙ output.
    static func smallCircuit(readout: Bool, seed: UInt64) -> (EICircuitLayer, [Float], [Float]) {
        var rng = RNG(seed: seed)
        let d = 5, rows = 3
        var layer = EICircuitLayer(inputs: d, excitatory: 4, inhibitory: 2, readout: readout)
        for k in 0..<layer.bias { layer.params[k] = rng.uniform(0.2, 1) }
        for k in layer.bias..<layer.params.count { layer.params[k] = rng.uniform(-0.5, 0.5) }
        let x = (0..<(rows * d)).map { _ in rng.uniform(0.1, 1) }
        let c = (0..<(rows * 4)).map { _ in rng.uniform(-1, 1) }
        return (layer, x, c)
    }

    static func loss(_ layer: EICircuitLayer, _ x: [Float], _ c: [Float], eiProp: Bool) -> Double {
        let out = layer.forward(x, rows: 3, eiProp: eiProp).out
        return zip(out, c).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    }

    /// Backward through the division (E-I Prop off: the raw gradient) against central finite
    /// differences, for every parameter and input, hidden and read-out layers.
    @Test(arguments: [false, true])
    func eiCircuitGradientMatchesFiniteDifferences(readout: Bool) {
        let (layer, x, c) = Self.smallCircuit(readout: readout, seed: readout ? 7 : 5)
        let f = layer.forward(x, rows: 3, eiProp: false)
        let g = layer.backward(c, cache: f.cache, eiProp: false)
        let eps: Float = 1e-3
        func check(_ analytic: Float, _ plus: Double, _ minus: Double) {
            let numeric = (plus - minus) / Double(2 * eps)
            #expect(abs(Double(analytic) - numeric) <= 2e-3 * max(1, abs(numeric)), "analytic \(analytic) numeric \(numeric)")
        }
        for k in layer.params.indices {
            var p = layer, m = layer
            p.params[k] += eps
            m.params[k] -= eps
            check(g.gParams[k], Self.loss(p, x, c, eiProp: false), Self.loss(m, x, c, eiProp: false))
        }
        for k in x.indices {
            var xp = x, xm = x
            xp[k] += eps
            xm[k] -= eps
            check(g.gX[k], Self.loss(layer, xp, c, eiProp: false), Self.loss(layer, xm, c, eiProp: false))
        }
        if readout {
            #expect(g.gParams[layer.gainI...].allSatisfy { $0 == 0 })
        }
    }

    /// E-I Prop divides W_EI's gradient by the fan-in d and leaves the others (no zeros in I_sh here).
    @Test func eiPropScalesOnlyTheInhibitoryGradient() {
        let (layer, x, c) = Self.smallCircuit(readout: false, seed: 11)
        let off = layer.backward(c, cache: layer.forward(x, rows: 3, eiProp: false).cache, eiProp: false).gParams
        let on = layer.backward(c, cache: layer.forward(x, rows: 3, eiProp: true).cache, eiProp: true).gParams
        for k in on.indices {
            let expected = (layer.ei..<layer.gainI).contains(k) ? off[k] / 5 : off[k]
            #expect(abs(on[k] - expected) <= 1e-6 * max(1, abs(expected)))
        }
    }

    /// E-I Prop's stabilisation: a zero I_sh takes the row's smallest non-zero value; an
    /// all-silent input row gives I_int = b_E with no gradient through the division.
    @Test func eiPropReplacesZerosInTheShuntingCurrent() {
        var layer = EICircuitLayer(inputs: 2, excitatory: 2, inhibitory: 1, readout: false)
        // W_EE = 1, W_IE = (1, 1), W_EI = (0, 1): unit 0 gets no shunting (I_sh = 0).
        for k in 0..<layer.ei { layer.params[k] = 1 }
        layer.params[layer.ei] = 0
        layer.params[layer.ei + 1] = 1
        layer.params[layer.bias] = 0.25
        layer.params[layer.bias + 1] = -0.5
        let r = layer.forward([1, 1, 0, 0], rows: 2, eiProp: true)
        // Row 0: I_IE = 2, I_sh = (0 → 2, 2), I_bal = (2 − 0, 2 − 2) = (2, 0): I_int = (1.25, −0.5).
        #expect(r.cache.iSh[0] == 2)
        #expect(r.out[0] == 1.25 && r.out[1] == -0.5)
        // Row 1: silent input: I_int = b_E.
        #expect(r.out[2] == 0.25 && r.out[3] == -0.5)
        #expect(r.cache.invSh[2] == 0 && r.cache.invSh[3] == 0)
    }

    /// The clamp keeps W_EE, W_IE, W_EI, g_I, g_E ≥ 0 and leaves b_E free; training keeps it so.
    @Test func clampKeepsTheCircuitNonNegative() {
        var layer = EICircuitLayer(inputs: 3, excitatory: 4, inhibitory: 1, readout: false)
        for k in layer.params.indices { layer.params[k] = k % 2 == 0 ? -1 : 0.5 }
        layer.clamp()
        #expect(layer.params[..<layer.bias].allSatisfy { $0 >= 0 })
        #expect(layer.params[layer.bias...].contains(-1))

        var rng = RNG(seed: 4)
        let x = (0..<(16 * 64)).map { _ in rng.uniform() }
        var net = DeepSpikingNetwork(arm: .eiCircuit, sizes: [64, 32, 32, 10], steps: 4, lif: SoftResetLIF(), eiInit: true, eiProp: true,
                                     initBatch: x, rng: &rng)
        let adam = AdamW(RuleParameterValues(AdamW.parameters, given: ["eta": 0.05, "weight_decay": 0]))
        let labels = (0..<16).map { $0 % 10 }
        for _ in 0..<5 {
            let pass = net.forward(x, batch: 16, training: true)
            net.apply(adam, net.gradients(pass, labels: labels, surrogate: Self.sigmoid).groups)
        }
        for c in net.circuits { #expect(c.params[..<c.bias].allSatisfy { $0 >= 0 }) }
    }

    /// In training, batch norm standardises every feature over the T·B rows of the batch.
    @Test func batchNormStandardisesTheTrainingBatch() {
        var rng = RNG(seed: 9)
        let x = (0..<(32 * 64)).map { _ in rng.uniform() }
        var net = DeepSpikingNetwork(arm: .batchNorm, sizes: [64, 16, 10], steps: 2, lif: SoftResetLIF(), eiInit: true, eiProp: true,
                                     initBatch: [], rng: &rng)
        let pass = net.forward(x, batch: 32, training: true)
        let xhat = pass.normalised[0]
        for j in 0..<16 {
            let col = (0..<64).map { Double(xhat[$0 * 16 + j]) }
            let mean = col.reduce(0, +) / 64, variance = col.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 64
            #expect(abs(mean) < 1e-4)
            #expect(abs(variance - 1) < 1e-2)
        }
    }

    /// Batch norm's backward pass (training statistics) against central finite differences of
    /// L = Σ c ⊙ BN(z), for the input block and γ, β.
    @Test func batchNormBackwardMatchesFiniteDifferences() {
        var rng = RNG(seed: 12)
        var net = DeepSpikingNetwork(arm: .batchNorm, sizes: [4, 3, 2], steps: 1, lif: SoftResetLIF(), eiInit: true, eiProp: true,
                                     initBatch: [], rng: &rng)
        for k in net.norm.indices { net.norm[k] = rng.uniform(0.5, 1.5) }
        let R = 5, z = (0..<(R * 3)).map { _ in rng.uniform(-1, 1) }, c = (0..<(R * 3)).map { _ in rng.uniform(-1, 1) }
        func loss(_ n: DeepSpikingNetwork, _ z: [Float]) -> Double {
            var n = n, p = DeepSpikingNetwork.Pass()
            return zip(n.batchNorm(z, layer: 0, rows: R, training: true, pass: &p), c).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        }
        var scratch = net, p = DeepSpikingNetwork.Pass()
        _ = scratch.batchNorm(z, layer: 0, rows: R, training: true, pass: &p)
        var gNorm = [Float](repeating: 0, count: net.norm.count)
        let gz = net.batchNormBackward(c, layer: 0, rows: R, pass: p, into: &gNorm)
        let eps: Float = 1e-3
        for k in z.indices {
            var zp = z, zm = z
            zp[k] += eps
            zm[k] -= eps
            let numeric = (loss(net, zp) - loss(net, zm)) / Double(2 * eps)
            #expect(abs(Double(gz[k]) - numeric) <= 5e-3 * max(1, abs(numeric)), "z[\(k)]: \(gz[k]) vs \(numeric)")
        }
        for k in net.norm.indices {
            var np = net, nm = net
            np.norm[k] += eps
            nm.norm[k] -= eps
            let numeric = (loss(np, z) - loss(nm, z)) / Double(2 * eps)
            #expect(abs(Double(gNorm[k]) - numeric) <= 5e-3 * max(1, abs(numeric)), "norm[\(k)]: \(gNorm[k]) vs \(numeric)")
        }
    }

    /// At initialisation (depth 8), the plain arm is silent beyond its first hidden layer while
    /// E-I Init keeps every E-I layer firing; the depth control rebuilds with the rates of the
    /// missing layers undefined (NaN).
    @Test func plainDeepNetworkIsSilentWhereTheEICircuitFires() {
        var sim = DeepEISimulation(config: DeepEIConfig(), rules: [Self.sigmoid], names: ["sigmoid"], start: 0, seed: 1)
        var row = sim.measure()
        func rate(_ k: Int, _ arm: DeepEIArm) -> Double {
            row[DeepEISimulation.metricNames.firstIndex(of: "rate_layer_\(k)" + arm.suffix) ?? 0]
        }
        for k in 2...7 { #expect(rate(k, .plain) == 0) }
        for k in 1...7 { #expect(rate(k, .eiCircuit) > 0.01) }
        #expect(rate(8, .eiCircuit).isNaN)
        #expect(sim.setControl("depth", to: 3) == nil)
        row = sim.measure()
        #expect(!rate(2, .eiCircuit).isNaN && rate(3, .eiCircuit).isNaN)
    }
}
