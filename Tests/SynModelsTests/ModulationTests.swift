import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore
@testable import SynModels

/// The gain-modulation rules, the ridge readout and the two circuits of the modulation scenes
/// (`adaptive-ei-reservoir`, `gain-control`), checked against hand-computed values.
@Suite struct ModulationTests {
    // MARK: Rules

    /// β ← max(0, β + η (x − ρ)) with η = 0.05: 1 + 0.05 (0.9 − 0.5) = 1.02; 0.01 + 0.05
    /// (0.1 − 0.5) = −0.01 → clamped to 0; x = ρ leaves β.
    @Test func inhibitoryGainFollowsItsEquationAndStaysNonNegative() {
        let rule = InhibitoryGainHomeostasis(eta: 0.05)
        var beta: [Float] = [1, 0.01, 2]
        rule.adapt(&beta, activity: [0.9, 0.1, 0.3], reference: [0.5, 0.5, 0.3])
        #expect(abs(beta[0] - 1.02) < 1e-6)
        #expect(beta[1] == 0)
        #expect(beta[2] == 2)
    }

    /// g ← g (r_ref / r)^γ: 2 · (1 / 4)^0.5 = 1; a unit at its reference keeps its gain; a
    /// non-positive mean response leaves the gain alone (the rule needs r > 0).
    @Test func gainRatioFollowsItsEquationAndSkipsNonPositiveResponses() {
        let rule = GainRatioHomeostasis(gamma: 0.5)
        var g: [Float] = [2, 1.5, 3]
        rule.adapt(&g, activity: [4, 0.7, -1], reference: [1, 0.7, 1])
        #expect(abs(g[0] - 1) < 1e-6)
        #expect(g[1] == 1.5)
        #expect(g[2] == 3)
        var frozen: [Float] = [0.3, 4]
        FrozenGain().adapt(&frozen, activity: [1, 1], reference: [0, 0])
        #expect(frozen == [0.3, 4])
    }

    // MARK: Ridge readout

    /// Noise-free targets y1 = 2 x1 − x2 + 3 and y2 = −x1 + 0.5 are recovered to 1e-6 with a
    /// tiny ridge; a huge ridge shrinks the weights toward 0.
    @Test func ridgeRecoversAnExactLinearMap() throws {
        var rng = RNG(seed: 7)
        var r = RidgeAccumulator(features: 2, outputs: 2)
        for _ in 0..<50 {
            let x1 = rng.uniform(-1, 1), x2 = rng.uniform(-1, 1)
            r.add([x1, x2], [2 * x1 - x2 + 3, -x1 + 0.5])
        }
        let w = try #require(r.solve(lambda: 1e-9))
        // Rows: x1, x2, constant; columns: the two targets.
        let want: [Double] = [2, -1, -1, 0, 3, 0.5]
        for k in want.indices { #expect(abs(w[k] - want[k]) < 1e-5, "w[\(k)] = \(w[k])") }
        let shrunk = try #require(r.solve(lambda: 1e9))
        #expect(shrunk.allSatisfy { abs($0) < 1e-3 })
        #expect(RidgeAccumulator(features: 3, outputs: 1).solve(lambda: 0) == nil)
    }

    // MARK: Adaptive E/I reservoir

    /// The weights are scaled so the mean total E input per unit is J, β_bal = Σ W_E / Σ W_I,
    /// W_E has only E columns and W_I only I columns, and one step matches the equation by hand.
    @Test func inhibitoryGainReservoirIsScaledAndStepsAsItsEquationSays() {
        var rng = RNG(seed: 3)
        var net = InhibitoryGainReservoir(size: 50, connectionProbability: 0.2, meanExcitation: 4, inputScale: 1, rng: &rng)
        let eSum = net.wE.values.reduce(0, +), iSum = net.wI.values.reduce(0, +)
        #expect(abs(eSum / 50 - 4) < 1e-3)
        #expect(abs(net.betaBalance - eSum / iSum) < 1e-3)
        #expect(net.wE.dense().storage.enumerated().allSatisfy { $0.element == 0 || $0.offset % 50 < net.excitatory })
        #expect(net.wI.dense().storage.enumerated().allSatisfy { $0.element == 0 || $0.offset % 50 >= net.excitatory })
        var x = (0..<50).map { Float($0) / 50 }
        let beta = (0..<50).map { 1 + Float($0) / 25 }
        let we = net.wE.dense(), wi = net.wI.dense()
        let want = (0..<50).map { i -> Float in
            var e: Float = 0, inh: Float = 0
            for j in 0..<50 { e += we[i, j] * x[j]; inh += wi[i, j] * x[j] }
            return 1 / (1 + expf(-(e - beta[i] * inh + net.wIn[i] * 0.3)))
        }
        net.step(&x, beta: beta, input: 0.3)
        for i in 0..<50 { #expect(abs(x[i] - want[i]) < 1e-5) }
        net.setMeanExcitation(8)
        #expect(abs(net.wE.values.reduce(0, +) / 50 - 8) < 1e-3)
    }

    static let smallReservoir = AdaptiveReservoirSimulation.Config(
        units: 40, adaptSteps: 300, testSteps: 400, washout: 20, delays: 10, ridge: 1e-6,
        rules: [InhibitoryGainHomeostasis(), FrozenGain()], start: 0)

    /// Under `frozen` the local arms keep β_bal and see the same test stream as global_100:
    /// their memory capacities are identical. MC lies in [0, K] and is NaN before a trial ends.
    @Test func frozenLocalArmsEqualTheBalancedGlobalArm() {
        var c = Self.smallReservoir
        c.start = 1
        var sim = AdaptiveReservoirSimulation(config: c, seed: 5)
        #expect(sim.measure()[0].isNaN)
        sim.advance(700)
        let m = sim.measure()
        #expect(m[9] == 1, "one trial finished")
        #expect(m[1] == m[4] && m[1] == m[5] && m[1] == m[6], "local arms \(m[4...6]) vs global_100 \(m[1])")
        #expect(m[0..<7].allSatisfy { $0 >= 0 && $0 <= 10 })
        #expect(abs(m[7] - 1) < 1e-6, "beta_ratio stays 1")
    }

    /// Local adaptation toward ρ = 0.3 pulls the arm's mean rate (averaged over steps
    /// 450-500 of the adaptation phase, the page's 200-unit network) to within 0.05 of 0.3;
    /// frozen at β_bal it stays far from it (the balanced reservoir fires near 0.5).
    @Test func localAdaptationPullsTheRateTowardItsTarget() {
        func lateRate(_ rule: Int) -> Double {
            let c = AdaptiveReservoirSimulation.Config(units: 200, adaptSteps: 600, testSteps: 600, washout: 20, delays: 10,
                                                       rules: [InhibitoryGainHomeostasis(), FrozenGain()], start: rule)
            var sim = AdaptiveReservoirSimulation(config: c, seed: 5)
            sim.advance(450)
            var sum = 0.0
            for _ in 0..<50 { sim.advance(1); sum += sim.meanRate(arm: 5) }
            return sum / 50
        }
        let adapted = lateRate(0), frozen = lateRate(1)
        #expect(abs(adapted - 0.3) < 0.1, "adapted rate \(adapted)")
        #expect(abs(frozen - 0.3) > abs(adapted - 0.3) + 0.05, "frozen rate \(frozen), adapted \(adapted)")
    }

    // MARK: Gain control

    /// W is symmetric with zero diagonal and spectral radius 0.5, and the steady state solves
    /// r = G (F s + W r).
    @Test func orientationCircuitSteadyStateSolvesTheFixedPoint() throws {
        let c = OrientationCircuit(size: 24, radius: 0.5)
        let rho = SymmetricEigen.eigenvalues(c.w, n: 24).map(abs).max() ?? 0
        #expect(abs(rho - 0.5) < 1e-9)
        #expect((0..<24).allSatisfy { c.w[$0 * 25] == 0 })
        let g = (0..<24).map { 0.8 + 0.02 * Double($0) }
        let r = try #require(c.responses(gains: g, thetas: [10, 97.5]))
        for s in 0..<2 {
            let theta = [10.0, 97.5][s]
            for i in 0..<24 {
                var wr = 0.0
                for j in 0..<24 { wr += c.w[i * 24 + j] * r[j * 2 + s] }
                let rhs = g[i] * (c.drive(i, theta: theta) + wr)
                #expect(abs(r[i * 2 + s] - rhs) < 1e-12)
            }
        }
        #expect(abs(c.spectralRadius(gains: [Double](repeating: 1, count: 24)) - 0.5) < 1e-9)
    }

    /// The parabola through a sampled quadratic's peak finds its vertex exactly, wrapping
    /// around the circular grid; orientation differences wrap into (−90, 90].
    @Test func peakAndOrientationDifferenceAreCircular() {
        // Vertex at sample 7.7 of 8 (unrolled: 7, 8 = 0, 9 = 1) on a 22.5 deg grid: 173.25 deg.
        let curve = (0..<8).map { k -> Double in let d = Double(k < 4 ? k + 8 : k) - 7.7; return -d * d }
        #expect(abs(OrientationCircuit.peak(curve, step: 22.5) - 173.25) < 1e-9)
        #expect(abs(OrientationCircuit.peak([0, 1, 3, 2, 0], step: 1) - (2 + 0.5 / 3)) < 1e-12)
        #expect(OrientationCircuit.orientationDifference(5, 175) == 10)
        #expect(OrientationCircuit.orientationDifference(170, 10) == -20)
    }

    /// Under the uniform ensemble every unit already sits at its reference: the gains stay 1.
    /// Under the biased one, adapter-tuned gains fall below orthogonal ones, the mean
    /// responses equalise, and preferred orientations near the adapter are repelled in the
    /// recurrent circuit but not in the W = 0 twin.
    @Test func biasedEnsembleLowersAdapterGainsAndRepelsOnlyWithRecurrence() {
        var uniform = GainControlSimulation(config: .init(biased: false), seed: 1)
        uniform.advance(50)
        let u = uniform.measure()
        #expect(abs(u[0] - 1) < 1e-5 && abs(u[1] - 1) < 1e-5, "gain ratios \(u[0]), \(u[1])")
        var biased = GainControlSimulation(config: .init(), seed: 1)
        let start = biased.measure()
        biased.advance(200)
        let b = biased.measure()
        #expect(b[0] < 0.8, "gain ratio adapter/orth \(b[0])")
        #expect(b[2] < 0.2 * start[2], "response_cv \(start[2]) -> \(b[2])")
        #expect(b[3] < 1 && b[4] > 1, "peak ratios \(b[3]), \(b[4])")
        #expect(b[5] > 0.01 && b[5] < 1, "repulsion \(b[5]) deg")
        #expect(abs(b[6]) < 1e-6, "feed-forward shift \(b[6]) deg")
        #expect(b[8] == 0, "no skipped updates")
    }
}
