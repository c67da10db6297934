import Testing
import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import SynModels

/// HESTIA's soft ternary quantiser against its closed form, its schedule and Hessian guidance
/// against hand-computed values, and the quantisation-aware training run's bookkeeping.
@Suite struct TernaryQATTests {
    /// The stable softmax form equals sinh(2z/T) / (cosh(2z/T) + ½ e^{1/T}), and its slope the
    /// central difference of q.
    @Test(arguments: [0.3, 0.5, 1.0])
    func softQuantiserMatchesItsClosedForm(_ t: Double) {
        for z in stride(from: -2.0, through: 2.0, by: 0.25) {
            let q = SoftTernary.quantise(z, temperature: t)
            let closed = sinh(2 * z / t) / (cosh(2 * z / t) + 0.5 * exp(1 / t))
            #expect(abs(q.q - closed) < 1e-12)
            let h = 1e-5
            let fd = (SoftTernary.quantise(z + h, temperature: t).q - SoftTernary.quantise(z - h, temperature: t).q) / (2 * h)
            #expect(abs(q.slope - fd) < 1e-6, "z = \(z)")
        }
    }

    /// At small T the soft quantiser is the hard one away from the thresholds ±0.5; at T = 0 it
    /// is the hard one with slope 1 (straight-through).
    @Test func coldQuantiserIsHard() {
        for z in [-1.7, -0.8, -0.3, 0, 0.2, 0.7, 1.4] {
            #expect(abs(SoftTernary.quantise(z, temperature: 0.01).q - SoftTernary.hard(z)) < 1e-6)
            let hard = SoftTernary.quantise(z, temperature: 0)
            #expect(hard.q == SoftTernary.hard(z) && hard.slope == 1)
        }
        #expect(SoftTernary.hard(0.49) == 0 && SoftTernary.hard(0.51) == 1 && SoftTernary.hard(-3) == -1)
        #expect(SoftTernary.state(0.3, scale: 2) == 1 && SoftTernary.state(-0.2, scale: 2) == 0)
    }

    /// T₀ minimises the Gaussian quantisation error near 0.35 (the page's figure).
    @Test func optimalT0IsAboutPoint35() {
        let t0 = SoftTernary.optimalT0()
        #expect(t0 > 0.33 && t0 < 0.37, "T0 = \(t0)")
        let e = SoftTernary.gaussianError(temperature: t0)
        #expect(e <= SoftTernary.gaussianError(temperature: 0.3) && e <= SoftTernary.gaussianError(temperature: 0.4))
        #expect(abs(e - 0.3676) < 1e-3)
    }

    /// The schedule: T₀ for r ≤ 0.2, half of it at r = 0.6, 0 at the end; pressure r / 0.2.
    @Test func scheduleFollowsTheCosine() {
        #expect(SoftTernary.temperature(0.1, t0: 0.4) == 0.4)
        #expect(abs(SoftTernary.temperature(0.6, t0: 0.4) - 0.2) < 1e-12)
        #expect(SoftTernary.temperature(1, t0: 0.4) == 0 && SoftTernary.temperature(1.3, t0: 0.4) == 0)
        #expect(SoftTernary.pressure(0.1) == 0.5 && SoftTernary.pressure(0.5) == 1 && SoftTernary.pressure(0) == 0)
        #expect(SoftTernary.scale([1, -3, 0, 2][...]) == Float(4) / 6)
    }

    /// Traces 1, e, e²: log z-scores 0, ±√1.5; τ_i = exp(−α σ(ζ_i)); α = 0 leaves every τ at 1.
    @Test func hessianGuidanceScalesTemperatures() {
        let tau = SoftTernary.temperatureScales(traces: [1, exp(1), exp(2)], alpha: 0.5)
        let zeta = 1 / (2.0 / 3).squareRoot()
        func sigma(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        #expect(abs(tau[0] - exp(-0.5 * sigma(-zeta))) < 1e-7)  // ζ has the +1e-8 of the population sd
        #expect(abs(tau[1] - exp(-0.25)) < 1e-9)
        #expect(abs(tau[2] - exp(-0.5 * sigma(zeta))) < 1e-7)
        #expect(tau[2] < tau[1] && tau[1] < tau[0])  // α > 0: the sensitive tensor cools fastest
        #expect(SoftTernary.temperatureScales(traces: [1, 5, -2], alpha: 0) == [1, 1, 1])
    }

    static func tiny() -> TernaryQATSimulation.Config {
        TernaryQATSimulation.Config(sizes: [64, 8, 8, 10], batch: 32, samples: 64, pretrainEpochs: 1, qatEpochs: 2, hutchinson: 2,
                                    probeRows: 32, t0: 0.35, rules: [GradientDescent(eta: 0.1)])
    }

    /// Pressure 0 leaves the weights as they are; the hard quantiser gives three levels per tensor.
    @Test func effectiveWeightsInterpolate() {
        let sim = TernaryQATSimulation(config: Self.tiny(), seed: 2)
        let p = sim.parameters
        let soft = sim.effective(p, [(0.35, 0), (0.35, 0), (0.35, 0)])
        #expect(soft.theta == p && soft.slope.allSatisfy { $0 == 1 })
        let hard = sim.hardTernary(p)
        let lay = MLPLayout(sizes: [64, 8, 8, 10])
        for l in 0..<3 {
            let levels = Set(hard[lay.wOffset[l]..<(lay.wOffset[l] + lay.weightCount(l))])
            #expect(levels.count == 3, "tensor \(l + 1): \(levels)")
            #expect(levels.contains(0))
        }
        #expect(hard[lay.bOffset[0]] == p[lay.bOffset[0]])
    }

    /// Phases: pre-training (2 steps), 6 Hutchinson samples, then QAT: traces defined, the
    /// annealing reaches T = 0 at r = 1, dead zone and transitions in [0, 1].
    @Test func runPassesThroughThePhases() {
        var sim = TernaryQATSimulation(config: Self.tiny(), seed: 2)
        let names = TernaryQATSimulation.metricSpecs.map(\.name)
        func value(_ m: [Double], _ n: String) -> Double { m[names.firstIndex(of: n) ?? 0] }
        var m = sim.measure()
        #expect(value(m, "test_acc_ternary_soft").isNaN && value(m, "hessian_trace1").isNaN)
        sim.advance(2 + 6)
        m = sim.measure()
        for l in 1...3 { #expect(value(m, "hessian_trace\(l)").isFinite) }
        #expect(value(m, "temperature") == 0.35 && value(m, "pressure") == 0)
        #expect(value(m, "transition_rate_ste").isNaN)  // no QAT step yet: no transitions to count
        #expect(value(m, "dead_zone_ste") == 1)
        sim.advance(4)
        m = sim.measure()
        #expect(value(m, "qat_progress") == 1 && value(m, "temperature") == 0)
        for arm in ["ste", "soft", "hessian"] {
            #expect((0...1).contains(value(m, "dead_zone_\(arm)")))
            #expect((0...1).contains(value(m, "transition_rate_\(arm)")))
            #expect((0...1).contains(value(m, "test_acc_ternary_\(arm)")))
        }
    }
}
