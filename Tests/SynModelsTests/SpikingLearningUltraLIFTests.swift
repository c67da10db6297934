import Foundation
import Testing
import SynCore
@testable import SynModels

/// UltraLIF: the max-plus step against its closed forms, its ε → 0 limit, and exact BPTT
/// (weights and log ε) against finite differences of its own forward pass.
@Suite struct SpikingLearningUltraLIFTests {
    /// LSE_ε(a, a) = a + ε log 2, and the soft-max weight of each branch is 1/2; at V' = θ the
    /// spike is σ(0) = 1/2.
    @Test func stepMatchesItsClosedFormOnATie() {
        let u = UltraLIFStep(a: 0.3, b: 0.3, eps: 0.5, threshold: 0.3 + 0.5 * Float(log(2.0)))
        #expect(abs(u.vPrime - (0.3 + 0.5 * Float(log(2.0)))) < 1e-6)
        #expect(abs(u.p - 0.5) < 1e-6)
        #expect(abs(u.spike - 0.5) < 1e-6)
        #expect(abs(u.reset - u.vPrime * 0.5) < 1e-6)
    }

    /// As ε → 0 the step becomes max(V + log τ, I) with a Heaviside spike, for inputs away from
    /// the threshold; at ε = 2 the same inputs give far-from-binary outputs.
    @Test func smallEpsilonApproachesTheHardMaxPlusNeuron() {
        let a = Float(log(0.9))
        for input: Float in [-1, 0, 0.5, 1.5, 2, 3] {
            let hard = UltraLIFStep(a: a, b: input, eps: 0.01, threshold: 1)
            #expect(abs(hard.vPrime - max(a, input)) <= 0.01 * Float(log(2.0)) + 1e-6)
            #expect(abs(hard.spike - (max(a, input) > 1 ? 1 : 0)) < 1e-6)
            let soft = UltraLIFStep(a: a, b: input, eps: 2, threshold: 1)
            #expect(soft.spike > 0.05 && soft.spike < 0.95)
        }
    }

    /// BPTT through T = 3 UltraLIF steps (soft reset kept) equals the central finite difference
    /// of the loss for every weight, bias and log ε of a 3-4-3-2 network.
    @Test func bpttMatchesFiniteDifferencesForWeightsAndEpsilon() {
        var rng = RNG(seed: 7)
        let mlp = MLP(sizes: [3, 4, 3, 2], hidden: .relu, output: .softmax, gain: 2, rng: &rng)
        var net = UltraLIFNetwork(net: mlp, steps: 3, tau: 0.9, threshold: 1, eps: 0.7)
        net.logEps[1] = Float(log(1.3))
        let x: [Float] = [0.9, -0.4, 1.6, 0.3, 1.2, -0.5]
        let labels = [1, 0]
        let r = net.lossAndGradient(x, labels: labels)
        let h: Float = 1e-2
        var worst: Float = 0
        func relative(_ numeric: Float, _ analytic: Float) -> Float { abs(numeric - analytic) / max(1e-3, abs(numeric) + abs(analytic)) }
        for k in 0..<net.net.layout.paramCount {
            var plus = net, minus = net
            plus.net.params[k] += h
            minus.net.params[k] -= h
            let numeric = (plus.lossAndGradient(x, labels: labels).loss - minus.lossAndGradient(x, labels: labels).loss) / (2 * h)
            worst = max(worst, relative(numeric, r.gradient[k]))
        }
        #expect(worst < 0.02, "worst relative weight-gradient error \(worst)")
        for l in net.logEps.indices {
            var plus = net, minus = net
            plus.logEps[l] += h
            minus.logEps[l] -= h
            let numeric = (plus.lossAndGradient(x, labels: labels).loss - minus.lossAndGradient(x, labels: labels).loss) / (2 * h)
            #expect(relative(numeric, r.epsGradient[l]) < 0.02, "layer \(l + 1): FD \(numeric), BPTT \(r.epsGradient[l])")
            #expect(abs(r.epsGradient[l]) > 1e-5)
        }
    }

    /// At a bound ε stops: its gradient is reported as 0, and setEps clamps to [0.1, 20].
    @Test func epsilonIsClampedToItsBounds() {
        var rng = RNG(seed: 3)
        let mlp = MLP(sizes: [2, 3, 2], hidden: .relu, output: .softmax, gain: 1, rng: &rng)
        var net = UltraLIFNetwork(net: mlp, steps: 1, tau: 0.9, threshold: 1, eps: 50)
        #expect(abs(net.eps(1) - 20) < 1e-4)
        net.setEps(0.01)
        #expect(abs(net.eps(1) - 0.1) < 1e-6)
        net.logEps[0] = Float(log(0.05))
        #expect(net.lossAndGradient([1, -1], labels: [0]).epsGradient[0] == 0)
    }

    /// In the scene the UltraLIF arm's gradient matches its forward pass (fd_error_ultra small)
    /// while the LIF's surrogate does not match its Heaviside forward (fd_error_lif large).
    @Test func sceneReportsExactAgainstSurrogateGradients() {
        var config = UltraLIFConfig()
        config.batch = 32
        let rule = LearnedEpsilon(RuleParameterValues(LearnedEpsilon.parameters))
        var sim = UltraLIFSimulation(config: config, rules: [rule], names: ["learned_eps"], start: 0, seed: 1)
        sim.advance(3)
        let row = Dictionary(uniqueKeysWithValues: zip(sim.metricNames, sim.measure()))
        #expect((row["fd_error_ultra"] ?? 1) < 0.01)
        #expect((row["fd_error_lif"] ?? 0) > 0.3)
        #expect(row["binary_lif"] == 1)
        #expect((row["binary_ultra"] ?? 1) < 0.5)
    }
}
