import Testing
import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    /// The simulation's chunked rounds: warm-up rounds leave θ alone, then each update takes
    /// three passes; the sharpness it tracks equals a direct power iteration at the same θ.
    @Test func edgeOfStabilityTracksTheSharpnessOfItsOwnParameters() {
        let config = EdgeOfStabilitySimulation.Config(sizes: [64, 8, 10], samples: 40, chunk: 15, warmup: 30, hvpStep: 1e-2,
                                                      rules: [GradientDescent(eta: 0.05)])
        var sim = EdgeOfStabilitySimulation(config: config, seed: 1)
        #expect(sim.measure()[1].isNaN)  // no estimate before the first round
        let theta0 = sim.net.params
        sim.advance(30 * 2 * 3)  // 30 warm-up rounds of two 3-chunk passes
        #expect(sim.net.params == theta0 && sim.updates == 0)
        // Reference: 200 power iterations at θ0 on the whole 40 samples.
        let data = Digits.split().train.slice(0..<40)
        let y = Matrix(rows: 40, cols: 10) { i, k in data.labels[i] == k ? 1 : 0 }
        var batch = BatchMLP(sim.net, capacity: 40)
        let top = HessianProbe.topEigen(start: [Float](repeating: 1, count: theta0.count), iterations: 200) { v in
            HessianProbe.hessianVector(at: theta0, v, step: 1e-2) { th in
                var g = [Float](repeating: 0, count: th.count)
                batch.lossAndGradient(th, x: data.x, t: y, into: &g)
                return g
            }
        }
        #expect(abs(sim.sharpness - top.value) < 0.02 * top.value, "\(sim.sharpness) vs \(top.value)")
        let loss0 = Double(batch.loss(theta0, x: data.x, t: y))
        sim.advance(3 * 3 * 5)  // five updates
        let m = sim.measure()
        #expect(sim.updates == 5 && m[7] == 5)
        #expect(m[0] < loss0 && m[0].isFinite)
        #expect(abs(m[2] - 40) < 1e-4)
    }

    /// The mirror fraction counts test pairs whose swap was trained on; a small network learns
    /// its training pairs; the Fourier readouts are in range.
    @Test func grokkingSplitsMirrorsAndLearns() {
        var adam = AdamW(RuleParameterValues(AdamW.parameters))
        adam.eta = 0.01
        adam.weightDecay = 0.1
        var sim = GrokkingSimulation(config: .init(p: 7, width: 32, trainFraction: 0.6, rules: [adam]), seed: 2)
        let m0 = sim.measure()
        #expect(m0[2] == sim.mirrorFraction && m0[2] > 0 && m0[2] < 1)
        #expect(m0[5] > 0 && m0[5] < 1)  // ipr of random rows: spread over K = 3 frequencies
        sim.advance(300)
        let m = sim.measure()
        #expect(m[0] == 1, "train_acc \(m[0])")
        #expect(m[3] < m0[3])
        #expect((0...1).contains(m[6]) && (0...1).contains(m[7]))
    }

    @Test func ringAndAllToAllLaplaciansHaveTheirKnownSpectra() {
        let rule = GradientDescent(eta: 0.01)
        var sim = CoupledLearnersSimulation(config: .init(learners: 6, maxLearners: 8, coupling: 0.5, topology: .ring, rules: [rule]),
                                            seed: 1)
        guard case .spectrum(let ring)? = sim.views()["laplacian"] else { Issue.record("no laplacian view"); return }
        let expected = (0..<6).map { 2 - 2 * cos(2 * Double.pi * Double($0) / 6) }.sorted()
        for (a, b) in zip(ring.eigenvalues.sorted(), expected) { #expect(abs(a - b) < 1e-9) }
        // All-to-all: spread theory = ((n − 1)/n) d σ² / (μ (2 − μ η)), μ = λ + k n.
        _ = sim.setControl("topology", to: 0)
        let t = sim.theory
        let mu = 1 + 0.5 * 6.0
        #expect(abs(t.spread - 5.0 / 6 * 5 / (mu * (2 - mu * 0.01))) < 1e-6)
        #expect(abs(t.centroid - 5 / (6 * (2 - 0.01))) < 1e-6)  // η is a Float
    }

    /// The measured long-run errors of the coupled learners match the exact theory.
    @Test func coupledLearnersSitOnTheTheoryLines() {
        var sim = CoupledLearnersSimulation(config: .init(learners: 10, coupling: 0.1, rules: [GradientDescent(eta: 0.01)]), seed: 3)
        sim.advance(40000)
        let m = sim.measure()
        #expect(abs(m[1] / m[4] - 1) < 0.1, "spread \(m[1]) vs theory \(m[4])")
        #expect(abs(m[2] / m[5] - 1) < 0.25, "learner_err \(m[2]) vs theory \(m[5])")
        // Uncoupled, each learner keeps the single-learner error d σ² / (λ (2 − λ η)).
        _ = sim.setControl("coupling", to: 0)
        sim.advance(40000)
        let u = sim.measure()
        #expect(abs(u[5] - 5 / (2 - 0.01)) < 1e-6)
        #expect(abs(u[2] / u[5] - 1) < 0.15, "uncoupled learner_err \(u[2]) vs \(u[5])")
    }
}
