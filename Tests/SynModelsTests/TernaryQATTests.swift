import Testing
import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import SynModels

/// HESTIA's pieces (scene `ternary-qat`): the soft ternary quantiser against its closed form and
/// its limits, the schedule at hand-computed points, the Hessian temperature factors, per-tensor
/// Hutchinson traces on a quadratic, and the transition / dead-zone counters.
@Suite struct TernaryQATTests {
    @Test func softQuantiserEqualsItsClosedForm() {
        for t in [0.15, 0.35, 1.0, 2.0] {
            for i in -30...30 {
                let z = Double(i) / 10
                // Σ_c c softmax_c(−(z − c)²/T) by hand, in Double.
                let e = [-1.0, 0, 1].map { exp(-(z - $0) * (z - $0) / t) }
                let weighted = (e[2] - e[0]) / (e[0] + e[1] + e[2])
                let q = Double(TernaryQuantiser.soft(Float(z), temperature: Float(t)).value)
                #expect(abs(TernaryQuantiser.closedForm(z, temperature: t) - weighted) < 1e-12)
                #expect(abs(q - weighted) < 2e-6, "T = \(t), z = \(z): \(q) vs \(weighted)")
            }
        }
    }

    @Test func softQuantiserBecomesHardRoundingAsTGoesToZero() {
        for i in -40...40 {
            let z = Float(i) / 16 + 0.01   // never exactly on a threshold ±0.5
            let hard = Float(TernaryQuantiser.state(z))
            #expect(hard == max(-1, min(1, z.rounded())))
            // Exponentially close once T ≪ the distance to the nearest threshold (the weight of
            // the runner-up level is about e^{−2 |(|z| − ½)| / T}; e^{−20} at 0.05 from it).
            if abs(abs(z) - 0.5) >= 0.05 { #expect(abs(TernaryQuantiser.soft(z, temperature: 0.005).value - hard) < 1e-5, "z = \(z)") }
            // Below `hardBelow` it is the hard quantiser with the straight-through slope.
            let zero = TernaryQuantiser.soft(z, temperature: 0)
            #expect(zero.value == hard && zero.slope == 1)
        }
        // The error to hard rounding shrinks with T.
        let gaps = [1.0, 0.3, 0.1, 0.03].map { t in abs(TernaryQuantiser.soft(0.3, temperature: Float(t)).value) }
        #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func softSlopeMatchesFiniteDifferences() {
        let h = 1e-5
        for t in [0.2, 0.35, 0.8, 2.0] {
            for i in -25...25 {
                let z = Double(i) / 10
                let fd = (TernaryQuantiser.closedForm(z + h, temperature: t) - TernaryQuantiser.closedForm(z - h, temperature: t)) / (2 * h)
                let slope = Double(TernaryQuantiser.soft(Float(z), temperature: Float(t)).slope)
                #expect(abs(slope - fd) < 1e-4 * max(1, abs(fd)), "T = \(t), z = \(z): \(slope) vs \(fd)")
            }
        }
    }

    @Test func optimalTemperatureIsAbout035() {
        let t0 = TernaryQuantiser.defaultT0
        #expect(abs(t0 - 0.351) < 0.005)
        // It is a minimum: nearby temperatures quantise worse.
        let e = TernaryQuantiser.meanSquaredError(temperature: t0)
        #expect(e < TernaryQuantiser.meanSquaredError(temperature: t0 - 0.05))
        #expect(e < TernaryQuantiser.meanSquaredError(temperature: t0 + 0.05))
        // The Simpson integral of the identity error at T → 0 (hard rounding) is finite and larger.
        #expect(TernaryQuantiser.meanSquaredError(temperature: 0) > e)
    }

    @Test func scheduleAtHandComputedPoints() {
        let s = TernarySchedule(t0: 0.4)
        #expect(s.pressure(0) == 0)
        #expect(abs(s.pressure(0.1) - 0.5) < 1e-12)
        #expect(s.pressure(0.2) == 1 && s.pressure(0.6) == 1 && s.pressure(1) == 1)
        #expect(s.temperature(0) == 0.4)
        #expect(s.temperature(0.2) == 0.4)
        // r = 0.6: halfway through the cosine, T₀ · ½ (1 + cos(π/2)) = T₀ / 2.
        #expect(abs(s.temperature(0.6) - 0.2) < 1e-12)
        #expect(abs(s.temperature(1)) < 1e-12)
        // r = 0.36: cos(π · 0.2) = 0.809017, T = 0.4 · 0.904508.
        #expect(abs(s.temperature(0.36) - 0.4 * 0.5 * (1 + 0.8090169943749475)) < 1e-12)
    }

    @Test func hessianFactorsFromHandComputedZScores() {
        // log traces 0, 1, 2: mean 1, population sd √(2/3), ζ = ∓√(3/2), 0.
        let a = 0.5
        let sc = HessianTemperatureScale.scales(traces: [1, M_E, M_E * M_E], kappa: 1, alpha: a)
        let z = 1.5.squareRoot()
        for (k, expected) in [-z, 0, z].enumerated() {
            #expect(abs(sc[k].zscore - expected) < 1e-6)
            let s = 1 / (1 + exp(-expected))
            #expect(abs(sc[k].sensitivity - s) < 1e-6)
            #expect(abs(sc[k].tau - exp(-a * s)) < 1e-6)
        }
        // α > 0 cools the sensitive tensor, α < 0 warms it; α = 0 leaves all at 1.
        #expect(sc[2].tau < sc[1].tau && sc[1].tau < sc[0].tau)
        let warm = HessianTemperatureScale.scales(traces: [1, M_E, M_E * M_E], kappa: 1, alpha: -a)
        #expect(warm[2].tau > warm[0].tau && warm[0].tau > 1)
        #expect(HessianTemperatureScale.scales(traces: [1, 5, 9], kappa: 1, alpha: 0).allSatisfy { $0.tau == 1 })
        // Non-positive traces are clamped to 1e-8 before the log.
        let clamped = HessianTemperatureScale.scales(traces: [-3, 0], kappa: 1, alpha: a)
        #expect(clamped[0].zscore == 0 && clamped[1].zscore == 0)
    }

    @Test func blockTracesOfAQuadratic() {
        // L = ½ θᵀ A θ, ∇L = A θ; blocks [0, 3) and [3, 5). A couples the blocks (which must not
        // leak into a block's trace) and is diagonal inside each, so Rademacher vectors are exact.
        let n = 5
        var a = [Float](repeating: 0, count: n * n)
        let diag: [Float] = [2, -1, 4, 3, 0.5]
        for i in 0..<n { a[i * n + i] = diag[i] }
        for (i, j, v) in [(0, 3, Float(1.5)), (1, 4, -2), (2, 3, 0.7)] { a[i * n + j] = v; a[j * n + i] = v }
        let grad: ([Float]) -> [Float] = { th in (0..<n).map { i in (0..<n).reduce(Float(0)) { $0 + a[i * n + $1] * th[$1] } } }
        var rng = RNG(seed: 7)
        let theta: [Float] = [0.3, -0.2, 0.1, 0.5, -0.4]
        let t = HessianTemperatureScale.blockTraces(at: theta, blocks: [0..<3, 3..<5], samples: 3, step: 1e-2, rng: &rng, gradient: grad)
        #expect(abs(t[0] - 5) < 1e-3)
        #expect(abs(t[1] - 3.5) < 1e-3)
    }

    @Test func transitionAndDeadZoneCountersOnAHandSequence() {
        var tr = TernaryTransitions(states: [0, 1, -1, 0], window: 2)
        #expect(tr.rate.isNaN && tr.deadZoneFraction.isNaN)
        #expect(tr.record([1, 1, -1, 0]) == 0.25)      // weight 0 moves
        #expect(tr.record([0, 1, 0, 0]) == 0.5)        // weights 0 (back) and 2 move
        #expect(tr.deadZoneFraction == 0.5)            // weights 1 and 3 never moved
        #expect(abs(tr.rate - 0.375) < 1e-12)          // mean of the last two steps
        #expect(tr.record([0, 1, 0, 0]) == 0)
        #expect(abs(tr.rate - 0.25) < 1e-12)           // the window drops the first step
        #expect(tr.changes == 3 && tr.steps == 3)
        #expect(tr.changesPerWeight == 0.75)
        #expect(tr.deadZoneFraction == 0.5)
    }

    static func small(alpha: Double) -> TernaryQATSimulation {
        let rule = AdamW(RuleParameterValues(AdamW.parameters, given: ["eta": 0.003, "weight_decay": 0]))
        return TernaryQATSimulation(config: .init(hidden: [16, 16], pretrainEpochs: 1, annealSteps: 20, alpha: alpha,
                                                  hutchinsonSamples: 2, probeSamples: 32, rules: [rule]), seed: 3)
    }

    @Test func withoutGuidanceTheHessianArmIsTheSoftArm() {
        var sim = Self.small(alpha: 0)
        sim.advance(25)
        let m = sim.measure(), names = sim.metricNames
        func v(_ k: String) -> Double { names.firstIndex(of: k).map { m[$0] } ?? .nan }
        #expect(v("test_acc_ternary") == v("test_acc_ternary_soft"))
        #expect(v("transitions") == v("transitions_soft"))
        #expect(v("loss") == v("loss_soft"))
        // Past the end of the anneal everything is hard: T = 0 and full pressure.
        #expect(v("t_layer_1") == 0 && v("pressure") == 1)
        #expect(v("dead_zone_fraction_ste") >= 0 && v("dead_zone_fraction_ste") <= 1)
    }

    @Test func guidanceGivesEachTensorItsOwnTemperature() {
        let sim = Self.small(alpha: 0.5)
        let t = sim.temperatures(.hessian, 0)
        let tau = sim.hessianScales.map(\.tau)
        for l in 0..<3 { #expect(abs(t[l] - tau[l] * TernaryQuantiser.defaultT0) < 1e-12) }
        // The largest trace gets the smallest factor (α > 0 cools sensitive tensors).
        let hi = sim.traces.indices.max { sim.traces[$0] < sim.traces[$1] } ?? 0
        #expect(tau[hi] == tau.min())
        #expect(sim.temperatures(.ste, 0) == [0, 0, 0] && sim.pressure(.ste, 0) == 1)
    }
}
