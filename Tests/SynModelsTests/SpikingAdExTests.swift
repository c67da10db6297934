import Foundation
import Testing
@testable import SynModels

@Suite struct SpikingAdExTests {
    /// Steps `neuron` for `ms` milliseconds at `dtMs` with constant input; the spike times (ms).
    static func run(_ neuron: inout AdExNeuron, current: Double, ms: Double, dtMs: Double = 0.05) -> [Double] {
        var times: [Double] = []
        for k in 0..<Int((ms / dtMs).rounded()) where neuron.step(current: current, dtMs: dtMs) {
            times.append(Double(k + 1) * dtMs)
        }
        return times
    }

    /// Below rheobase the neuron settles on the stable fixed point: w = a (V - E_L) and
    /// I = (g_L + a)(V - E_L) - g_L Δ_T exp((V - V_T)/Δ_T) (the root below V*, by bisection).
    @Test func subthresholdSteadyStateIsTheFixedPoint() throws {
        let p = AdExPattern.adapting.parameters
        let rheobase = try #require(p.saddleNodeCurrentPA)
        let current = 0.6 * rheobase
        var n = AdExNeuron(p)
        let spikes = Self.run(&n, current: current, ms: 3000)
        #expect(spikes.isEmpty)
        let g = p.leakNS + p.adaptationNS
        func f(_ v: Double) -> Double {
            g * (v - p.leakReversalMV) - p.leakNS * p.slopeMV * exp((v - p.thresholdMV) / p.slopeMV) - current
        }
        var lo = p.leakReversalMV, hi = p.thresholdMV + p.slopeMV * log(g / p.leakNS)
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if f(mid) < 0 { lo = mid } else { hi = mid }
        }
        #expect(abs(n.v - lo) < 1e-3, "V \(n.v) vs fixed point \(lo)")
        #expect(abs(n.w - p.adaptationNS * (lo - p.leakReversalMV)) < 1e-2, "w \(n.w)")
    }

    /// The rheobase of the saddle-node case (a/g_L < τ_m/τ_w):
    /// I_SN = (g_L + a)(V_T - E_L - Δ_T + Δ_T ln(1 + a/g_L)) = 220.4 pA for the tonic row.
    /// 2 % below it the neuron never fires; 2 % above it fires repetitively.
    @Test func rheobaseIsTheSaddleNodeCurrent() throws {
        let p = AdExPattern.tonic.parameters
        #expect(p.adaptationNS / p.leakNS < p.tauMMs / p.tauWMs)
        let rheobase = try #require(p.saddleNodeCurrentPA)
        #expect(abs(rheobase - 12 * (18 + 2 * log(1.2))) < 1e-9)
        var below = AdExNeuron(p), above = AdExNeuron(p)
        #expect(Self.run(&below, current: 0.98 * rheobase, ms: 4000).isEmpty)
        #expect(Self.run(&above, current: 1.02 * rheobase, ms: 4000).count >= 5)
    }

    /// Class-I f-I curve (saddle-node onset): the steady rate rises from near 0 just above
    /// rheobase and grows monotonically with I.
    @Test func firingRateRisesContinuouslyFromRheobase() throws {
        let p = AdExPattern.tonic.parameters
        let rheobase = try #require(p.saddleNodeCurrentPA)
        var rates: [Double] = []
        for factor in [1.01, 1.1, 1.5, 2, 3] {
            var n = AdExNeuron(p)
            let t = Self.run(&n, current: factor * rheobase, ms: 3000).filter { $0 >= 1000 }
            rates.append(Double(t.count) / 2)
        }
        #expect(rates[0] > 0 && rates[0] < 10, "rate just above rheobase \(rates[0]) Hz")
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 < $1 }, "\(rates)")
    }

    /// At a spike V is cut at V_peak and reset to V_r, and w jumps by b.
    @Test func resetSetsVrAndAddsBToW() {
        let p = AdExPattern.adapting.parameters
        var n = AdExNeuron(p)
        n.v = p.peakMV - 0.01
        n.w = 10
        let before = n.w
        let spiked = n.step(current: 500, dtMs: 0.05)
        #expect(spiked)
        #expect(n.v == p.resetMV)
        #expect(abs(n.w - (before + p.spikeIncrementPA)) < 1, "w \(n.w)")
    }

    /// Heun at the scene's dt = 0.05 ms agrees with dt = 0.005 ms: the number of spikes in the
    /// 500 ms step differs by at most one for every pattern.
    @Test func integratorIsConvergedAtTheSceneStep() {
        for pattern in AdExPattern.allCases {
            var coarse = AdExNeuron(pattern.parameters), fine = AdExNeuron(pattern.parameters)
            let a = Self.run(&coarse, current: pattern.currentPA, ms: 500, dtMs: 0.05).count
            let b = Self.run(&fine, current: pattern.currentPA, ms: 500, dtMs: 0.005).count
            #expect(abs(a - b) <= 1, "\(pattern.name): \(a) vs \(b) spikes")
        }
    }

    /// The adaptation index and the CV follow their definitions.
    @Test func spikeTrainStatisticsFollowTheirDefinitions() {
        #expect(SpikeTrainStats.adaptationIndex([10, 10, 10]) == 0)
        #expect(abs(SpikeTrainStats.adaptationIndex([10, 20, 40]) - (10.0 / 30 + 20.0 / 60) / 2) < 1e-12)
        #expect(SpikeTrainStats.adaptationIndex([20, 10]) < 0)
        #expect(SpikeTrainStats.cv([5, 5, 5]) == 0)
        #expect(abs(SpikeTrainStats.cv([1, 3]) - 0.5) < 1e-12)
    }

    /// Measures one trial of each pattern through the simulation (the scene's protocol).
    static func trial(_ pattern: AdExPattern) -> [String: Double] {
        var c = AdExConfig()
        c.pattern = pattern
        var sim = AdExSimulation(config: c)
        sim.advance(c.trialSteps + 1)
        return Dictionary(uniqueKeysWithValues: zip(sim.metricNames, sim.measure()))
    }

    /// The patterns are what their names say, in the scene's protocol: tonic is regular, the
    /// adapting row slows down, the delayed rows start late, the bursting and irregular rows
    /// have irregular late intervals, the transient row stops firing.
    @Test func patternsAreDistinctAsNamed() {
        let m = Dictionary(uniqueKeysWithValues: AdExPattern.allCases.map { ($0, Self.trial($0)) })
        func v(_ p: AdExPattern, _ k: String) -> Double { m[p]?[k] ?? .nan }
        #expect(v(.tonic, "isi_cv") < 0.05 && abs(v(.tonic, "adaptation_index")) < 0.05)
        #expect(v(.adapting, "adaptation_index") > 0.02)
        #expect(v(.adapting, "adaptation_index") > v(.tonic, "adaptation_index"))
        #expect(v(.delayedAccelerating, "first_spike_ms") > 2 * v(.tonic, "first_spike_ms"))
        #expect(v(.delayedRegularBursting, "first_spike_ms") > 3 * v(.tonic, "first_spike_ms"))
        #expect(v(.delayedAccelerating, "adaptation_index") < 0)
        #expect(v(.regularBursting, "isi_cv") > 0.5)
        #expect(v(.irregular, "isi_cv") > 0.2)
        #expect(v(.transient, "rate_hz") < v(.tonic, "rate_hz") / 5)
        #expect(v(.initialBurst, "adaptation_index") > 0.05)
        // No two patterns give the same row.
        let rows = AdExPattern.allCases.map { p in AdExSimulation.metricNames.map { v(p, $0) } }
        for i in rows.indices { for j in rows.indices where j > i { #expect(rows[i] != rows[j]) } }
    }

    /// Switching the pattern restarts the trial from rest with the new row and its current.
    @Test func patternControlRestartsTheTrial() {
        var sim = AdExSimulation(config: AdExConfig())
        sim.advance(3000)
        let set = sim.setControl("pattern", to: Double(AdExPattern.irregular.rawValue))
        #expect(set == nil)
        #expect(sim.pattern == .irregular && sim.currentPA == AdExPattern.irregular.currentPA)
        #expect(sim.trialStart == 3000 && sim.neuron.v == AdExPattern.irregular.parameters.leakReversalMV)
        let bad = sim.setControl("pattern", to: 99)
        #expect(bad != nil)
        let current = sim.setControl("current_pa", to: 250)
        #expect(current == nil && sim.currentPA == 250)
        #expect(sim.controls.first?.label == "irregular")
    }
}
