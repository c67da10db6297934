import Foundation
import Testing
import SynCore
@testable import SynModels

/// Symmetric STDP, synaptic scaling and intrinsic plasticity of `stdp_neuron`, each against its
/// equation on a hand-sized example.
@Suite struct SpikingHomeostasisTests {
    static func spikes(_ ids: [Int32]) -> SpikeBuffer {
        var b = SpikeBuffer(capacity: max(1, ids.count))
        for i in ids { b.append(i) }
        return b
    }

    /// Symmetric window: Δw = A+ exp(−|Δt|/τ) for both orders (τ = τ+ = 20 ms when pre leads,
    /// τ− = 30 ms when post leads), A+ = a_plus w_max = 0.01.
    @Test func symmetricSTDPPotentiatesForBothOrders() {
        let dt = 1e-4
        let rule = SymmetricSTDP(RuleParameterValues(SymmetricSTDP.parameters, given: ["tau_pre_ms": 20, "tau_post_ms": 30, "a_plus": 0.01]))
        for k in [1, 50, 400] {
            for preFirst in [true, false] {
                var proj = Projection(pre: 1, post: 1, rowStart: [0, 1], post: [0], weight: [0.5], wMin: 0, wMax: 1)
                var stdp = STDP(rule: rule, projection: proj, dt: dt)
                if preFirst {
                    stdp.onPre(Self.spikes([0]), step: 0, projection: &proj)
                    stdp.onPost(Self.spikes([0]), step: k, projection: &proj)
                } else {
                    stdp.onPost(Self.spikes([0]), step: 0, projection: &proj)
                    stdp.onPre(Self.spikes([0]), step: k, projection: &proj)
                }
                let tau = preFirst ? 0.020 : 0.030
                let expected = 0.5 + 0.01 * exp(-Double(k) * dt / tau)
                #expect(abs(Double(proj.weight[0]) - expected) < 1e-7, "lag \(k), pre first \(preFirst): \(proj.weight[0]) vs \(expected)")
            }
        }
    }

    /// Synaptic scaling: at the end of each period T every incoming weight of post neuron j is
    /// multiplied by 1 + η (ρ0 − r_j)/ρ0, with r_j = Σ_spikes (1/τ_r) exp(−(t − t_s)/τ_r), and
    /// clipped to [w_min, w_max]; nothing changes inside a period.
    @Test func synapticScalingMultipliesWeightsAsItsEquation() {
        let dt = 1e-3
        var rule = SynapticScaling(RuleParameterValues(SynapticScaling.parameters, given: [
            "target_rate_hz": 20, "scaling_eta": 0.1, "scaling_period_ms": 10, "scaling_tau_ms": 100]))
        rule.bind(postCount: 2, dt: dt)
        // Two pre neurons onto two post neurons, all-to-all; weights near and at the bound.
        var proj = Projection(pre: 2, post: 2, rowStart: [0, 2, 4], post: [0, 1, 0, 1], weight: [0.4, 0.3, 0.6, 0.99], wMin: 0, wMax: 1)
        var theta: [Float] = [0, 0]
        let w0 = proj.weight
        for step in 0..<10 {
            let s: [Int32] = step == 2 || step == 5 ? [0] : []
            rule.step(postSpikes: Self.spikes(s), step: step, projection: &proj, theta: &theta, dt: dt)
            if step < 9 { #expect(proj.weight == w0, "changed inside the period at step \(step)") }
        }
        // Post 0 fired at steps 2 and 5; post 1 never (r = 0: factor 1 + η).
        let r0 = 10 * (exp(-0.007 / 0.1) + exp(-0.004 / 0.1))
        let f0 = 1 + 0.1 * (20 - r0) / 20, f1 = 1.1
        #expect(abs(rule.rateHz(0, at: 9) - r0) < 1e-4)
        #expect(abs(Double(proj.weight[0]) - 0.4 * f0) < 1e-6)
        #expect(abs(Double(proj.weight[2]) - 0.6 * f0) < 1e-6)
        #expect(abs(Double(proj.weight[1]) - 0.3 * f1) < 1e-6)
        #expect(proj.weight[3] == 1, "0.99 x 1.1 clips at w_max")
        #expect(theta == [0, 0])
    }

    /// Intrinsic plasticity: θ_i ← clip(θ_i + η (S_i − ρ0 dt)) every step; firing at exactly
    /// ρ0 leaves θ where it was; silence drives θ down to −θ_max.
    @Test func intrinsicPlasticityMovesTheThresholdAsItsEquation() {
        let dt = 1e-3
        var rule = IntrinsicPlasticity(RuleParameterValues(IntrinsicPlasticity.parameters, given: ["target_rate_hz": 10, "ip_eta_mv": 0.5]))
        rule.bind(postCount: 3, dt: dt)
        var proj = Projection(pre: 1, post: 3, rowStart: [0, 3], post: [0, 1, 2], weight: [0.1, 0.1, 0.1], wMin: 0, wMax: 1)
        var theta: [Float] = [0, 0, -49.9]
        for step in 0..<100 {
            // Neuron 0 fires at steps 10 and 60 (20 Hz), neuron 1 once (10 Hz = ρ0), neuron 2 never.
            var s: [Int32] = []
            if step == 10 || step == 60 { s.append(0) }
            if step == 30 { s.append(1) }
            rule.step(postSpikes: Self.spikes(s), step: step, projection: &proj, theta: &theta, dt: dt)
        }
        #expect(abs(theta[0] - (2 * 0.5 - 100 * 0.5 * 0.01)) < 1e-5, "θ0 \(theta[0])")
        #expect(abs(theta[1]) < 1e-5, "θ1 \(theta[1])")
        #expect(theta[2] == -50, "θ2 \(theta[2]) clips at −θ_max")
        #expect(proj.weight == [0.1, 0.1, 0.1], "IP leaves the weights alone")
    }
}
