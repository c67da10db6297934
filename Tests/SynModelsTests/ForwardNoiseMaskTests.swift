import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore
@testable import SynModels

/// The noise-mask policy (scene `noise-mask`): digamma, Beta sampling and score, the REINFORCE
/// advantages and the masked input, against analytic values.
@Suite struct ForwardNoiseMaskTests {
    /// ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(x + 1) = ψ(x) + 1/x.
    @Test func digammaMatchesKnownValues() {
        let gamma = 0.577_215_664_901_532_9
        #expect(abs(BetaDistribution.digamma(1) + gamma) < 1e-9)
        #expect(abs(BetaDistribution.digamma(0.5) + gamma + 2 * log(2.0)) < 1e-9)
        #expect(abs(BetaDistribution.digamma(7.3) - BetaDistribution.digamma(6.3) - 1 / 6.3) < 1e-9)
    }

    /// Beta(2, 3): mean 2/5, variance αβ / ((α+β)²(α+β+1)) = 1/25; 20000 draws land within
    /// 5 standard errors (0.0071 for the mean).
    @Test func betaSamplesHaveTheRightMoments() {
        var rng = RNG(seed: 11)
        let n = 20000
        let xs = (0..<n).map { _ in BetaDistribution.sample(2, 3, rng: &rng) }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        #expect(abs(mean - 0.4) < 0.0071)
        #expect(abs(variance - 0.04) < 0.004)
        #expect(xs.allSatisfy { $0 > 0 && $0 < 1 })
    }

    /// The score is the derivative of ln Beta(m; α, β) = (α−1) ln m + (β−1) ln(1−m) − ln B(α, β):
    /// central differences in α and β agree to 1e-6.
    @Test func betaScoreIsTheLogDensityDerivative() {
        func logDensity(_ m: Double, _ a: Double, _ b: Double) -> Double {
            (a - 1) * log(m) + (b - 1) * log(1 - m) - (lgamma(a) + lgamma(b) - lgamma(a + b))
        }
        let (m, a, b, h) = (0.3, 1.7, 2.4, 1e-5)
        let (sa, sb) = BetaDistribution.score(m, a, b)
        #expect(abs(sa - (logDensity(m, a + h, b) - logDensity(m, a - h, b)) / (2 * h)) < 1e-6)
        #expect(abs(sb - (logDensity(m, a, b + h) - logDensity(m, a, b - h)) / (2 * h)) < 1e-6)
    }

    /// A = R − b with the baseline, A = R without.
    @Test func advantagesAreTheirEquations() {
        #expect(MaskReinforceBaseline().advantage(reward: 2.5, baseline: 2) == 0.5)
        #expect(MaskReinforce().advantage(reward: 2.5, baseline: 2) == 2.5)
    }

    /// x̃ = (1 − s m) x + s m ξ: s = 0.5, m = 1, x = 0.2, ξ = 0.8 gives 0.5; m = 0 keeps x.
    @Test func noisedInputMixesPixelAndNoise() {
        let x = Matrix(rows: 1, cols: 2, storage: [0.2, 0.2])
        let out = NoiseMaskSimulation.noised(x, mask: { [1, 0][$0] }, xi: [0.8, 0.8], strength: 0.5)
        #expect(abs(out.storage[0] - 0.5) < 1e-6)
        #expect(out.storage[1] == 0.2)
    }

    /// One REINFORCE step with a constant positive advantage raises the log-probability of the
    /// sampled masks (ascent), and the per-sample variance vanishes for identical samples with
    /// A = 0.
    @Test func reinforceStepAscendsTheLogProbabilityOfRewardedMasks() {
        var rng = RNG(seed: 5)
        var policy = NoiseMaskPolicy(pixels: 4, sd: 0.1, eta: 0.01, rng: &rng)
        let x = Matrix(rows: 2, cols: 4, storage: [1, 0, 0.5, 0.2, 0, 1, 0.3, 0.9])
        policy.sample(x, rng: &rng)
        let masks = policy.masks
        func logProb(_ p: NoiseMaskPolicy) -> Double {
            let u = p.preactivations(x)
            var s = 0.0
            for i in 0..<2 {
                for j in 0..<4 {
                    let a = 1 + Double(NoiseMaskPolicy.softplus(u[i * 8 + j])), b = 1 + Double(NoiseMaskPolicy.softplus(u[i * 8 + 4 + j]))
                    let m = Double(masks[i * 4 + j])
                    s += (a - 1) * log(m) + (b - 1) * log(1 - m) - (lgamma(a) + lgamma(b) - lgamma(a + b))
                }
            }
            return s
        }
        let before = logProb(policy)
        let v = policy.reinforce(x, advantage: [1, 1], alternative: [0, 0])
        #expect(logProb(policy) > before)
        #expect(v.second == 0)
        #expect(v.first > 0)
    }
}
