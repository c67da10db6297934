import Testing
import Foundation
import SynCore
@testable import SynModels

/// Gap junctions against the analytic solution of two coupled passive membranes, their
/// bookkeeping, and the network option (off by default: the benchmarks are unchanged).
@Suite struct SpikingGapJunctionTests {
    /// C dV1/dt = gL (El - V1) + g (V2 - V1) and the mirror: the difference decays at
    /// (gL + 2 g) / C, the mean at gL / C. LIF neurons with the threshold out of reach.
    @Test func twoCoupledMembranesFollowTheClosedForm() {
        var p = ConductanceLIFParameters()
        p.thresholdMV = 1000
        let dt = 1e-5  // 0.01 ms
        var group = ConductanceLIFGroup(count: 2, dt: dt, parameters: p)
        var inputs = ConductanceInputs(count: 2, parameters: ConductanceSynapseParameters(), dt: dt)
        group.v[0] = -50
        group.v[1] = -70
        let g = 20.0
        let gap = GapJunctions(pairs: [(0, 1)], population: 0..<2, conductanceNS: g)
        var spikes = SpikeBuffer(capacity: 2)
        let steps = 1000  // 10 ms
        for s in 0..<steps {
            gap.apply(v: group.v, base: 0, into: &group.current)
            group.update(step: s, inputs: &inputs, spikes: &spikes, offset: 0)
        }
        #expect(spikes.count == 0)
        let t = Double(steps) * dt * 1000  // ms
        let c = p.capacitancePF, gl = p.leakNS
        let diff = 20 * exp(-(gl + 2 * g) * t / c)          // mV; C in pF, g in nS, t in ms: g t / C dimensionless
        let mean = -60.0  // the mean starts at El = -60 and stays there
        let v0 = Double(group.v[0]), v1 = Double(group.v[1])
        #expect(abs((v0 - v1) - diff) < 0.01 * diff)
        #expect(abs((v0 + v1) / 2 - mean) < 1e-3)
        // Without coupling the difference decays at gL / C only.
        #expect(diff < 20 * exp(-gl * t / c) * 0.5)
    }

    /// Currents: base plus the sum of flows, equal and opposite per junction; duplicates and
    /// self-pairs are dropped; neurons outside the population keep their current.
    @Test func currentsAreEqualAndOppositePerJunction() {
        let gap = GapJunctions(pairs: [(1, 2), (2, 1), (3, 3), (1, 3), (0, 1)], population: 1..<4, conductanceNS: 2)
        #expect(gap.count == 2)
        #expect(gap.a == [1, 1] && gap.b == [2, 3])
        var current: [Float] = [7, 0, 0, 0]
        gap.apply(v: [0, -60, -50, -70], base: 5, into: &current)
        // Junction (1, 2): flow 2 x (-50 - -60) = 20 into 1, out of 2; (1, 3): 2 x (-70 - -60) = -20.
        let expected: [Float] = [7, 5, -15, 25]
        #expect(current == expected)
    }

    /// Random junctions: the requested mean partner count, inside the population, reproducible.
    @Test func randomJunctionsHaveTheRequestedDegree() {
        var r1 = RNG(seed: 3), r2 = RNG(seed: 3)
        let a = GapJunctions(population: 3200..<4000, partners: 4, conductanceNS: 1, rng: &r1)
        let b = GapJunctions(population: 3200..<4000, partners: 4, conductanceNS: 1, rng: &r2)
        #expect(a == b)
        #expect(a.count == 1600)
        #expect(a.a.allSatisfy { (3200..<4000).contains(Int($0)) } && a.b.allSatisfy { (3200..<4000).contains(Int($0)) })
    }

    /// The COBA network with gap junctions between its inhibitory neurons: off by default (no
    /// control, no coupling), on with `gapPartners`; the `gap_ns` control changes the run and
    /// setting it back to 0 restores the uncoupled currents.
    @Test func networkOptionAndControl() {
        var c = ConductanceNetworkConfig()
        c.excitatory = 400
        c.inhibitory = 100
        c.connectionProbability = 0.05
        let plain = ConductanceNetworkSimulation<ConductanceLIFGroup>(config: c, seed: 2)
        #expect(plain.gap == nil && !plain.controls.contains { $0.name == "gap_ns" })
        c.gapPartners = 6
        c.gapConductanceNS = 0
        var coupled = ConductanceNetworkSimulation<ConductanceLIFGroup>(config: c, seed: 2)
        var uncoupled = plain
        #expect(coupled.gap?.count == 300)
        coupled.advance(300)
        uncoupled.advance(300)
        #expect(coupled.neurons.v == uncoupled.neurons.v)  // g = 0: the same run
        #expect(coupled.setControl("gap_ns", to: 30) == nil)
        coupled.advance(300)
        uncoupled.advance(300)
        #expect(coupled.neurons.v != uncoupled.neurons.v)
        #expect(coupled.setControl("gap_ns", to: 0) == nil)
        #expect(coupled.neurons.current.allSatisfy { $0 == 0 })
        #expect(coupled.setControl("gap_ns", to: 101) != nil)
    }
}
