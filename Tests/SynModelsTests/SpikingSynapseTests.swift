import Foundation
import Testing
import SynCore
@testable import SynModels

@Suite struct SpikingSynapseTests {
    static func buffer(_ xs: [Int32]) -> SpikeBuffer {
        var b = SpikeBuffer(capacity: 1)
        for x in xs { b.append(x) }
        return b
    }

    /// Event-driven CSR propagation equals the dense product W^T s for a spike vector s.
    @Test func csrPropagationEqualsDensePropagation() {
        var rng = RNG(seed: 11)
        var proj = Projection(pre: 60, post: 45, connectivity: .fixedProbability(0.3, allowSelf: true), rng: &rng) { _, _, r in
            r.normal()
        }
        let spiking: [Int32] = [0, 3, 7, 7, 20, 59]  // a repeated index counts twice
        var target = [Float](repeating: 0, count: 45)
        let events = proj.propagate(Self.buffer(spiking), step: 0, into: &target)
        let dense = proj.sparse.dense()
        var s = [Float](repeating: 0, count: 60)
        for i in spiking { s[Int(i)] += 1 }
        var expected = [Float](repeating: 0, count: 45)
        Kernels.gemvT(dense, s, into: &expected)
        for j in 0..<45 { #expect(abs(target[j] - expected[j]) < 1e-5) }
        #expect(events == spiking.reduce(0) { $0 + proj.outDegree(Int($1)) })
        // The column index lists every synapse once, grouped by post neuron.
        #expect(proj.colSyn.sorted() == (0..<Int32(proj.synapseCount)).map { $0 })
        for j in 0..<45 {
            for c in Int(proj.colStart[j])..<Int(proj.colStart[j + 1]) { #expect(Int(proj.post[Int(proj.colSyn[c])]) == j) }
        }
    }

    /// With offsets, only spikes of this projection's pre range are sent.
    @Test func offsetSelectsThePreRange() {
        var rng = RNG(seed: 2)
        var proj = Projection(pre: 4, post: 4, connectivity: .oneToOne, rng: &rng) { _, _, _ in 2 }
        var target = [Float](repeating: 0, count: 4)
        proj.propagate(Self.buffer([1, 10, 12]), offset: 10, step: 0, into: &target)
        #expect(target == [2, 0, 2, 0])
    }

    /// Connectivity rules give their defining counts.
    @Test func connectivityRulesHaveTheirDefiningDegrees() {
        var rng = RNG(seed: 5)
        let inDeg = Projection(pre: 50, post: 40, connectivity: .fixedInDegree(7, allowSelf: false), rng: &rng) { _, _, _ in 1 }
        for j in 0..<40 {
            #expect(inDeg.colStart[j + 1] - inDeg.colStart[j] == 7)
            for c in Int(inDeg.colStart[j])..<Int(inDeg.colStart[j + 1]) { #expect(Int(inDeg.pre[Int(inDeg.colSyn[c])]) != j) }
        }
        let outDeg = Projection(pre: 30, post: 30, connectivity: .fixedOutDegree(9, allowSelf: false), rng: &rng) { _, _, _ in 1 }
        for i in 0..<30 {
            #expect(outDeg.outDegree(i) == 9)
            let row = outDeg.post[Int(outDeg.rowStart[i])..<Int(outDeg.rowStart[i + 1])]
            #expect(!row.contains(Int32(i)))
            #expect(Set(row).count == 9)
        }
        let all = Projection(pre: 6, post: 5, connectivity: .allToAll, rng: &rng) { _, _, _ in 1 }
        #expect(all.synapseCount == 30)
        let one = Projection(pre: 6, post: 5, connectivity: .oneToOne, rng: &rng) { _, _, _ in 1 }
        #expect(one.synapseCount == 5 && one.post == [0, 1, 2, 3, 4])
        // Fixed probability: Binomial(n^2, p) count within 4 SD; no self pairs when excluded.
        let n = 400, p = 0.05
        let prob = Projection(pre: n, post: n, connectivity: .fixedProbability(p, allowSelf: false), rng: &rng) { _, _, _ in 1 }
        let mean = Double(n * (n - 1)) * p
        #expect(abs(Double(prob.synapseCount) - mean) < 4 * (mean * (1 - p)).squareRoot())
        for i in 0..<n {
            #expect(!prob.post[Int(prob.rowStart[i])..<Int(prob.rowStart[i + 1])].contains(Int32(i)))
        }
    }

    /// A spike sent with delay d at step t lands in the target at the propagation of step t + d.
    @Test func delayedSpikesLandExactlyDStepsLater() {
        var proj = Projection(pre: 2, post: 2, rowStart: [0, 1, 2], post: [1, 0], weight: [1.5, -2], delays: [3, 0])
        var target = [Float](repeating: 0, count: 2)
        proj.propagate(Self.buffer([0, 1]), step: 10, into: &target)
        #expect(target == [-2, 0])  // delay 0 lands now; delay 3 is in flight
        for t in 11...12 {
            proj.propagate(Self.buffer([]), step: t, into: &target)
            #expect(target == [-2, 0])
        }
        proj.propagate(Self.buffer([]), step: 13, into: &target)
        #expect(target == [-2, 1.5])
        proj.propagate(Self.buffer([]), step: 16, into: &target)
        #expect(target == [-2, 1.5])
    }

    /// Vogels et al. 2011: a post (E) spike k steps after a pre (I) spike strengthens |w| by
    /// eta e^(-k dt/tau); a pre spike without post activity weakens it by eta alpha,
    /// alpha = 2 rho0 tau; weights stay negative.
    @Test func inhibitorySTDPFollowsItsUpdateRule() {
        let dt = 1e-4
        var proj = Projection(pre: 1, post: 2, rowStart: [0, 2], post: [0, 1], weight: [-5, -5], wMin: -40, wMax: 0)
        var rule = InhibitorySTDP(RuleParameterValues(InhibitorySTDP.parameters, given: ["eta_mv": 0.5, "rho0_hz": 4, "tau_ms": 20]))
        rule.bind(projection: proj, plasticPost: 2, dt: dt, probeSynapse: 0)
        let none = Self.buffer([])
        rule.step(preSpikes: Self.buffer([7]), preOffset: 7, postSpikes: none, step: 0, projection: &proj)
        let alphaStep = 0.5 * 2 * 4 * 0.02
        #expect(abs(Double(proj.weight[0]) - (-5 + alphaStep)) < 1e-6)
        rule.step(preSpikes: none, preOffset: 7, postSpikes: Self.buffer([0]), step: 120, projection: &proj)
        let expected = -5 + alphaStep - 0.5 * exp(-120 * dt / 0.02)
        #expect(abs(Double(proj.weight[0]) - expected) < 1e-6)
        #expect(abs(Double(proj.weight[1]) - (-5 + alphaStep)) < 1e-6)  // silent cell: weaker inhibition
        rule.rho0 = 400  // alpha follows rho0: now a pre spike removes all inhibition (clipped at 0)
        rule.step(preSpikes: Self.buffer([7]), preOffset: 7, postSpikes: none, step: 200, projection: &proj)
        #expect(proj.weight == [0, 0])
    }

    /// The recorder: rates, CV 0 for a periodic train, the raster window and a bounded ring.
    @Test func spikeRecorderStatisticsAndBoundedRaster() {
        var rec = SpikeRecorder(neuronCount: 3, capacity: 8, windowSteps: 100)
        for s in 0..<100 {
            var spikes: [Int32] = []
            if s % 10 == 0 { spikes.append(0) }      // periodic: CV 0
            if s % 25 == 3 { spikes.append(2) }
            rec.record(step: s, spikes: Self.buffer(spikes))
        }
        #expect(rec.counts == [10, 0, 4])
        #expect(abs(rec.meanRateHz(dt: 0.001) - 14.0 / (3 * 0.1)) < 1e-9)
        #expect(rec.cvISI(minIntervals: 3) == 0)
        let r = rec.raster(fromStep: 0, toStep: 100)
        #expect(r.steps.count == 8)  // only the last `capacity` spikes are kept
        #expect(r.steps.last == 90 && r.neurons.last == 0)
        #expect(rec.raster(fromStep: 60, toStep: 80).steps == [60, 70, 78])
        #expect(rec.recentCount(steps: 10) == 1)
    }
}
