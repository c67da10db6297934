import Testing
import SynCore
@testable import SynModels

/// The learning-dynamics models: the batched MLP against the per-sample one, the rules against
/// their equations, the sharpness against a case whose Hessian is known.
@Suite struct DynamicsModelTests {
    static func smallData(_ n: Int, _ inputs: Int, _ outputs: Int, seed: UInt64) -> (Matrix, Matrix) {
        var rng = RNG(seed: seed)
        let x = Matrix(rows: n, cols: inputs) { _, _ in rng.normal() }
        let t = Matrix(rows: n, cols: outputs) { i, k in k == i % outputs ? 1 : 0 }
        return (x, t)
    }

    /// The batched gradient equals the mean of `MLPCore`'s per-sample backprop gradients.
    @Test(arguments: [Activation.linear, .softmax])
    func batchGradientIsTheMeanOfPerSampleGradients(_ output: Activation) {
        var rng = RNG(seed: 4)
        var net = MLP(sizes: [5, 7, 6, 3], hidden: .tanh, output: output, rng: &rng)
        for i in 0..<net.layout.paramCount { net.params[i] += 0.1 * rng.normal() }
        let (x, t) = Self.smallData(9, 5, 3, seed: 2)
        var batch = BatchMLP(net, capacity: 9)
        var g = [Float](repeating: 0, count: net.params.count)
        let loss = batch.lossAndGradient(net.params, x: x, t: t, into: &g)
        var ref = [Float](repeating: 0, count: net.params.count)
        var refLoss: Float = 0
        for i in 0..<9 {
            let xi = x.row(i), ti = t.row(i)
            xi.withUnsafeBufferPointer { xb in
                ti.withUnsafeBufferPointer { tb in
                    guard let xp = xb.baseAddress, let tp = tb.baseAddress else { return }
                    ref.withUnsafeMutableBufferPointer { rb in
                        guard let r = rb.baseAddress else { return }
                        net.withCore { c in
                            c.forward(xp)
                            refLoss += c.outputDelta(tp) / 9
                            c.backward(.backprop)
                            c.accumulateGradient(into: r, scale: 1.0 / 9)
                        }
                    }
                }
            }
        }
        #expect(abs(loss - refLoss) < 1e-5)
        for i in 0..<net.layout.paramCount { #expect(abs(g[i] - ref[i]) < 1e-5, "param \(i): \(g[i]) vs \(ref[i])") }
    }

    /// A linear network with one weight layer and squared error has the Hessian
    /// H = (1/n) Σ x xᵀ ⊗ I (per output), so λ_max is the top eigenvalue of the input second
    /// moment (with a 1 appended for the bias): power iteration must find it.
    @Test func sharpnessOfALinearModelIsTheTopEigenvalueOfTheInputMoment() {
        var rng = RNG(seed: 9)
        let net = MLP(sizes: [3, 2], hidden: .tanh, output: .linear, rng: &rng)
        let (x, t) = Self.smallData(12, 3, 2, seed: 5)
        var batch = BatchMLP(net, capacity: 12)
        let top = HessianProbe.topEigen(start: [Float](repeating: 1, count: net.params.count), iterations: 200) { v in
            HessianProbe.hessianVector(at: net.params, v, step: 1e-2) { th in
                var g = [Float](repeating: 0, count: th.count)
                batch.lossAndGradient(th, x: x, t: t, into: &g)
                return g
            }
        }
        // Second moment of (x, 1).
        var m = [Double](repeating: 0, count: 16)
        for i in 0..<12 {
            let z = x.row(i).map(Double.init) + [1]
            for a in 0..<4 { for b in 0..<4 { m[a * 4 + b] += z[a] * z[b] / 12 } }
        }
        let expected = SymmetricEigen.eigenvalues(m, n: 4)[0]
        #expect(abs(top.value - expected) < 1e-3 * expected, "\(top.value) vs \(expected)")
    }

    @Test func gradientDescentAndAdamWFollowTheirEquations() {
        var st = DynamicsRuleState(count: 2)
        var theta: [Float] = [1, -2]
        GradientDescent(eta: 0.5, weightDecay: 0.2).update(&theta, gradient: [0.4, 1], mask: [1, 0], state: &st)
        #expect(theta == [0.9 * 1 - 0.2, -2])
        // First AdamW step: m̂ = g, v̂ = g², so θ ← (1 − η wd) θ − η g / (|g| + ε).
        var adam = AdamW(RuleParameterValues(AdamW.parameters))
        adam.eta = 0.1
        adam.weightDecay = 1
        var st2 = DynamicsRuleState(count: 2)
        var th2: [Float] = [1, 2]
        adam.update(&th2, gradient: [0.5, -4], mask: [1, 1], state: &st2)
        #expect(abs(th2[0] - (0.9 - 0.1)) < 1e-6 && abs(th2[1] - (1.8 + 0.1)) < 1e-6)
        #expect(st2.updates == 1)
    }

    /// Gradient descent on a quadratic of curvature λ is stable only for η < 2/λ: with the
    /// simulation's sharpness estimate on a trained network at a small η, the loss falls.
    @Test func edgeOfStabilityMeasuresAFiniteSharpnessAndLearns() {
        let config = EdgeOfStabilitySimulation.Config(sizes: [64, 16, 10], samples: 60, sharpnessEvery: 5, powerIterations: 10,
                                                      rules: [GradientDescent(eta: 0.05)])
        var sim = EdgeOfStabilitySimulation(config: config, seed: 1)
        let first = sim.measure()
        #expect(first[1].isNaN)  // no estimate before the first step
        sim.advance(11)
        let m = sim.measure()
        #expect(m[1].isFinite && m[1] > 0)
        #expect(m[0] < first[0])
        #expect(abs(m[2] - 40) < 1e-4)
    }
}
