import Testing
import SynCore
@testable import SynModels

/// Memory capacity (`MemoryCapacity`, shared by the memory-capacity scenes) and the echo-state
/// scene's simulation (`EchoMemorySimulation`).
@Suite struct EchoMemoryTests {
    /// A shift register whose state holds exactly u(t−1) … u(t−3) recalls delays 1-3 perfectly and
    /// nothing older: r²(k) = 1 for k ≤ 3, ~0 beyond, so MC = 3 (up to the finite-sample chance
    /// correlation of the scored rows, well under 0.05 per delay here).
    @Test func shiftRegisterHasMemoryCapacityEqualToItsLength() throws {
        var rng = RNG(seed: 3)
        let total = 1400, washout = 10, train = 900, delays = 6, n = 3
        let u = (0..<total).map { _ in rng.uniform(-1, 1) }
        func state(after q: Int) -> [Float] { (1...n).map { u[q - $0] } }
        var ridge = RidgeAccumulator(features: n, outputs: delays)
        for q in washout..<(washout + train) {
            ridge.add(state(after: q), (1...delays).map { u[q - $0] })
        }
        let w = try #require(ridge.solve(lambda: 1e-9))
        var scored: [Float] = []
        for q in (washout + train)..<total { scored += state(after: q) }
        let (r2, mc) = MemoryCapacity.curve(weights: w, states: scored, units: n, delays: delays, inputs: u,
                                            firstInput: washout + train - 1)
        for k in 0..<3 { #expect(abs(r2[k] - 1) < 1e-6, "r²(\(k + 1)) = \(r2[k])") }
        for k in 3..<delays { #expect(r2[k] < 0.05, "r²(\(k + 1)) = \(r2[k])") }
        #expect(abs(mc - 3) < 0.15, "MC \(mc)")
    }

    /// Pearson correlation against hand-computed values; a constant series has none (NaN).
    @Test func correlationMatchesHandComputedValues() {
        #expect(abs(MemoryCapacity.correlation([1, 2, 3], [2, 4, 6]) - 1) < 1e-12)
        #expect(abs(MemoryCapacity.correlation([1, 2, 3], [3, 2, 1]) + 1) < 1e-12)
        // a − mean = (−1, 0, 1), b − mean = (−1/3, 2/3, −1/3): covariance 0.
        #expect(abs(MemoryCapacity.correlation([1, 2, 3], [0, 1, 0])) < 1e-12)
        #expect(MemoryCapacity.correlation([1, 1, 1], [1, 2, 3]).isNaN)
    }

    static func config(radii: [Double], radius: Double = 0.9) -> EchoMemorySimulation.Config {
        EchoMemorySimulation.Config(units: 40, inputScale: 0.1, radius: radius, radii: radii, testSteps: 700, washout: 41,
                                    trainFraction: 0.7, delays: 40, ridge: 1e-6)
    }

    /// The edge of chaos: memory grows with the spectral radius below 1 and falls once the
    /// reservoir's own activity is self-sustained (g = 1.8, rms state several times larger);
    /// NaN before the first trial ends.
    @Test func memoryPeaksBelowTheEdgeOfChaos() throws {
        var sim = EchoMemorySimulation(config: Self.config(radii: [0.1, 0.9, 1.8]), seed: 2)
        sim.advance(10)
        #expect(sim.measure()[0].isNaN)
        sim.advance(690)
        let m = sim.measure()
        let mc = m[0], best = m[2], bestRadius = m[3], rms = m[4]
        #expect(mc > 5, "MC at g = 0.9: \(mc)")
        #expect(bestRadius == 0.9 && best == mc, "best \(best) at \(bestRadius)")
        var chaotic = EchoMemorySimulation(config: Self.config(radii: [0.9], radius: 1.8), seed: 2)
        chaotic.advance(700)
        let c = chaotic.measure()
        #expect(c[0] < 0.75 * mc, "MC at g = 1.8: \(c[0]) vs \(mc) at 0.9")
        #expect(c[4] > 3 * rms, "rms state at 1.8: \(c[4]), at 0.9: \(rms)")
        var quiet = EchoMemorySimulation(config: Self.config(radii: [0.9], radius: 0.1), seed: 2)
        quiet.advance(700)
        // At g = 0.1 the echo of u(t − k) shrinks like 0.1^k and sinks below the ridge floor
        // after a few delays.
        #expect(quiet.measure()[0] < mc / 2, "MC at g = 0.1")
    }

    /// The radius control rescales W: the live copy at the same g as a fixed copy gives the same MC.
    @Test func liveCopyAtAFixedRadiusMatchesIt() {
        var sim = EchoMemorySimulation(config: Self.config(radii: [0.5, 0.8]), seed: 5)
        #expect(sim.setControl("radius", to: 0.8) == nil)
        #expect(sim.setControl("radius", to: 5) != nil)
        sim.advance(700)
        let m = sim.measure()
        #expect(m[1] == Double(Float(0.8)))
        #expect(abs(m[0] - m[2]) < 1e-9, "live \(m[0]) vs fixed \(m[2])")
    }
}
