import Foundation
import Testing
import SynCore
@testable import SynModels

/// The surrogate-gradient LIF network: its forward pass by hand, and BPTT against finite
/// differences of the smooth relaxation whose exact derivative the surrogate is.
@Suite struct SpikingLearningSurrogateTests {
    static func sigmoid(alpha: Double = 4) -> SigmoidSurrogate {
        SigmoidSurrogate(RuleParameterValues(SigmoidSurrogate.parameters, given: ["alpha": alpha]))
    }

    /// 1-1-1 network, W1 = 3, W2 = 1, biases 0, x = 1, T = 3, τ = 2, V_th = 1: the hidden
    /// neuron's H = 1.5 every step (spike, reset to 0), the read-out U = 0.5, 0.75, 0.875, so
    /// the logit is their mean 0.70833.
    @Test func forwardPassMatchesTheHandComputedTrace() {
        var rng = RNG(seed: 1)
        var net = SpikingMLP(sizes: [1, 1, 1], steps: 3, tau: 2, threshold: 1, gain: 1, rng: &rng)
        let lay = net.net.layout
        net.net.params[lay.wOffset[0]] = 3
        net.net.params[lay.bOffset[0]] = 0
        net.net.params[lay.wOffset[1]] = 1
        net.net.params[lay.bOffset[1]] = 0
        let tape = net.forward([1], batch: 1, surrogate: Self.sigmoid())
        #expect(tape.h[1] == [1.5, 1.5, 1.5])
        #expect(tape.s[1] == [1, 1, 1])
        #expect(tape.h[2] == [0.5, 0.75, 0.875])
        #expect(abs(tape.logits[0] - 0.708333) < 1e-5)
    }

    /// The hidden spikes of the Heaviside forward are 0 or 1.
    @Test func heavisideForwardSpikesAreBinary() {
        var rng = RNG(seed: 2)
        let net = SpikingMLP(sizes: [8, 16, 3], steps: 4, tau: 2, gain: 3, rng: &rng)
        let x = (0..<(5 * 8)).map { _ in rng.uniform() }
        let tape = net.forward(x, batch: 5, surrogate: Self.sigmoid())
        #expect(tape.s[1].allSatisfy { $0 == 0 || $0 == 1 })
        #expect(tape.s[1].contains(1))
    }

    /// With the smooth spike σ(α x) in the forward pass, BPTT (reset kept in the graph) equals
    /// the central finite difference of the loss for every parameter of a 3-4-3-2 network.
    @Test func bpttGradientMatchesFiniteDifferencesOfTheSmoothNetwork() {
        var rng = RNG(seed: 5)
        var net = SpikingMLP(sizes: [3, 4, 3, 2], steps: 3, tau: 2, threshold: 1, gain: 2.5, rng: &rng)
        net.smoothForward = true
        let rule = Self.sigmoid(alpha: 2)
        let x: [Float] = [0.9, 0.1, 0.6, 0.3, 0.8, 0.5]
        let labels = [1, 0]
        let analytic = net.lossAndGradient(x, labels: labels, surrogate: rule).gradient
        let h: Float = 1e-2
        var worst: Float = 0
        for k in 0..<net.net.layout.paramCount {
            var plus = net, minus = net
            plus.net.params[k] += h
            minus.net.params[k] -= h
            let lp = plus.lossAndGradient(x, labels: labels, surrogate: rule).loss
            let lm = minus.lossAndGradient(x, labels: labels, surrogate: rule).loss
            let numeric = (lp - lm) / (2 * h)
            worst = max(worst, abs(numeric - analytic[k]) / max(1e-3, abs(numeric) + abs(analytic[k])))
        }
        #expect(worst < 0.02, "largest relative gradient error \(worst)")
        #expect(analytic.contains { abs($0) > 1e-3 })
    }

    /// Detaching the reset drops the −H ∂S/∂H term: the gradient then differs from the exact one.
    @Test func detachedResetChangesTheGradient() {
        var rng = RNG(seed: 5)
        var net = SpikingMLP(sizes: [3, 4, 2], steps: 3, tau: 2, gain: 2.5, rng: &rng)
        net.smoothForward = true
        let x: [Float] = [0.9, 0.1, 0.6]
        let exact = net.lossAndGradient(x, labels: [1], surrogate: Self.sigmoid()).gradient
        net.detachReset = true
        let detached = net.lossAndGradient(x, labels: [1], surrogate: Self.sigmoid()).gradient
        #expect(zip(exact, detached).contains { abs($0 - $1) > 1e-5 })
    }

    /// Each surrogate is the derivative of its smooth spike (central differences away from the
    /// box's corners), and peaks at threshold.
    @Test func surrogateIsTheDerivativeOfItsSmoothSpike() {
        let sigmoid = Self.sigmoid()
        let box = BoxSurrogate(RuleParameterValues(BoxSurrogate.parameters, given: ["width": 1]))
        let rules: [any SurrogateGradient] = [sigmoid, box]
        for rule in rules {
            for x: Float in [-1.3, -0.2, 0, 0.3, 0.9] {
                let h: Float = 1e-3
                let numeric = (rule.smoothSpike(x + h) - rule.smoothSpike(x - h)) / (2 * h)
                #expect(abs(numeric - rule.derivative(x)) < 5e-3, "\(rule.name) at \(x)")
            }
        }
        #expect(sigmoid.derivative(0) == 1)  // α/4 with α = 4
        #expect(box.derivative(0.49) == 1 && box.derivative(0.51) == 0)
    }
}
