import Foundation
import Testing
import SynCore
@testable import SynModels

@Suite struct SpikingLIFTests {
    /// Sub-threshold v with an initial ge and gi (no spikes) follows the closed-form solution of
    /// the linear system: u(t) = u0 e^(-t/tm) + sum_x x0 tx/(tx - tm) (e^(-t/tx) - e^(-t/tm)).
    @Test func exactIntegrationMatchesTheClosedFormSolution() {
        var p = LIFParameters.cuba
        p.restMV = -70
        p.thresholdMV = 100  // never fires
        let dt = 1e-4
        var g = LIFGroup(count: 3, parameters: p, dt: dt)
        let v0: [Float] = [-70, -65, -80]
        let ge0: [Float] = [5, 0, 12]
        let gi0: [Float] = [0, -7, -3]
        for i in 0..<3 { g.v[i] = v0[i]; g.ge[i] = ge0[i]; g.gi[i] = gi0[i] }
        var rng = RNG(seed: 1)
        var spikes = SpikeBuffer(capacity: 4)
        let steps = 300
        for s in 0..<steps { g.update(step: s, noise: &rng, spikes: &spikes) }
        #expect(spikes.count == 0)
        let t = Double(steps) * dt
        for i in 0..<3 {
            func term(_ x0: Float, _ tau: Double) -> Double {
                Double(x0) * tau / (tau - p.tauM) * (exp(-t / tau) - exp(-t / p.tauM))
            }
            let u = Double(v0[i] - -70) * exp(-t / p.tauM) + term(ge0[i], p.tauE) + term(gi0[i], p.tauI)
            #expect(abs(Double(g.v[i]) - (-70 + u)) < 2e-4, "neuron \(i): \(g.v[i]) vs \(-70 + u)")
            #expect(abs(Double(g.ge[i]) - Double(ge0[i]) * exp(-t / p.tauE)) < 1e-5)
        }
    }

    /// The LIF f-I curve: with constant drive RI (mV), the rate equals
    /// 1 / (t_ref + tau ln((RI - (Vr - El)) / (RI - (Vt - El)))) within 1 %. On the step grid
    /// the period is exactly refractorySteps + ceil(t*/dt) steps (t*: continuous rise time),
    /// which is also checked.
    @Test func constantDriveRateMatchesTheClosedFormFICurve() {
        var p = LIFParameters.cuba
        p.restMV = -65
        p.thresholdMV = -50
        p.resetMV = -60
        p.refractory = 0.002
        let drives: [Double] = [16, 18, 20, 25, 30, 35, 40, 12]  // last: below threshold, silent
        let dt = 1e-4
        var g = LIFGroup(count: drives.count, parameters: p, dt: dt)
        for (i, d) in drives.enumerated() { g.bias[i] = Float(d); g.v[i] = -60 }
        var rng = RNG(seed: 1)
        var spikes = SpikeBuffer(capacity: 16)
        var first = [Int](repeating: -1, count: drives.count)
        var last = [Int](repeating: -1, count: drives.count)
        var count = [Int](repeating: 0, count: drives.count)
        for s in 0..<20_000 {
            spikes.removeAll()
            g.update(step: s, noise: &rng, spikes: &spikes)
            for k in 0..<spikes.count {
                let i = Int(spikes[k])
                if first[i] < 0 { first[i] = s }
                last[i] = s
                count[i] += 1
            }
            g.reset(spikes, step: s)
        }
        for (i, d) in drives.enumerated() {
            let f = p.rateHz(driveMV: d)
            if f == 0 { #expect(count[i] == 0); continue }
            #expect(count[i] > 10)
            let period = Double(last[i] - first[i]) / Double(count[i] - 1) * dt
            let rise = p.tauM * log((d - (p.resetMV - p.restMV)) / (d - (p.thresholdMV - p.restMV)))
            let gridPeriod = Double(g.refractorySteps) + (rise / dt).rounded(.up)
            #expect(abs(period / dt - gridPeriod) < 1e-9, "drive \(d): \(period / dt) steps vs \(gridPeriod)")
            #expect(abs(1 / period - f) / f < 0.01, "drive \(d): \(1 / period) Hz vs closed form \(f) Hz")
        }
    }

    /// The specialised update (no bias, adaptation, noise or threshold offsets) agrees with the
    /// general one: same spikes, potentials within Float rounding.
    @Test func fastAndGeneralUpdatePathsAgree() {
        let p = LIFParameters.cuba
        var fast = LIFGroup(count: 21, parameters: p, dt: 1e-4)
        var general = fast
        general.bias = [Float](repeating: 0, count: general.bias.count)  // forces the general path
        #expect(!fast.hasBias && general.hasBias)
        var rng = RNG(seed: 9)
        for i in 0..<21 { fast.v[i] = rng.uniform(-60, -50) }
        general.v = fast.v
        var sf = SpikeBuffer(capacity: 32), sg = SpikeBuffer(capacity: 32)
        var noise = RNG(seed: 1)
        for s in 0..<3000 {
            if s % 7 == 0 {
                let j = rng.int(below: 21)
                let w = rng.uniform(-3, 4)
                fast.ge[j] += w; general.ge[j] += w
            }
            sf.removeAll(); sg.removeAll()
            fast.update(step: s, noise: &noise, spikes: &sf)
            general.update(step: s, noise: &noise, spikes: &sg)
            #expect(sf.array == sg.array)
            fast.reset(sf, step: s)
            general.reset(sg, step: s)
        }
        for i in 0..<21 { #expect(abs(fast.v[i] - general.v[i]) < 1e-3) }
    }

    /// Adaptive LIF: with a spike-triggered adaptation current, inter-spike intervals lengthen
    /// (spike-frequency adaptation); without it they are constant.
    @Test func adaptationLengthensInterspikeIntervals() {
        var p = LIFParameters.cuba
        p.restMV = -65
        p.refractory = 0.002
        p.tauA = 0.1
        p.adaptationMV = 3
        var g = LIFGroup(count: 1, parameters: p, dt: 1e-4)
        g.bias[0] = 30
        g.v[0] = -60
        var rng = RNG(seed: 1)
        var b = SpikeBuffer(capacity: 2)
        var times: [Int] = []
        for s in 0..<5000 {
            b.removeAll()
            g.update(step: s, noise: &rng, spikes: &b)
            if b.count > 0 { times.append(s) }
            g.reset(b, step: s)
        }
        let isi = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(isi.count >= 5)
        #expect(Double(isi.last ?? 0) > 1.5 * Double(isi.first ?? 1), "\(isi)")
        #expect(zip(isi.dropFirst(), isi).prefix(4).allSatisfy { $0 >= $1 })
    }

    /// Membrane noise is an exact Ornstein-Uhlenbeck step: the free membrane's stationary SD
    /// equals `noiseMV` (within 5 % over many independent neurons).
    @Test func membraneNoiseHasTheStationaryStandardDeviation() {
        var p = LIFParameters.cuba
        p.restMV = -70
        p.thresholdMV = 100
        p.noiseMV = 2
        var g = LIFGroup(count: 400, parameters: p, dt: 1e-4)
        for i in 0..<400 { g.v[i] = -70 }
        var rng = RNG(seed: 3)
        var b = SpikeBuffer(capacity: 1)
        for s in 0..<2000 { g.update(step: s, noise: &rng, spikes: &b) }  // 5 tauM
        let v = g.v.prefix(400).map { Double($0) + 70 }
        let sd = (v.reduce(0) { $0 + $1 * $1 } / 400).squareRoot()
        #expect(abs(sd - 2 * (1 - exp(-2 * 0.2 / 0.02)).squareRoot()) < 0.1, "SD \(sd)")
    }

    /// Refractoriness: after a spike v stays at Vr for exactly refractorySteps updates.
    @Test func refractoryPeriodHoldsVAtResetForItsSteps() {
        var p = LIFParameters.cuba
        p.refractory = 0.005
        var g = LIFGroup(count: 1, parameters: p, dt: 1e-4)
        g.v[0] = -49.9  // El = -49 > Vt: fires repeatedly
        var rng = RNG(seed: 1)
        var spikes = SpikeBuffer(capacity: 2)
        var spikeSteps: [Int] = []
        var heldSteps = 0
        for s in 0..<1200 {
            spikes.removeAll()
            g.update(step: s, noise: &rng, spikes: &spikes)
            if spikes.count > 0 { spikeSteps.append(s) }
            g.reset(spikes, step: s)
            if spikeSteps.count == 1, s > spikeSteps[0], g.v[0] == Float(p.resetMV) { heldSteps += 1 }
        }
        #expect(spikeSteps.count >= 2)
        #expect(g.refractorySteps == 50)
        // The spike step itself leaves v at Vr; then 50 frozen updates; the 51st integrates.
        #expect(heldSteps == 50)
    }
}

@Suite struct SpikingCubaTests {
    /// The real 4000-neuron CUBA network for 1 s of network time (about 15 s in a debug
    /// build). Brian2 2.9 (runtime, Cython, float64) over seeds 1-10 at 1 s gives mean rates
    /// 5.30-6.08 Hz (median 5.62) and mean CV of ISIs 0.52-0.56 (README, spiking section); a
    /// different RNG draws a different network, so one seed is held to that range widened by
    /// 0.3 Hz (our seeds 1-10 give 5.21-5.91 Hz) and to CV in [0.45, 0.65].
    @Test func cubaNetworkMatchesBrian2RateAndIrregularityAtOneSecond() {
        var sim = LIFNetworkSimulation(config: LIFNetworkConfig(), seed: 1)
        #expect(abs(Double(sim.excitatory.synapseCount + sim.inhibitory.synapseCount) - 320_000) < 2_500)
        sim.advance(10_000)
        let m = Dictionary(uniqueKeysWithValues: zip(sim.metricNames, sim.measure()))
        let rate = m["rate_hz"] ?? 0, cv = m["cv_isi"] ?? 0
        #expect(rate > 5.0 && rate < 6.4, "rate \(rate) Hz")
        #expect(cv > 0.45 && cv < 0.65, "cv \(cv)")
        // Events = sum over spikes of out-degree (about 80 per spike).
        let perSpike = Double(sim.synapticEvents) / Double(sim.recorder.totalSpikes)
        #expect(abs(perSpike - 80) < 3)
    }

    /// Propagation with Brian2 semantics: a spike at step t raises the targets' ge by w at the
    /// end of step t (v unchanged in that step), and v feels it from step t + 1.
    @Test func aSpikeAffectsTargetsFromTheNextStep() {
        var c = LIFNetworkConfig()
        c.excitatory = 2
        c.inhibitory = 0
        c.connectionProbability = 1
        c.neuron.restMV = -70
        c.v0LowMV = -70
        c.v0HighMV = -70
        c.tracedNeurons = []
        var sim = LIFNetworkSimulation(config: c, seed: 3)
        sim.group.v[0] = -45  // above threshold: spikes in step 0
        sim.advance(1)
        #expect(sim.recorder.totalSpikes == 1)
        #expect(abs(sim.group.ge[1] - Float(c.weightExcMV)) < 1e-6)
        #expect(sim.group.v[1] == -70)
        sim.advance(1)
        #expect(sim.group.v[1] > -70)
    }

    /// The population-count window (Fano factor, rate view) is 1 s of network time at any dt:
    /// at dt = 1 ms, 1000 bins of 1 ms after 2 s (not 10 s of bins, as a fixed 10^4 steps gave).
    @Test func populationWindowIsOneSecondAtAnyDt() {
        var c = LIFNetworkConfig()
        c.excitatory = 8
        c.inhibitory = 2
        c.dt = 1e-3
        c.tracedNeurons = []
        var sim = LIFNetworkSimulation(config: c, seed: 1)
        #expect(sim.recorder.windowSteps == 1000)
        sim.advance(2000)
        #expect(sim.recorder.populationSeries(binSteps: 1).count == 1000)
    }

    /// advance(a) + advance(b) == advance(a + b) bit for bit, with iSTDP active and a delay.
    @Test func runSplitIntoChunksIsBitIdentical() {
        var c = LIFNetworkConfig()
        c.excitatory = 160
        c.inhibitory = 40
        c.connectionProbability = 0.1
        c.weightExcMV = 1.0
        c.weightInhMV = -4
        c.delaySteps = 3
        c.neuron.noiseMV = 1
        c.rules = LIFNetworkRules.registry.rules.map { ConfiguredRule(default: $0) }
        c.start = 1
        var a = LIFNetworkSimulation(config: c, seed: 7)
        var b = LIFNetworkSimulation(config: c, seed: 7)
        a.advance(250)
        a.advance(1)
        a.advance(349)
        b.advance(600)
        #expect(a.group.v == b.group.v)
        #expect(a.inhibitory.weight == b.inhibitory.weight)
        #expect(a.recorder.counts == b.recorder.counts)
        #expect(a.recorder.totalSpikes > 0)
        _ = a.views()
        #expect(a.measure().map(\.bitPattern) == b.measure().map(\.bitPattern))
    }
}
