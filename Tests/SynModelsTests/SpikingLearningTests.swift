import Foundation
import Testing
import SynCore
@testable import SynModels

/// Rate coding, the Diehl & Cook trace rule, the winner-take-all layer and neuron labelling of
/// the STDP digit network, checked against hand-computed values.
@Suite struct SpikingLearningTests {
    // MARK: rate coding

    /// Over T steps input i fires Binomial(T, x_i r_max dt) times: mean x r T dt, variance
    /// T p (1 − p); a black pixel never fires.
    @Test func rateCodedCountsHaveMeanRateTimesDuration() {
        let inputs = 64, steps = 1000, rate = 200.0, dt = 0.001
        var coder = RateCoder(inputs: inputs, maxRateHz: rate, dt: dt)
        coder.load((0..<inputs).map { $0 == 0 ? Float(0) : 0.5 })
        var rng = RNG(seed: 7).stream("test")
        var counts = [Int](repeating: 0, count: inputs)
        var spikes = SpikeBuffer(capacity: 64)
        for _ in 0..<steps {
            spikes.removeAll()
            coder.emit(rng: &rng, into: &spikes)
            for k in 0..<spikes.count { counts[Int(spikes[k])] += 1 }
        }
        #expect(counts[0] == 0)
        let p = 0.5 * rate * dt, expected = p * Double(steps)  // 100 spikes
        let lit = counts.dropFirst().map(Double.init)
        let mean = lit.reduce(0, +) / Double(lit.count)
        let variance = lit.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lit.count - 1)
        let binomialVariance = Double(steps) * p * (1 - p)  // 90
        #expect(abs(mean - expected) < 4 * (binomialVariance / Double(lit.count)).squareRoot())
        #expect(variance > 0.5 * binomialVariance && variance < 1.6 * binomialVariance)
    }

    @Test func rateCoderClampsPixelsToProbabilities() {
        var coder = RateCoder(inputs: 3, maxRateHz: 250, dt: 0.001)
        coder.load([-1, 0.4, 2] as [Float])
        #expect(coder.probabilities == [0, 0.1, 0.25])
    }

    // MARK: Diehl & Cook rule

    static func diehlCook(_ given: [String: Double] = [:]) -> DiehlCookSTDP {
        DiehlCookSTDP(RuleParameterValues(DiehlCookSTDP.parameters, given: given))
    }

    /// A pre spike 5 ms before the post spike: x = e^(−5/20); Δw = η (x − x_tar)(w_max − w)^μ.
    @Test func diehlCookUpdateOnAPreThenPostPair() {
        let rule = Self.diehlCook()
        var traces = EventTraces(count: 1, tau: rule.tauPre, dt: 0.001)
        traces.set(0, 1, at: 0)
        let x = traces.value(0, at: 5)
        #expect(abs(Double(x) - exp(-5.0 / 20)) < 1e-6)
        let dw = rule.atPost(w: 0.5, xPre: x, wMax: 1)
        let hand = 0.01 * (exp(-5.0 / 20) - 0.4) * pow(0.5, 0.2)  // 0.0032977
        #expect(abs(Double(dw) - hand) < 1e-7)
    }

    /// An input silent for 100 ms (x ≈ 0) is depressed by η x_tar (w_max − w)^μ; a synapse at
    /// w_max cannot move; μ = 0 is additive.
    @Test func diehlCookDepressesSilentInputsAndRespectsTheBound() {
        let rule = Self.diehlCook()
        #expect(abs(Double(rule.atPost(w: 0.2, xPre: 0, wMax: 1)) + 0.01 * 0.4 * pow(0.8, 0.2)) < 1e-7)
        #expect(rule.atPost(w: 1, xPre: 1, wMax: 1) == 0)
        let additive = Self.diehlCook(["mu": 0])
        #expect(abs(additive.atPost(w: 0.9, xPre: 1, wMax: 1) - 0.01 * 0.6) < 1e-7)
        #expect(abs(additive.atPost(w: 0.1, xPre: 1, wMax: 1) - 0.01 * 0.6) < 1e-7)
    }

    // MARK: winner-take-all layer

    static func layer(_ n: Int) -> WTALayer {
        WTALayer(neurons: n, leak: 0.01, restMV: -65, resetMV: -65, thresholdMV: -52, refractorySteps: 5, thetaPlusMV: 0.05)
    }

    /// From rest, inputs of 14, 20 and 5 mV: without leak loss below threshold neurons 0 and 1
    /// cross -52 mV. WTA: only neuron 1 (furthest above) spikes and every V resets; without
    /// WTA both spike and neuron 2 keeps its depolarisation.
    @Test func winnerTakeAllLetsOnlyTheFurthestAboveThresholdSpike() {
        var wta = Self.layer(3)
        var spikes = SpikeBuffer(capacity: 4)
        wta.step(current: [14, 20, 5], wta: true, adaptive: true, spikes: &spikes)
        #expect(spikes.array == [1])
        #expect(wta.v == [-65, -65, -65])
        #expect(wta.theta == [0, 0.05, 0])
        var free = Self.layer(3)
        spikes.removeAll()
        free.step(current: [14, 20, 5], wta: false, adaptive: false, spikes: &spikes)
        #expect(spikes.array == [0, 1])
        #expect(free.v[2] == -60)
        #expect(free.theta == [0, 0, 0])
    }

    /// A neuron that spiked is clamped at V_reset for t_ref steps, then integrates again.
    @Test func refractoryNeuronIgnoresInputForTRefSteps() {
        var l = Self.layer(1)
        var spikes = SpikeBuffer(capacity: 2)
        l.step(current: [20], wta: true, adaptive: true, spikes: &spikes)
        #expect(spikes.count == 1)
        for _ in 0..<5 {
            spikes.removeAll()
            l.step(current: [20], wta: true, adaptive: true, spikes: &spikes)
            #expect(spikes.count == 0)
            #expect(l.v[0] == -65)
        }
        spikes.removeAll()
        l.step(current: [20], wta: true, adaptive: true, spikes: &spikes)
        #expect(spikes.count == 1)
    }

    // MARK: labelling

    /// Neuron labels maximise mean response per digit shown; classification averages over each
    /// class's neurons; a silent neuron gets no label.
    @Test func neuronsAreLabelledByTheirBestClassAndVoteByMeanCount() {
        // 3 neurons x 2 classes; class 0 shown 2 times, class 1 shown 4 times.
        let response: [Double] = [4, 4,   // neuron 0: 2.0 vs 1.0 per digit -> class 0
                                  2, 12,  // neuron 1: 1.0 vs 3.0 -> class 1
                                  0, 0]   // neuron 2: silent -> -1
        let labels = STDPWTASimulation.assign(response: response, shown: [2, 4], neurons: 3, classes: 2)
        #expect(labels == [0, 1, -1])
        #expect(STDPWTASimulation.classify(counts: [3, 1, 9], assignment: labels, classes: 2) == 0)
        #expect(STDPWTASimulation.classify(counts: [0, 2, 9], assignment: labels, classes: 2) == 1)
        #expect(STDPWTASimulation.classify(counts: [0, 0, 9], assignment: labels, classes: 2) == nil)
    }

    /// Each neuron's weights sum to 0.1 · n_in · w_max after construction (normalisation).
    @Test func weightsAreNormalisedPerNeuron() {
        var c = STDPWTAConfig()
        c.neurons = 5
        let sim = STDPWTASimulation(config: c, rules: [Self.diehlCook()], names: ["diehl_cook"], start: 0, seed: 3)
        for j in 0..<5 {
            let s = sim.weights.row(j).reduce(0, +)
            #expect(abs(s - 6.4) < 1e-4)
        }
    }
}
