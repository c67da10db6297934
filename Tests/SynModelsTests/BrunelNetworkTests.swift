import Foundation
import Testing
import SynCore
@testable import SynModels

@Suite struct BrunelNetworkTests {
    static func config(threads: Int) -> BrunelNetworkConfig {
        var c = BrunelNetworkConfig()
        c.excitatory = 800
        c.inhibitory = 200
        c.epsilon = 0.1
        c.threads = threads
        return c
    }

    /// The same network on 1, 2 and 3 threads, advanced in different chunks: membrane
    /// potentials, every spike (step and neuron), the metrics and the event count agree bit
    /// for bit.
    @Test func oneAndManyThreadsGiveTheSameBits() {
        var runs: [(v: [Float], steps: [Int32], neurons: [Int32], metrics: [Double], events: Int)] = []
        for (threads, chunks) in [(1, [3000]), (2, [1, 999, 2000]), (3, [1500, 1500])] {
            var sim = BrunelNetworkSimulation(config: Self.config(threads: threads), seed: 7)
            #expect(sim.threads == threads)
            var metrics: [Double] = []
            for c in chunks { sim.advance(c) }
            metrics = sim.measure()
            let s = sim.recorder.spikes(after: 0)
            #expect(s.lost == 0)
            runs.append((sim.v, s.steps, s.neurons, metrics, sim.synapticEvents))
        }
        #expect(runs[0].steps.count > 1000, "the network must fire for the comparison to mean something")
        for r in runs.dropFirst() {
            #expect(r.v.map(\.bitPattern) == runs[0].v.map(\.bitPattern))
            #expect(r.steps == runs[0].steps && r.neurons == runs[0].neurons)
            #expect(r.metrics.map(\.bitPattern) == runs[0].metrics.map(\.bitPattern))
            #expect(r.events == runs[0].events)
        }
    }

    /// A live change of g and eta (a control) at the same step gives the same bits on 1 and 2
    /// threads too.
    @Test func controlsKeepThreadsIdentical() {
        var a = BrunelNetworkSimulation(config: Self.config(threads: 1), seed: 3)
        var b = BrunelNetworkSimulation(config: Self.config(threads: 2), seed: 3)
        a.advance(500); b.advance(500)
        #expect(a.setControl("regime", to: 2) == nil && b.setControl("regime", to: 2) == nil)
        #expect(a.g == 6 && a.eta == 4)
        a.advance(1000); b.advance(1000)
        #expect(a.v.map(\.bitPattern) == b.v.map(\.bitPattern))
        #expect(a.measure().map(\.bitPattern) == b.measure().map(\.bitPattern))
    }

    /// Every neuron receives exactly C_E excitatory and C_I inhibitory synapses, whatever the
    /// number of per-thread CSRs they are split into.
    @Test(arguments: [1, 3])
    func fixedInDegree(threads: Int) {
        let c = Self.config(threads: threads)
        let sim = BrunelNetworkSimulation(config: c, seed: 1)
        #expect(sim.synapseCount == c.neurons * (c.inDegreeE + c.inDegreeI))
        var fromE = [Int](repeating: 0, count: c.neurons), fromI = fromE
        let n = c.neurons
        for p in 0..<sim.threads {
            for i in 0..<n {
                for k in Int(sim.rowStart[p * (n + 1) + i])..<Int(sim.rowStart[p * (n + 1) + i + 1]) {
                    let j = Int(sim.targets[k])
                    #expect(sim.ranges[p].contains(j))
                    if i < c.excitatory { fromE[j] += 1 } else { fromI[j] += 1 }
                }
            }
        }
        #expect(fromE.allSatisfy { $0 == 80 } && fromI.allSatisfy { $0 == 20 })
    }

    /// Without input V decays as V0 e^(-t/τ); a spike (neuron 0 on itself, C_E = 1) lands
    /// exactly D = 15 steps later as a jump of J.
    @Test func decayAndDelayedJump() {
        var c = BrunelNetworkConfig()
        c.excitatory = 1
        c.inhibitory = 0
        c.epsilon = 1
        c.eta = 0
        c.refractory = 0
        c.jMV = 0.5
        c.v0LowMV = 25  // above threshold: fires at step 0
        c.v0HighMV = 25
        c.threads = 1
        var sim = BrunelNetworkSimulation(config: c, seed: 1)
        sim.advance(1)
        #expect(sim.recorder.totalSpikes == 1 && sim.v[0] == 10)
        sim.advance(14)  // steps 1...14: free decay from V_r
        let decay = exp(-c.dt / c.tauM)
        #expect(abs(Double(sim.v[0]) - 10 * pow(decay, 14)) < 1e-5)
        sim.advance(1)  // step 15: the jump sent at step 0 arrives
        #expect(abs(Double(sim.v[0]) - (10 * pow(decay, 15) + 0.5)) < 1e-5)
        #expect(sim.synapticEvents == 1)
    }

    /// The external drive's count table is the Poisson CDF: P(0) = e^-λ, mean λ = η θ dt / (J τ).
    @Test func externalDriveIsPoissonAtEtaTimesThreshold() {
        let c = BrunelNetworkConfig()
        let sim = BrunelNetworkSimulation(config: { var k = Self.config(threads: 1); k.eta = 2; return k }(), seed: 1)
        #expect(abs(sim.externalSpikesPerStep - 2 * c.thresholdMV * c.dt / (c.jMV * c.tauM)) < 1e-12)
        let cdf = BrunelNetworkSimulation.cdf(lambda: 2)
        #expect(abs(cdf[0] - exp(-2)) < 1e-15 && abs(cdf[1] - 3 * exp(-2)) < 1e-15 && cdf.last == 1)
    }
}
