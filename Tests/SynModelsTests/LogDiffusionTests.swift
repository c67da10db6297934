import Testing
#if canImport(Glibc)
import Glibc
#endif
import SynCore
@testable import SynModels

/// The Dale–Langevin sampler (page 20) and SVDD guidance (page 40) against closed forms.
struct LogDiffusionTests {
    let target = LogNormalMixture.daleLangevinTarget

    /// B(t) integrates β(t): B(1) = (β0 + β1) / 2, and central differences of B give β.
    @Test func scheduleIntegratesBeta() {
        let s = LinearBetaSchedule(beta0: 0.1, beta1: 20)
        #expect(abs(s.integral(1) - 10.05) < 1e-12)
        for t in [0.1, 0.5, 0.9] {
            let h = 1e-6
            #expect(abs((s.integral(t + h) - s.integral(t - h)) / (2 * h) - s.beta(t)) < 1e-6)
        }
    }

    /// The score is the derivative of log p (central differences), for the target and a marginal.
    @Test func scoreIsTheDerivativeOfLogDensity() {
        for mix in [target, target.marginal(b: 0.7)] {
            for y in stride(from: -3.0, through: 3.0, by: 0.25) {
                let h = 1e-5
                let numeric = (log(mix.density(y + h)) - log(mix.density(y - h))) / (2 * h)
                #expect(abs(numeric - mix.score(y)) < 1e-5, "y \(y)")
            }
        }
    }

    /// Mixture moments, the CDF at ±∞ and the mode boundary between the two components.
    @Test func mixtureMomentsAndBoundary() {
        let m = target.moments
        #expect(abs(m.mean - 0.5) < 1e-12)  // 0.4 (−1) + 0.6 (1.5)
        #expect(abs(m.variance - (0.4 * (0.09 + 2.25) + 0.6 * (0.16 + 1))) < 1e-12)
        #expect(target.cdf(-20) < 1e-12 && abs(target.cdf(20) - 1) < 1e-12)
        let y = target.modeBoundary
        #expect(y > -1 && y < 1.5)
        // At the boundary the two weighted component densities are equal.
        let a = 0.4 * exp(-0.5 * pow((y + 1) / 0.3, 2)) / 0.3, c = 0.6 * exp(-0.5 * pow((y - 1.5) / 0.4, 2)) / 0.4
        #expect(abs(a - c) / a < 1e-9)
    }

    /// Tweedie: E[y0 | yt] for one Gaussian N(m, s²) is m + s²/(s² + B) (yt + B/2 − m); b = 0 gives yt.
    @Test func posteriorMeanOfOneGaussian() {
        let g = LogNormalMixture(weights: [1], means: [0.3], sds: [0.5])
        #expect(abs(g.posteriorMean(of: 1.2, b: 0) - 1.2) < 1e-12)
        let b = 2.0
        #expect(abs(g.posteriorMean(of: 1.2, b: b) - (0.3 + 0.25 / 2.25 * (1.2 + 1 - 0.3))) < 1e-12)
    }

    /// The α-tilt of a Gaussian N(m, s²) by e^{y/α} is N(m + s²/α, s²).
    @Test func linearTiltShiftsEachComponent() {
        let g = LogNormalMixture(weights: [1], means: [0.3], sds: [0.5])
        let t = g.tiltedLinear(alpha: 0.5)
        #expect(abs(t.means[0] - (0.3 + 0.25 / 0.5)) < 1e-12)
        // Mixture: weights ∝ π_k exp(m_k/α + s_k²/(2α²)).
        let tt = target.tiltedLinear(alpha: 1)
        let w0 = 0.4 * exp(-1 + 0.045), w1 = 0.6 * exp(1.5 + 0.08)
        #expect(abs(tt.weights[1] - w1 / (w0 + w1)) < 1e-12)
    }

    /// KS distance: samples at the exact quantiles are within 1/n; a shifted sample is not.
    @Test func ksDistanceOfQuantiles() {
        let g = LogNormalMixture(weights: [1], means: [0], sds: [1])
        let n = 1000
        var q: [Double] = []
        for i in 0..<n {
            let p = (Double(i) + 0.5) / Double(n)
            var lo = -10.0, hi = 10.0
            for _ in 0..<80 { let mid = (lo + hi) / 2; if g.cdf(mid) < p { lo = mid } else { hi = mid } }
            q.append((lo + hi) / 2)
        }
        #expect(LogNormalMixture.ksDistance(sorted: q, cdf: g.cdf) <= 0.5 / Double(n) + 1e-9)
        #expect(LogNormalMixture.ksDistance(sorted: q.map { $0 + 1 }, cdf: g.cdf) > 0.3)
    }

    func run(_ rule: String, particles: Int = 4000, episodes: Int = 2, steps: Int = 200, seed: UInt64 = 1,
             alpha: Double? = nil) -> [String: Double] {
        guard let d = LogDiffusionSamplers.registry.rules.first(where: { $0.name == rule }) else { return [:] }
        var values = RuleParameterValues(d.parameters)
        if let alpha, let p = d.parameter("alpha") { values = values.setting(p, to: alpha) }
        let config = LogDiffusionSimulation.Config(particles: particles, stepsPerEpisode: steps,
                                                   rules: [ConfiguredRule(d, values)])
        var sim = LogDiffusionSimulation(config: config, seed: seed)
        sim.advance(episodes * steps)
        return Dictionary(uniqueKeysWithValues: zip(sim.metricNames, sim.measure()))
    }

    /// The multiplicative sampler lands on the target (KS small, 60 % in the upper mode) and
    /// never produces a sign violation; the additive one does at a coarse step.
    @Test func multiplicativeSamplerReachesTheTargetWithoutSignViolations() {
        let m = run("multiplicative")
        #expect((m["final_ks"] ?? 1) < 0.04, "\(m)")
        #expect(abs((m["upper_mode_fraction"] ?? 0) - 0.6) < 0.04, "\(m)")
        #expect(m["sign_violations"] == 0)
        let a = run("additive", steps: 50)
        #expect((a["sign_violations"] ?? 0) > 0, "\(a)")
    }

    /// SVDD shifts the cloud towards high reward (log x) and stays positive; stronger guidance
    /// (smaller α) raises the reward further and spends diversity (lower ESS).
    @Test func svddRaisesTheReward() {
        let base = run("multiplicative", particles: 2000, episodes: 1, steps: 100)
        let guided = run("svdd", particles: 2000, episodes: 1, steps: 100, alpha: 0.5)
        let strong = run("svdd", particles: 2000, episodes: 1, steps: 100, alpha: 0.1)
        #expect((guided["mean_reward"] ?? 0) > (base["mean_reward"] ?? 0) + 0.3, "\(guided) vs \(base)")
        #expect((strong["mean_reward"] ?? 0) > (guided["mean_reward"] ?? 0), "\(strong) vs \(guided)")
        #expect(guided["sign_violations"] == 0)
        #expect((strong["ess"] ?? 1) < (guided["ess"] ?? 0), "\(strong) vs \(guided)")
        #expect(base["ess"]?.isNaN == true)
    }

    /// Population SVDD telescopes to the α-tilted target: its KS distance to it is small.
    @Test func smcLandsOnTheTiltedTarget() {
        let m = run("smc", particles: 4000, episodes: 1, steps: 100, alpha: 1)
        #expect((m["ks_tilted"] ?? 1) < 0.06, "\(m)")
        #expect((m["final_ks"] ?? 0) > 0.1, "\(m)")
    }

    /// Chunking does not change the numbers.
    @Test func chunkedRunsAreIdentical() {
        let d = LogDiffusionSamplers.registry.rules
        let config = LogDiffusionSimulation.Config(particles: 300, stepsPerEpisode: 30, rules: d.map { ConfiguredRule(default: $0) }, start: 3)
        var a = LogDiffusionSimulation(config: config, seed: 9), b = a
        a.advance(47); a.advance(23)
        b.advance(70)
        #expect(a.measure().map(\.bitPattern) == b.measure().map(\.bitPattern))
    }
}
