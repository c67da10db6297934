import Foundation
import Testing
import SynCore
@testable import SynModels
@testable import SynScenes

/// The adaptive LIF reached from scene files: `network.adaptation_mv` and `network.tau_adapt_ms`.
@Suite struct AdaptiveLIFSceneTests {
    /// Both spiking LIF models read the keys into the neuron (b in mV, τ_a converted to s);
    /// out-of-range values are one-line errors.
    @Test func adaptationKeysReachTheNeuron() throws {
        for scene in ["cuba", "stdp-song2000"] {
            let spec = try SpikingSceneTests.load(scene, ["network.adaptation_mv=3", "network.tau_adapt_ms=150"])
            let neuron: LIFParameters? = (spec.model as? LIFNetworkSceneModel)?.config.neuron ?? (spec.model as? STDPNeuronSceneModel)?.config.neuron
            #expect(neuron?.adaptationMV == 3, "\(scene)")
            #expect(neuron.map { abs($0.tauA - 0.15) < 1e-12 } == true, "\(scene)")
            let plain = try SpikingSceneTests.load(scene)
            let p: LIFParameters? = (plain.model as? LIFNetworkSceneModel)?.config.neuron ?? (plain.model as? STDPNeuronSceneModel)?.config.neuron
            #expect(p?.adaptationMV == 0, "\(scene): plain LIF by default")
        }
        #expect(throws: SceneError.self) { try SpikingSceneTests.load("cuba", ["network.adaptation_mv=-1"]) }
        #expect(throws: SceneError.self) { try SpikingSceneTests.load("cuba", ["network.tau_adapt_ms=0"]) }
    }

    /// The equation, one neuron under constant drive: a jumps by b at each spike and decays as
    /// a(t) = b e^(−t/τ_a) between spikes; the first spike comes when the plain LIF's does, and
    /// every later interval is longer than the plain LIF's.
    @Test func adaptationVariableFollowsItsEquation() {
        var p = LIFParameters.cuba
        p.restMV = -60
        p.thresholdMV = -50
        p.resetMV = -60
        p.refractory = 0.002
        p.adaptationMV = 4
        p.tauA = 0.1
        let dt = 1e-4
        var adaptive = LIFGroup(count: 1, parameters: p, dt: dt)
        var plainParameters = p
        plainParameters.adaptationMV = 0
        var plain = LIFGroup(count: 1, parameters: plainParameters, dt: dt)
        adaptive.bias[0] = 20
        plain.bias[0] = 20
        var rng = RNG(seed: 1)
        var s = SpikeBuffer(capacity: 1)
        var spikesA: [Int] = [], spikesP: [Int] = []
        var aAfterFirst: Float = 0
        for step in 0..<5000 {
            adaptive.update(step: step, noise: &rng, spikes: &s)
            if s.count > 0 {
                spikesA.append(step)
                adaptive.reset(s, step: step)
                if spikesA.count == 1 { aAfterFirst = adaptive.a[0] }
            }
            s.removeAll()
            plain.update(step: step, noise: &rng, spikes: &s)
            if s.count > 0 {
                spikesP.append(step)
                plain.reset(s, step: step)
            }
            s.removeAll()
            if spikesA.count == 1, step - spikesA[0] == 100 {
                // 10 ms after the first spike, before the second: a = b e^(−10 ms / τ_a).
                #expect(abs(Double(adaptive.a[0]) - 4 * exp(-0.01 / 0.1)) < 1e-4, "a = \(adaptive.a[0])")
            }
        }
        #expect(aAfterFirst == 4)
        #expect(spikesA.first == spikesP.first)
        let isiA = zip(spikesA.dropFirst(), spikesA).map { $0 - $1 }, isiP = zip(spikesP.dropFirst(), spikesP).map { $0 - $1 }
        #expect(isiA.count >= 3 && isiP.count > isiA.count)
        #expect(isiA.allSatisfy { $0 > (isiP.first ?? 0) })
        #expect(zip(isiA, isiA.dropFirst()).allSatisfy { $0 <= $1 + 1 }, "intervals lengthen then settle: \(isiA)")
    }
}
