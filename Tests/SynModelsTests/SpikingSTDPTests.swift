import Foundation
import Testing
import SynCore
@testable import SynModels

@Suite struct SpikingSTDPTests {
    /// A 1 -> 1 projection with weight w0 in [0, 1].
    static func pair(_ w0: Float = 0.5) -> Projection {
        Projection(pre: 1, post: 1, rowStart: [0, 1], post: [0], weight: [w0], wMin: 0, wMax: 1)
    }

    static func spike(_ i: Int32 = 0) -> SpikeBuffer {
        var b = SpikeBuffer(capacity: 1)
        b.append(i)
        return b
    }

    /// A rule of type `R` with `given` parameters (scene units), the rest at their defaults.
    static func rule<R: SpikeTimingRule>(_ type: R.Type, _ given: [String: Double] = [:]) -> R {
        R(RuleParameterValues(R.parameters, given: given))
    }

    /// tau+ = 20 ms, tau- = 30 ms, A+ = 0.01, A- = 1.8 A+ tau+/tau- = 0.012 (w_max = 1).
    static let params: [String: Double] = ["tau_pre_ms": 20, "tau_post_ms": 30, "a_plus": 0.01, "a_minus_ratio": 1.8]

    /// Pre at step 0, post at step k: dw = A+ exp(-k dt / tau+) (to Float rounding).
    @Test func preBeforePostPotentiatesByTheExponentialWindow() {
        let dt = 1e-4
        for k in [1, 37, 200, 1000] {
            var proj = Self.pair()
            var stdp = STDP(rule: Self.rule(AdditiveSTDP.self, Self.params), projection: proj, dt: dt)
            stdp.onPre(Self.spike(), step: 0, projection: &proj)
            stdp.onPost(Self.spike(), step: k, projection: &proj)
            let expected = 0.5 + 0.01 * exp(-Double(k) * dt / 0.020)
            #expect(abs(Double(proj.weight[0]) - expected) < 1e-7, "lag \(k): \(proj.weight[0]) vs \(expected)")
            #expect(abs(Double(stdp.lastDelta) - 0.01 * exp(-Double(k) * dt / 0.020)) < 1e-8)
        }
    }

    /// Post at step 0, pre at step k: dw = -A- exp(-k dt / tau-).
    @Test func postBeforePreDepressesByTheExponentialWindow() {
        let dt = 1e-4
        for k in [1, 50, 300] {
            var proj = Self.pair()
            var stdp = STDP(rule: Self.rule(AdditiveSTDP.self, Self.params), projection: proj, dt: dt)
            stdp.onPost(Self.spike(), step: 0, projection: &proj)
            stdp.onPre(Self.spike(), step: k, projection: &proj)
            let expected = 0.5 - 0.012 * exp(-Double(k) * dt / 0.030)
            #expect(abs(Double(proj.weight[0]) - expected) < 1e-7, "lag \(k)")
        }
    }

    /// All-to-all traces sum over earlier spikes; nearest-spike traces keep only the last one.
    @Test func pairingModesDifferAsDefined() {
        let dt = 1e-4
        for nearest in [false, true] {
            var proj = Self.pair()
            let rule: any SpikeTimingRule = nearest ? Self.rule(NearestSpikeSTDP.self, Self.params) : Self.rule(AdditiveSTDP.self, Self.params)
            var stdp = STDP(rule: rule, projection: proj, dt: dt)
            stdp.onPre(Self.spike(), step: 0, projection: &proj)
            stdp.onPre(Self.spike(), step: 100, projection: &proj)
            stdp.onPost(Self.spike(), step: 200, projection: &proj)
            let last = 0.01 * exp(-100 * dt / 0.020)
            let first = 0.01 * exp(-200 * dt / 0.020)
            let expected = 0.5 + last + (nearest ? 0 : first)
            #expect(abs(Double(proj.weight[0]) - expected) < 1e-7, "nearest \(nearest)")
        }
    }

    /// Multiplicative STDP scales LTP by (wmax - w) and LTD by (w - wmin); bounds clip additive.
    @Test func weightDependenceAndBounds() {
        let dt = 1e-4
        var proj = Self.pair(0.8)
        var stdp = STDP(rule: Self.rule(MultiplicativeSTDP.self, Self.params), projection: proj, dt: dt)
        stdp.onPre(Self.spike(), step: 0, projection: &proj)
        stdp.onPost(Self.spike(), step: 0, projection: &proj)
        #expect(abs(Double(proj.weight[0]) - (0.8 + 0.01 * 0.2)) < 1e-7)
        var p = Self.params
        p["a_plus"] = 0.5
        var proj2 = Self.pair(0.9)
        var add = STDP(rule: Self.rule(AdditiveSTDP.self, p), projection: proj2, dt: dt)
        add.onPre(Self.spike(), step: 0, projection: &proj2)
        add.onPost(Self.spike(), step: 1, projection: &proj2)
        #expect(proj2.weight[0] == 1)
    }

    /// Triplet rule (Pfister & Gerstner 2006): a post spike potentiates by r1 (A2+ + A3+ o2)
    /// where o2 counts earlier post spikes with tauY.
    @Test func tripletPotentiationGrowsWithTheSecondPostTrace() {
        let dt = 1e-4
        let p = Self.rule(TripletSTDP.self, ["tau_pre_ms": 16.8, "tau_post_ms": 33.7, "a2_plus": 0.001, "a3_plus": 0.01])
        var proj = Self.pair()
        var stdp = STDP(rule: p, projection: proj, dt: dt)
        stdp.onPost(Self.spike(), step: 0, projection: &proj)   // o1 = o2 = 1 at step 0, no pre yet
        let afterFirst = Double(proj.weight[0])
        stdp.onPre(Self.spike(), step: 100, projection: &proj)  // LTD: -o1 (A2- + A3- r2)
        let o1 = exp(-100 * dt / 0.0337)
        let ltd = o1 * Double(p.a2Minus + p.a3Minus * 0)
        #expect(abs(Double(proj.weight[0]) - (afterFirst - ltd)) < 1e-7)
        let beforePost = Double(proj.weight[0])
        stdp.onPost(Self.spike(), step: 150, projection: &proj)
        let r1 = exp(-50 * dt / 0.0168)
        let o2 = exp(-150 * dt / p.tauY)
        let ltp = r1 * (0.001 + 0.01 * o2)
        #expect(abs(Double(proj.weight[0]) - (beforePost + ltp)) < 1e-7)
    }

    /// Poisson sources: counts match rate * T (within 4 SD) and ISIs are exponential (CV ~ 1).
    @Test func poissonSourceHasTheRightRateAndIrregularity() {
        let dt = 1e-4
        var src = PoissonSource(count: 200, rateHz: 20, dt: dt, rng: RNG(seed: 5).stream("in"))
        var rec = SpikeRecorder(neuronCount: 200, capacity: 1 << 12, windowSteps: 20_000)
        var b = SpikeBuffer(capacity: 64)
        let steps = 50_000
        for s in 0..<steps {
            b.removeAll()
            src.emit(step: s, into: &b)
            rec.record(step: s, spikes: b)
        }
        let expected = 200 * 20 * Double(steps) * dt
        #expect(abs(Double(rec.totalSpikes) - expected) < 4 * expected.squareRoot(), "\(rec.totalSpikes) vs \(expected)")
        let cv = rec.cvISI()
        #expect(abs(cv - 1) < 0.05, "CV \(cv)")
        // Independent Poisson trains: population counts in 1 ms bins have Fano factor ~1
        // (2000 bins: standard error ~0.03).
        let fano = rec.fanoFactor(binSteps: 10)
        #expect(abs(fano - 1) < 0.15, "Fano \(fano)")
    }

    /// A rate-modulated source fires in proportion to 1 + m sin(2 pi f t).
    @Test func modulatedPoissonFollowsItsRateProfile() {
        let dt = 1e-3
        var src = PoissonSource(count: 500, rateHz: 20, dt: dt, rng: RNG(seed: 2).stream("in"), modulationDepth: 0.8, modulationHz: 2)
        var b = SpikeBuffer(capacity: 64)
        var peak = 0, trough = 0
        for s in 0..<5000 {
            b.removeAll()
            src.emit(step: s, into: &b)
            let phase = (Double(s) * dt * 2).truncatingRemainder(dividingBy: 1)
            if phase >= 0.125 && phase < 0.375 { peak += b.count }   // sin near +1
            if phase >= 0.625 && phase < 0.875 { trough += b.count } // sin near -1
        }
        // Mean of sin over those quarter windows is +-0.9: ratio (1 + 0.72) / (1 - 0.72) ~ 6.1.
        let ratio = Double(peak) / Double(max(1, trough))
        #expect(ratio > 5 && ratio < 7.5, "peak/trough \(ratio)")
    }

    /// Song et al. 2000 at the reference duration (100 s, 1e6 steps; ~10-30 s in a debug
    /// build): the weights split into a U shape. Brian2 (seeds 1-3): frac_low 0.27-0.28,
    /// frac_high 0.17-0.18, mean w/gmax 0.44, output rate 27.5-31.3 Hz; a different RNG gives
    /// different input trains, so one seed is held to those ranges widened by the seed-to-seed
    /// spread (our seeds 1-5: 0.267-0.284, 0.159-0.182, 0.431-0.439, 29.1-33.5 Hz), and the
    /// middle of the histogram must be depleted relative to its outer bins.
    @Test func additiveSTDPReachesTheReferenceBimodalWeightsAt100Seconds() {
        var sim = STDPNeuronSimulation(config: STDPNeuronConfig(), seed: 1)
        let before = sim.weightSummary()
        #expect(abs(before.low + before.high - 0.2) < 0.06)
        sim.advance(1_000_000)
        let w = sim.weightSummary()
        #expect(w.low > 0.24 && w.low < 0.31, "frac_low \(w.low)")
        #expect(w.high > 0.14 && w.high < 0.21, "frac_high \(w.high)")
        #expect(w.mean > 0.40 && w.mean < 0.47, "mean \(w.mean)")
        let h = sim.weightHistogram()
        let outer = h[0] + h[1] + h[18] + h[19]
        let middle = h[8] + h[9] + h[10] + h[11]
        #expect(outer > 3 * middle, "\(h)")
        let m = Dictionary(uniqueKeysWithValues: zip(sim.metricNames, sim.measure()))
        let rate = m["rate_hz"] ?? 0
        #expect(rate > 26 && rate < 36, "output rate \(rate) Hz")
        #expect(abs((m["input_rate_hz"] ?? 0) - 15) < 0.1)
    }

    /// Chunked runs are bit-identical, for every rule; switching keeps weights, resets traces.
    @Test func chunkedRunsAreIdenticalAndSwitchingKeepsWeights() throws {
        var c = STDPNeuronConfig()
        c.inputs = 100
        c.outputs = 2
        c.inputRateHz = 40
        c.gmax = 0.05
        c.rules = SpikingRules.registry.rules.map { ConfiguredRule(default: $0) }
        for r in 0..<c.rules.count {
            var a = STDPNeuronSimulation(config: c, seed: 3)
            var b = STDPNeuronSimulation(config: c, seed: 3)
            a.selectRule(r)
            b.selectRule(r)
            a.advance(700)
            a.advance(1300)
            b.advance(2000)
            #expect(a.synapses.weight == b.synapses.weight, "rule \(c.rules[r].name)")
            #expect(a.group.v == b.group.v)
            #expect(a.outputRecorder.totalSpikes == b.outputRecorder.totalSpikes)
        }
        var s = STDPNeuronSimulation(config: c, seed: 3)
        s.advance(500)
        let w = s.synapses.weight
        s.selectRule(try #require(c.rules.firstIndex { $0.name == MultiplicativeSTDP.name }))
        #expect(s.synapses.weight == w)
        #expect(s.stdp.pre.value(0, at: s.step) == 0)
        #expect(s.ruleEquation.contains("multiplicative"))
    }

    /// Gütig et al. (2003) on one synapse with bounds [-1, 3] (span 4, w0 = 0.5, ŵ = 0.375):
    /// pre then post at Δt = k dt gives Δw = 4 λ (1 − ŵ)^μ e^(−Δt/τ+); post then pre gives
    /// Δw = −4 λ α ŵ^μ e^(−Δt/τ−), exactly as the equation says (to Float rounding).
    @Test func gutigChangesTheWeightAsItsEquationSays() {
        let dt = 1e-4
        let (lambda, alpha, mu) = (0.01, 1.2, 0.5)
        let rule = Self.rule(GutigSTDP.self, ["tau_pre_ms": 20, "tau_post_ms": 30, "a_plus": lambda, "alpha": alpha, "mu": mu])
        let w0: Float = 0.5
        let what = (0.5 - -1.0) / 4.0
        for k in [1, 150, 600] {
            var proj = Projection(pre: 1, post: 1, rowStart: [0, 1], post: [0], weight: [w0], wMin: -1, wMax: 3)
            var stdp = STDP(rule: rule, projection: proj, dt: dt)
            stdp.onPre(Self.spike(), step: 0, projection: &proj)
            stdp.onPost(Self.spike(), step: k, projection: &proj)
            let ltp = 4 * lambda * pow(1 - what, mu) * exp(-Double(k) * dt / 0.020)
            #expect(abs(Double(proj.weight[0]) - (0.5 + ltp)) < 1e-6, "LTP lag \(k): \(proj.weight[0]) vs \(0.5 + ltp)")
            #expect(abs(Double(stdp.lastDelta) - ltp) < 1e-7)

            var proj2 = Projection(pre: 1, post: 1, rowStart: [0, 1], post: [0], weight: [w0], wMin: -1, wMax: 3)
            var stdp2 = STDP(rule: rule, projection: proj2, dt: dt)
            stdp2.onPost(Self.spike(), step: 0, projection: &proj2)
            stdp2.onPre(Self.spike(), step: k, projection: &proj2)
            let ltd = -4 * lambda * alpha * pow(what, mu) * exp(-Double(k) * dt / 0.030)
            #expect(abs(Double(proj2.weight[0]) - (0.5 + ltd)) < 1e-6, "LTD lag \(k): \(proj2.weight[0]) vs \(0.5 + ltd)")
        }
    }

    /// The Song et al. network with `rule` (additive defaults of the scene otherwise).
    static func song(_ rule: ConfiguredRule<SpikingRule>, seconds: Double) -> STDPNeuronSimulation {
        var c = STDPNeuronConfig()
        c.rules = [rule]
        var sim = STDPNeuronSimulation(config: c, seed: 1)
        sim.advance(Int(seconds / c.dt))
        return sim
    }

    static func configured(_ name: String, _ given: [String: Double]) throws -> ConfiguredRule<SpikingRule> {
        let d = try SpikingRules.registry.descriptor(named: name)
        return ConfiguredRule(d, RuleParameterValues(d.parameters, given: given))
    }

    /// μ = 0 (with α = the additive rule's A-/A+) is the additive rule bit for bit; at μ = 0.4
    /// the weights gather in one central peak where the additive rule splits them in two.
    @Test func gutigInterpolatesBetweenAdditiveAndMultiplicative() throws {
        let additive = Self.song(try Self.configured("additive", [:]), seconds: 2)
        let mu0 = Self.song(try Self.configured("gutig", ["mu": 0, "alpha": 1.05]), seconds: 2)
        #expect(additive.synapses.weight == mu0.synapses.weight)
        #expect(additive.outputRecorder.totalSpikes == mu0.outputRecorder.totalSpikes)

        let bimodal = Self.song(try Self.configured("additive", [:]), seconds: 30).weightHistogram(bins: 10)
        let unimodal = Self.song(try Self.configured("gutig", ["mu": 0.4]), seconds: 30).weightHistogram(bins: 10)
        // Additive: both end bins hold more weights than the middle ones (U shape).
        #expect(bimodal[0] > bimodal[4] && bimodal[9] > bimodal[5], "additive \(bimodal)")
        // Gütig: one interior peak, counts falling off on both sides of it, ends nearly empty.
        let peak = try #require(unimodal.indices.max { unimodal[$0] < unimodal[$1] })
        #expect(peak > 0 && peak < 9, "gutig \(unimodal)")
        #expect((0..<peak).allSatisfy { unimodal[$0] <= unimodal[$0 + 1] }, "gutig \(unimodal)")
        #expect((peak..<9).allSatisfy { unimodal[$0] >= unimodal[$0 + 1] }, "gutig \(unimodal)")
        #expect(unimodal[0] + unimodal[9] < 50, "gutig \(unimodal)")
    }
}
