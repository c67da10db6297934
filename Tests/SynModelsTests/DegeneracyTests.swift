#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import SynCore
@testable import SynModels

/// The degeneracy scene's pieces: flip-flop targets on a hand sequence, the BPTT gradient of the
/// regularised loss against central differences, the weight distance of a network and its
/// signed-permuted copy, DMD on a known linear system, and the ensemble's duplicate at distance 0.
@Suite struct DegeneracyTests {
    @Test func flipFlopTargetsFollowTheLastPulse() {
        // Two streams side by side (time-major rows t·2 + c), 2 bits.
        let pulses: [[Float]] = [
            [0, 0], [0, 1],     // t = 0: stream 0 nothing, stream 1 bit 2 up
            [1, 0], [0, 0],     // t = 1
            [0, -1], [-1, 0],   // t = 2
            [0, 0], [0, 0],     // t = 3
            [-1, 1], [0, -1],   // t = 4
        ]
        let targets = FlipFlopTask.targets(pulses: pulses.flatMap { $0 }, bits: 2, sequences: 2)
        let want: [[Float]] = [
            [0, 0], [0, 1],
            [1, 0], [0, 1],
            [1, -1], [-1, 1],
            [1, -1], [-1, 1],
            [-1, 1], [-1, -1],
        ]
        #expect(targets == want.flatMap { $0 })
        #expect(FlipFlopTask.withBias([1, 0, 0, -1], bits: 2) == [1, 0, 1, 0, -1, 1])
        // A drawn batch: inputs are the pulses plus the bias, targets agree with them.
        let task = FlipFlopTask(bits: 3, pFlip: 0.1)
        var rng = RNG(seed: 4)
        let (u, y) = task.batch(steps: 400, sequences: 5, rng: &rng)
        var pulseRows = [Float](), nonzero = 0
        for r in 0..<(400 * 5) {
            #expect(u[r * 4 + 3] == 1)
            for k in 0..<3 { pulseRows.append(u[r * 4 + k]); if u[r * 4 + k] != 0 { nonzero += 1 } }
        }
        #expect(FlipFlopTask.targets(pulses: pulseRows, bits: 3, sequences: 5) == y)
        #expect(abs(Double(nonzero) / 6000 - 0.1) < 0.02)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let task = FlipFlopTask(bits: 2, pFlip: 0.2)
        var rng = RNG(seed: 11)
        var net = FlipFlopNetwork(units: 5, task: task, gain: 1.2, rng: &rng)
        for i in net.rnn.params.indices { net.rnn.params[i] += 0.1 * rng.normal() }   // non-zero bias too
        let (u, y) = task.batch(steps: 7, sequences: 3, rng: &rng)
        let l2: Float = 0.01
        var g = [Float](repeating: 0, count: net.rnn.params.count)
        let mse = net.lossAndGradient(inputs: u, targets: y, sequences: 3, l2: l2, into: &g)
        #expect(abs(mse - net.mse(inputs: u, targets: y, sequences: 3)) < 1e-6)
        let h: Float = 1e-2
        var worst = 0.0, scale = 0.0
        for i in net.rnn.params.indices {
            var p = net, m = net
            p.rnn.params[i] += h
            m.rnn.params[i] -= h
            let fd = (p.loss(inputs: u, targets: y, sequences: 3, l2: l2) - m.loss(inputs: u, targets: y, sequences: 3, l2: l2)) / Double(2 * h)
            worst = max(worst, abs(fd - Double(g[i])))
            scale = max(scale, abs(Double(g[i])))
        }
        #expect(scale > 1e-2)
        #expect(worst < 2e-3 * max(1, scale), "worst |fd - grad| = \(worst), scale \(scale)")
    }

    @Test func weightDistanceIsZeroForASignedPermutedCopy() {
        let n = 10
        let task = FlipFlopTask(bits: 2, pFlip: 0.1)
        var rng = RNG(seed: 5)
        let a = FlipFlopNetwork(units: n, task: task, gain: 1.5, rng: &rng)
        // h'_j = s_j h_{π(j)}: W'[i, j] = s_i s_j W[π(i), π(j)], U'[i, :] = s_i U[π(i), :], C'[:, j] = s_j C[:, π(j)].
        var pi = Array(0..<n)
        rng.shuffle(&pi)
        let s: [Float] = (0..<n).map { _ in rng.bernoulli(0.5) ? 1 : -1 }
        var b = a
        let ni = task.inputs, no = task.bits
        for i in 0..<n {
            for j in 0..<n { b.rnn.params[i * n + j] = s[i] * s[j] * a.rnn.params[pi[i] * n + pi[j]] }
            for k in 0..<ni { b.rnn.params[a.rnn.bOffset + i * ni + k] = s[i] * a.rnn.params[a.rnn.bOffset + pi[i] * ni + k] }
            for o in 0..<no { b.rnn.params[a.rnn.zOffset + o * n + i] = s[i] * a.rnn.params[a.rnn.zOffset + o * n + pi[i]] }
        }
        let (u, _) = task.batch(steps: 300, sequences: 2, rng: &rng)
        let ra = a.rnn.run(u, conditions: 2), rb = b.rnn.run(u, conditions: 2)
        for k in ra.outputs.indices { #expect(abs(ra.outputs[k] - rb.outputs[k]) < 1e-4) }
        let match = UnitMatching.match(ra.rateMatrix(units: n), rb.rateMatrix(units: n))
        for j in 0..<n {
            #expect(match.partner[pi[j]] == j)
            #expect(match.sign[pi[j]] == s[j])
        }
        #expect(UnitMatching.distance(a.recurrent, b.recurrent, n: n, match: match) == 0)
        // Unmatched (identity), the same copy is far away; an independent network too.
        let identity = UnitMatching.Match(partner: Array(0..<n), sign: [Float](repeating: 1, count: n))
        #expect(UnitMatching.distance(a.recurrent, b.recurrent, n: n, match: identity) > 0.5)
        let c = FlipFlopNetwork(units: n, task: task, gain: 1.5, rng: &rng)
        let rc = c.rnn.run(u, conditions: 2)
        let d = UnitMatching.distance(a.recurrent, c.recurrent, n: n, match: UnitMatching.match(ra.rateMatrix(units: n), rc.rateMatrix(units: n)))
        #expect(d > 0.8 && d < 2)
    }

    @Test func dmdRecoversTheEigenvaluesOfALinearSystem() {
        // x_{t+1} = A x_t in 3 dimensions (A = S diag(ρ R(θ), 0.5) S⁻¹ written out), seen through a
        // fixed 5 × 3 map with an offset, 4 streams of 40 steps.
        let r = 0.9, th = 0.3
        let a: [Double] = [r * cos(th), -r * sin(th), 0.2,
                           r * sin(th), r * cos(th), -0.1,
                           0, 0, 0.5]
        var rng = RNG(seed: 9)
        let map = (0..<15).map { _ in Double(rng.normal()) }
        let c = 4, steps = 40
        var states = Matrix(rows: steps * c, cols: 5)
        for s in 0..<c {
            var x = (0..<3).map { _ in Double(rng.normal()) }
            for t in 0..<steps {
                for i in 0..<5 {
                    var v = 0.3 * Double(i)
                    for k in 0..<3 { v += map[i * 3 + k] * x[k] }
                    states.storage[(t * c + s) * 5 + i] = Float(v)
                }
                x = (0..<3).map { i in (0..<3).reduce(0.0) { $0 + a[i * 3 + $1] * x[$1] } }
            }
        }
        let got = DelayDMD.spectrum(states, sequences: c, rank: 3, delays: 1)
        let want = [ComplexValue(r * cos(th), r * sin(th)), ComplexValue(r * cos(th), -r * sin(th)), ComplexValue(0.5)]
        #expect(got.count == 3)
        #expect(DelayDMD.spectrumDistance(got, want) < 1e-3, "\(got)")
        // The spectrum distance pairs values optimally: {0.5, 1} vs {1.1, 0.5} → √(0.01 / 2).
        let d = DelayDMD.spectrumDistance([ComplexValue(0.5), ComplexValue(1)], [ComplexValue(1.1), ComplexValue(0.5)])
        #expect(abs(d - (0.01 / 2).squareRoot()) < 1e-12)
    }

    @Test func duplicateSitsAtZeroAndDistinctSeedsDoNot() {
        let rule = AdamW(RuleParameterValues(AdamW.parameters, given: ["weight_decay": 0, "eta": 0.01]))
        let config = DegeneracySimulation.Config(units: 8, steps: 20, batch: 8, updates: 40, seeds: 2, duplicate: true, oodSteps: 40,
                                                 oodSequences: 4, dmdRank: 3, dmdDelays: 2, rules: [rule])
        var sim = DegeneracySimulation(config: config, seed: 2)
        let names = sim.metricNames
        func value(_ m: [Double], _ name: String) -> Double { names.firstIndex(of: name).map { m[$0] } ?? .infinity }
        sim.advance(40)
        var m = sim.measure()
        #expect(value(m, "weight_dist").isNaN && value(m, "networks_done") == 1)
        #expect(value(m, "mse_dup").isNaN && value(m, "mse_net2").isFinite)
        let before = value(m, "mse_net1")
        sim.advance(80)
        m = sim.measure()
        #expect(value(m, "networks_done") == 3)
        for level in ["behaviour", "dynamics", "cka", "weight", "dsa"] {
            #expect(value(m, "duplicate_\(level)_dist") == 0, "\(level)")
            let d = value(m, "\(level)_dist")
            #expect(d.isFinite && d > 1e-4, "\(level): \(d)")
        }
        #expect(value(m, "mse_dup") == before)
        #expect(value(m, "weight_change") > 0 && value(m, "weight_change") < 1)
        #expect(sim.events.map(\.label) == ["net1 trained", "net2 trained", "dup trained"])
    }
}
