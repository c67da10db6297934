import Testing
#if canImport(Glibc)
import Glibc
#endif
import SynCore
@testable import SynModels

@Suite struct WhatWhenTests {
    static func threeFactor(eta: Double, gateMs: Double = 100) -> GatedThreeFactorReadout {
        let p = GatedThreeFactorReadout.self
        return GatedThreeFactorReadout(RuleParameterValues(p.parameters, given: [p.eta.key: eta, p.gateHalfWidth.key: gateMs]))
    }

    /// Δw_kj = η g e_k r_j by hand: two traces, one readout. Gate closed: nothing moves. Gate
    /// open, w = 0: Δw = η (1 − 0) r = (0.1, 0.05). Next step z = 0.1·1 + 0.05·0.5 = 0.125,
    /// Δw = 0.1 (1 − 0.125) r = (0.0875, 0.04375).
    @Test func threeFactorUpdateMatchesTheEquationAndRespectsTheGate() {
        var rule = Self.threeFactor(eta: 0.1)
        rule.bind(inputs: 2, outputs: 1)
        let r: [Float] = [1, 0.5]
        var z: [Float] = [0]
        rule.readout(r, into: &z)
        rule.learn(traces: r, targets: [1], readouts: z, gate: false)
        #expect(rule.weights(of: 0) == [0, 0])
        rule.learn(traces: r, targets: [1], readouts: z, gate: true)
        #expect(abs(rule.weights(of: 0)[0] - 0.1) < 1e-7 && abs(rule.weights(of: 0)[1] - 0.05) < 1e-7)
        rule.readout(r, into: &z)
        #expect(abs(z[0] - 0.125) < 1e-7)
        rule.learn(traces: r, targets: [1], readouts: z, gate: true)
        let w = rule.weights(of: 0)
        #expect(abs(w[0] - 0.1875) < 1e-6 && abs(w[1] - 0.09375) < 1e-6, "\(w)")
    }

    /// τ_r dr/dt = −r, +1 per spike: a spike sets r = 1; 30 silent 1 ms steps at τ_r = 30 ms
    /// leave e^(−1); a second spike then adds 1 (traces accumulate); other neurons stay 0.
    @Test func presynapticTraceDecaysWithTauAndAccumulates() {
        var tr = PresynapticTraces(count: 3, tauMs: 30)
        tr.step(spikes: [Int32(1)])
        #expect(tr.values == [0, 1, 0])
        for _ in 0..<30 { tr.step(spikes: [Int32]()) }
        #expect(abs(Double(tr.values[1]) - exp(-1)) < 1e-5)
        tr.step(spikes: [Int32(1)])
        #expect(abs(Double(tr.values[1]) - (exp(-31.0 / 30) + 1)) < 1e-5)
        #expect(tr.values[0] == 0 && tr.values[2] == 0)
    }

    static func smallSimulation(gate: Bool = true) -> WhatWhenSimulation {
        var net = IzhikevichNetworkConfig()
        net.excitatory = 40
        net.inhibitory = 10
        net.outDegree = 5
        net.weightExc = 2
        net.weightExcMax = 2
        net.weightInh = -4
        let rules = WhatWhenRules.registry.rules.map { ConfiguredRule($0, RuleParameterValues($0.parameters)) }
        var c = WhatWhenSimulation.Config(network: net, rules: rules)
        c.gate = gate
        return WhatWhenSimulation(config: c, seed: 3)
    }

    /// No estimate before the first stimulus: the gate is open all trial. After one trial
    /// L̂ = L = 300 ms, so with gate_ms = 100 it is open exactly in [200, 400] ms; the gate
    /// control off opens it everywhere; FORCE has no gate.
    @Test func gateOpensAroundTheLatencyEstimate() {
        var sim = Self.smallSimulation()
        #expect(sim.latencyEstimate == nil)
        #expect(sim.gate(halfWidth: 100, at: 50))
        sim.advance(1000)
        #expect(sim.latencyEstimate == 300)
        #expect(!sim.gate(halfWidth: 100, at: 199) && sim.gate(halfWidth: 100, at: 200))
        #expect(sim.gate(halfWidth: 100, at: 400) && !sim.gate(halfWidth: 100, at: 401))
        #expect(sim.gate(halfWidth: nil, at: 900))
        #expect(sim.setControl("gate", to: 0) == nil)
        #expect(sim.gate(halfWidth: 100, at: 900))
    }

    /// The latency control takes effect at the next trial start and moves L̂ by κ = 0.5:
    /// 300 → 300 + 0.5 (500 − 300) = 400 after the first trial at 500 ms.
    @Test func latencyControlMovesTheEstimateAtTheNextTrial() {
        var sim = Self.smallSimulation()
        sim.advance(1000)
        #expect(sim.setControl("latency_ms", to: 500) == nil)
        sim.advance(10)
        #expect(sim.trialLatencyMs == 500)
        sim.advance(990)
        #expect(sim.latencyEstimate == 400)
    }

    /// Readouts sharing P: each output of a 3-output RLS equals a single-output RLS trained on
    /// the same inputs and that output's targets (P does not depend on the targets).
    @Test func multiOutputRLSEqualsSeparateReadouts() {
        var rng = RNG(seed: 9)
        let d = 5
        var joint = RLSReadout(size: d, delta: 1, forgetting: 1, outputs: 3)
        var single = (0..<3).map { _ in RLSReadout(size: d, delta: 1, forgetting: 1) }
        for _ in 0..<200 {
            let z = (0..<d).map { _ in rng.uniform(0, 1) }
            let t = [Double(z[0]), -2 * Double(z[1]) + 0.3, Double(rng.normal())]
            joint.train(z, targets: t)
            for k in 0..<3 { single[k].train(z, target: t[k]) }
        }
        for k in 0..<3 {
            for i in 0..<d { #expect(abs(joint.weights[k * d + i] - single[k].weights[i]) < 1e-12) }
        }
    }
}
