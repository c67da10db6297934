import Testing
#if canImport(Glibc)
import Glibc
#endif
import SynCore
@testable import SynModels

/// Dale-split learning (page 20): the backprop gradient, and the two rules' sign guarantees.
struct DaleMLPTests {
    func sim(_ rule: String, seed: UInt64 = 1, hidden: [Int] = [16]) -> DaleMLPSimulation {
        var c = DaleMLPSimulation.Config()
        c.hidden = hidden
        c.rules = DaleRules.registry.rules.filter { $0.name == rule }.map { ConfiguredRule(default: $0) }
        let (train, test) = Digits.split()
        return DaleMLPSimulation(config: c, seed: seed, data: (train.slice(0..<200), test.slice(0..<50)))
    }

    /// ∂L/∂W_E = G for W = W_E − W_I: the backprop gradient matches central differences of the
    /// loss in W_E (both layers), in double-checked float precision.
    @Test func gradientMatchesFiniteDifferences() {
        var s = sim("exp_grad", hidden: [8])
        s.advance(3)  // away from the symmetric start
        let batch = Array(0..<40)
        let g = s.gradients(on: batch)
        for (l, k) in [(0, 20), (0, 300), (1, 5), (1, 40)] {
            let h: Float = 1e-3
            var a = s, b = s
            a.nudgeExcitatory(l, k, by: h)
            b.nudgeExcitatory(l, k, by: -h)
            let numeric = (a.loss(on: batch) - b.loss(on: batch)) / Double(2 * h)
            #expect(abs(numeric - Double(g[l].w[k])) < 2e-3 + 0.02 * abs(numeric), "layer \(l) entry \(k): \(numeric) vs \(g[l].w[k])")
        }
    }

    /// EG: W_E ← W_E exp(−ηG), W_I ← W_I exp(ηG) exactly; PGD: max(0, W ∓ ηG) exactly.
    @Test func rulesApplyTheirEquations() {
        let eg = DaleExponentiatedGradient(RuleParameterValues(DaleExponentiatedGradient.parameters))
        var e: [Float] = [0.5, 0.2], i: [Float] = [0.1, 0.3]
        eg.update(excitatory: &e, inhibitory: &i, gradient: [0.1, -0.4])
        #expect(abs(e[0] - 0.5 * expf(-0.2)) < 1e-7 && abs(i[1] - 0.3 * expf(-0.8)) < 1e-7)
        let pgd = DaleProjectedGradient(RuleParameterValues(DaleProjectedGradient.parameters))
        var pe: [Float] = [0.05, 0.2], pi: [Float] = [0.1, 0.01]
        pgd.update(excitatory: &pe, inhibitory: &pi, gradient: [1.0, 0.5])  // η = 0.2
        #expect(pe == [0, 0.1] && abs(pi[0] - 0.3) < 1e-7 && abs(pi[1] - 0.11) < 1e-7)
    }

    /// EG learns with no exact zeros and a widening, roughly symmetric log-magnitude spread;
    /// projected GD learns too but piles entries at exactly 0.
    @Test func egKeepsMagnitudesPositiveWhileProjectedGDClampsToZero() {
        var eg = sim("exp_grad"), pgd = sim("projected_gd")
        let before = eg.logExcitatoryStats().sd
        eg.advance(150)
        pgd.advance(150)
        let m = Dictionary(uniqueKeysWithValues: zip(eg.metricNames, eg.measure()))
        let p = Dictionary(uniqueKeysWithValues: zip(pgd.metricNames, pgd.measure()))
        #expect(m["zero_fraction"] == 0)
        #expect(eg.excitatory.allSatisfy { $0.allSatisfy { $0 > 0 } } && eg.inhibitory.allSatisfy { $0.allSatisfy { $0 > 0 } })
        #expect((m["sd_log_we"] ?? 0) > 2 * before, "sd \(m["sd_log_we"] ?? 0) from \(before)")
        #expect((p["zero_fraction"] ?? 0) > 0.05, "\(p)")
        #expect((m["train_acc"] ?? 0) > 0.8 && (p["train_acc"] ?? 0) > 0.8, "\(m) \(p)")
    }
}
