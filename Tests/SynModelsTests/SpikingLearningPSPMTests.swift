import Foundation
import Testing
import SynCore
@testable import SynModels

/// PSPM's spike-train measures and pool rule on hand-made spike trains.
@Suite struct SpikingLearningPSPMTests {
    /// One spike against silence: D² = (dt/τ) Σ_k e^(−2 k dt/τ) = (dt/τ) / (1 − e^(−2 dt/τ)) → 1/2
    /// as dt → 0; identical trains are at distance 0.
    @Test func vanRossumOfOneUnmatchedSpike() {
        let dt = 0.0005, tau = 0.01
        let d = SpikeTrainDistance.vanRossum([100], [], steps: 100_000, dt: dt, tau: tau)
        let hand = ((dt / tau) / (1 - exp(-2 * dt / tau))).squareRoot()
        #expect(abs(d - hand) < 1e-9)
        #expect(abs(d * d - 0.5) < 0.03)
        #expect(SpikeTrainDistance.vanRossum([5, 40], [5, 40], steps: 100, dt: dt, tau: tau) == 0)
    }

    /// Target [10, 50, 100], model [12, 70, 101, 103], window ±5: hits 10↔12 and 100↔101,
    /// 50 missed, 70 and 103 extra; F1 = 2·2 / (3 + 4).
    @Test func greedyMatchFindsHitsMissesAndExtras() {
        let m = SpikeTrainDistance.match(target: [10, 50, 100], model: [12, 70, 101, 103], window: 5)
        #expect(m.hits == 2)
        #expect(m.missed == [50])
        #expect(m.extra == [70, 103])
        #expect(abs(SpikeTrainDistance.f1(hits: 2, target: 3, model: 4) - 4.0 / 7) < 1e-12)
        #expect(SpikeTrainDistance.f1(hits: 0, target: 0, model: 0).isNaN)
    }

    /// Neuron 0 missed a target spike at step 20 (pool window 10 steps): presynaptic 1 spiked at
    /// 15 (inside) and gains δ; 2 spiked at 5 (outside) and keeps its weight. An extra spike at
    /// 40 with 2 active at 35 costs W_02 one δ. Unconnected 3 never changes (p = 1).
    @Test func poolUpdateChangesOnlyConnectedRecentlyActivePresynapticWeights() {
        var w = Matrix(rows: 4, cols: 4, repeating: 1)
        var connected = [Bool](repeating: false, count: 16)
        connected[0 * 4 + 1] = true
        connected[0 * 4 + 2] = true
        let trains: [[Int]] = [[], [15], [5, 35], [15, 35]]
        var rng = RNG(seed: 1)
        PSPMSimulation.poolUpdate(&w, connected: connected, errors: [(0, 20, 1), (0, 40, -1)], trains: trains,
                                  poolSteps: 10, probability: 1, dw: 0.25, rng: &rng)
        #expect(w[0, 1] == 1.25)
        #expect(w[0, 2] == 0.75)
        #expect(w[0, 3] == 1)
        #expect(w[1, 0] == 1)
    }

    /// The student starts with the teacher's weights permuted over the same connections.
    @Test func studentWeightsAreAPermutationOfTheTrueOnes() {
        var c = PSPMConfig()
        c.epoch = 0.05
        let rule = PSPMBoth(RuleParameterValues(PSPMBoth.parameters))
        let sim = PSPMSimulation(config: c, rules: [rule], names: ["pspm"], start: 0, seed: 4)
        let student = sim.connected.indices.filter { sim.connected[$0] }.map { sim.weights.storage[$0] }.sorted()
        let truth = sim.connected.indices.filter { sim.connected[$0] }.map { sim.trueWeights.storage[$0] }.sorted()
        #expect(student == truth)
        #expect(!student.isEmpty)
        #expect(sim.connected.indices.allSatisfy { sim.connected[$0] || sim.weights.storage[$0] == 0 })
    }
}
