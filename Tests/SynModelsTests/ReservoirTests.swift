import Testing
#if canImport(Glibc)
import Glibc
#endif
import SynCore
@testable import SynModels

@Suite struct ReservoirTests {
    /// A small, stable reservoir (N = 40, radius 0.8) learns to predict a sine 5 steps ahead
    /// online: NRMSE over the last 200 a-priori predictions < 0.1 after 1500 steps (chance: 1).
    @Test func readoutLearnsASineOnASmallStableReservoir() {
        let config = ReservoirSimulation.Config(units: 40, radius: 0.8, inputScale: 1, horizon: 5, forgetting: 1, delta: 0.01,
                                                input: .sines(periods: [25]), window: 200, rules: [FixedReservoir()], start: 0)
        var sim = ReservoirSimulation(config: config, seed: 3)
        sim.advance(1500)
        let nrmse = sim.measure()[0]
        #expect(nrmse < 0.1, "NRMSE \(nrmse)")
    }

    /// With forgetting lambda = 1 and P(0) = I / delta, RLS ends at the ridge-regression
    /// solution (R^T R + delta I)^{-1} R^T y, here computed by `EchoStateNetwork.fitReadout`.
    @Test func rlsEqualsRidgeRegression() {
        var rng = RNG(seed: 4)
        let t = 300, d = 6, delta = 0.5
        let states = Matrix(rows: t, cols: d) { _, _ in rng.uniform(0, 1) }
        let targets = Matrix(rows: t, cols: 1) { r, _ in states[r, 0] - 2 * states[r, 3] + 0.1 * rng.normal() }
        var rls = RLSReadout(size: d + 1, delta: delta, forgetting: 1)
        for r in 0..<t { rls.train(states.row(r) + [1], target: Double(targets[r, 0])) }
        var esnRNG = RNG(seed: 1)
        var esn = EchoStateNetwork(size: d, inputs: 1, outputs: 1, rng: &esnRNG)
        esn.fitReadout(states: states, targets: targets, lambda: delta)
        for i in 0...d { #expect(abs(rls.weights[i] - Double(esn.readout[0, i])) < 1e-4, "w_\(i): \(rls.weights[i]) vs \(esn.readout[0, i])") }
    }

    /// Intrinsic plasticity moves the population mean rate (over 200 steps) closer to the
    /// target 0.1 than in the first 200 steps, and within 0.02 of it after 2200 steps; W keeps Dale's signs under every rule and the gains stay in range.
    @Test func homeostasisMovesRatesTowardTargetAndKeepsDalesSigns() {
        let base = ReservoirSimulation.Config(units: 40, radius: 3, horizon: 5, input: .sines(periods: [25, 7]), window: 100,
                                              rules: [ReservoirIntrinsicPlasticity(eta: 0.01, targetRate: 0.1), FlowControl()], start: 0)
        var sim = ReservoirSimulation(config: base, seed: 2)
        sim.advance(200)
        let early = sim.measure()[1]
        sim.advance(2000)
        _ = sim.measure()
        sim.advance(200)
        let rate = sim.measure()[1]
        #expect(abs(rate - 0.1) < 0.02 && abs(rate - 0.1) < abs(early - 0.1), "mean rate \(early) -> \(rate)")
        #expect(sim.reservoir.obeysDale)
        sim.selectRule(1)
        let before = sim.reservoir.gains
        sim.advance(500)
        #expect(sim.reservoir.gains != before)
        #expect(sim.reservoir.obeysDale)
        let inRange = sim.reservoir.gains.allSatisfy { ReservoirSimulation.gainRange.contains($0) }
        #expect(inRange)
    }

    /// The paper-style effect at test scale: on a chaotic reservoir (N = 100, radius 9) the
    /// fixed reservoir's readout fails to predict Mackey-Glass 30 steps ahead, while flow control
    /// brings the NRMSE (last 1000 steps of 6000) below half of it; the largest
    /// Lyapunov exponent over those steps changes sign from positive to negative.
    @Test func flowControlRescuesPredictionOnAChaoticReservoir() {
        func run(_ rule: any ReservoirLearningRule) -> (nrmse: Double, lyapunov: Double) {
            let c = ReservoirSimulation.Config(units: 100, radius: 9, horizon: 30, window: 1000, rules: [rule], start: 0)
            var sim = ReservoirSimulation(config: c, seed: 1)
            sim.advance(5000)
            _ = sim.measure()
            sim.advance(1000)
            let m = sim.measure()
            return (m[0], m[6])
        }
        let fixed = run(FixedReservoir()), homeostatic = run(FlowControl())
        #expect(homeostatic.nrmse < 0.5 * fixed.nrmse, "nrmse: homeostatic \(homeostatic.nrmse), none \(fixed.nrmse)")
        // Chaotic (positive exponent) without plasticity, echo-state (negative) with it.
        #expect(fixed.lyapunov > 0 && homeostatic.lyapunov < 0, "lyapunov: homeostatic \(homeostatic.lyapunov), none \(fixed.lyapunov)")
    }

    /// With G = 0 the local Jacobian is (1 - l) I, so the Lyapunov estimate is exactly
    /// log(1 - l) per step (here l = 0.3: -0.35667), whatever the state.
    @Test func lyapunovOfTheLeakOnlyMapIsLogOneMinusLeak() {
        let c = ReservoirSimulation.Config(units: 24, radius: 3, gain: 0, leak: 0.3, horizon: 2, window: 20, rules: [FixedReservoir()], start: 0)
        var sim = ReservoirSimulation(config: c, seed: 1)
        sim.advance(50)
        let l = sim.measure()[6]
        #expect(abs(l - log(0.7)) < 1e-5, "lyapunov \(l)")
    }

    /// Chunked advancing with measurements, views and probes in between equals one advance.
    @Test(arguments: ["none", "homeostatic", "intrinsic"])
    func advanceChunkingIsBitIdentical(_ rule: String) throws {
        let built = try ReservoirRules.registry.descriptor(named: rule).makeDefault()
        let c = ReservoirSimulation.Config(units: 32, radius: 4, horizon: 3, window: 50, rules: [built], start: 0)
        var a = ReservoirSimulation(config: c, seed: 9)
        var b = ReservoirSimulation(config: c, seed: 9)
        a.advance(37); _ = a.measure(); _ = a.views(); _ = a.probe(); a.advance(1); a.advance(62)
        b.advance(100)
        #expect(a.reservoir.rates == b.reservoir.rates)
        #expect(a.reservoir.gains == b.reservoir.gains && a.reservoir.bias == b.reservoir.bias)
        #expect(a.readout.weights == b.readout.weights)
    }

    /// The Mackey-Glass series (tau = 17) stays in its attractor's range (0.2, 1.5) and its
    /// long-run mean is near the 0.92 used for normalisation.
    @Test func mackeyGlassStaysOnItsAttractor() {
        var mg = MackeyGlass()
        for _ in 0..<500 { _ = mg.next() }
        var sum = 0.0, lo = Double.infinity, hi = -Double.infinity
        for _ in 0..<3000 {
            let x = mg.next()
            sum += x; lo = min(lo, x); hi = max(hi, x)
        }
        #expect(lo > 0.2 && hi < 1.5, "range [\(lo), \(hi)]")
        #expect(abs(sum / 3000 - 0.92) < 0.05, "mean \(sum / 3000)")
        #expect(hi - lo > 0.5, "not a flat series")
    }
}
