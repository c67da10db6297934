import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Configuration of a network of Izhikevich neurons: the 1000-neuron random network of
/// Izhikevich (2003) and the distal_reward network of Izhikevich (2007, Cereb. Cortex 17:2443).
public struct IzhikevichNetworkConfig: Sendable, Equatable {
    public var excitatory = 800
    public var inhibitory = 200
    /// Izhikevich 2003 heterogeneity: E (a, b, c, d) = (0.02, 0.2, -65 + 15 r^2, 8 - 6 r^2),
    /// I = (0.02 + 0.08 r, 0.25 - 0.05 r, -65, 2), r ~ U(0, 1) per neuron. When false every E
    /// neuron is regular spiking and every I neuron fast spiking (Izhikevich 2007).
    public var heterogeneous = true
    /// Out-degree of every neuron; 0 = all-to-all (dense, as in the 2003 network).
    public var outDegree = 0
    /// Inhibitory neurons project to every neuron (2003) or to E neurons only (2007).
    public var inhibitionOntoAll = true
    /// Initial weights (mV/ms of current per spike): E w ~ U(0, wExc) when `randomWeights`,
    /// else w = wExc; I w ~ -U(0, |wInh|) or w = wInh.
    public var weightExc: Double = 0.5
    public var weightInh: Double = -1
    public var randomWeights = true
    /// Largest excitatory weight (plasticity bound).
    public var weightExcMax: Double = 4
    /// E conduction delays spread evenly over 1..delayMaxMs ms on the step grid (from one step,
    /// the implicit delay, up to delayMaxMs; 1 = no extra delay).
    public var delayMaxMs = 1
    /// Thalamic input: Gaussian current with SD noiseExc / noiseInh per 1 ms (see
    /// `IzhikevichGroup`), plus a 1 ms pulse of `kick` (mV/ms) to one random neuron every ms on
    /// average (2007; every step at dt = 1 ms, with probability dt / 1 ms at smaller dt).
    public var noiseExc: Double = 5
    public var noiseInh: Double = 2
    public var kick: Double = 0
    /// Uniform input current (mV/ms) of Izhikevich's `daspnet.m`: every neuron gets
    /// I = uniformInput (U[0, 1) - 0.5), drawn afresh every step (0 = off).
    public var uniformInput: Double = 0
    public var dt = 1e-3
    /// The rules a user may switch between (`IzhikevichRules.registry`: "none", "stdp",
    /// "da_stdp") and the starting one.
    public var rules: [ConfiguredRule<any IzhikevichPlasticity>] = [IzhikevichRules.none]
    public var start = 0
    /// Distal-reward task: reward `rewardDelay` s after the target pre neuron's spike is
    /// followed within `pairingWindow` s by a spike of its target post neuron.
    public var rewardTask = false
    public var rewardDelay: Double = 1
    /// Extra random delay per reward, uniform in [0, rewardJitter] s (`daspnet.m`: 1 s + U(0, 2) s).
    public var rewardJitter: Double = 0
    public var pairingWindow: Double = 0.010
    /// Initial weight of the reinforced synapse (nil: the common initial weight; `daspnet.m`
    /// starts it at 0).
    public var targetInitialWeight: Double?
    public var rasterSteps = 1000

    public init() {}

    /// True when a rule in `rules` changes weights.
    public var anyPlastic: Bool { rules.contains { $0.rule.timing != nil } }
}

/// A network of Izhikevich neurons as a `Simulation`.
///
/// Schedule of step t (dt = 1 ms): (1) inputs: thalamic noise / kick; (2) state update of
/// v, u with I = noise + synaptic current of spikes from step t - 1 (and delayed arrivals);
/// (3) threshold v >= 30 mV; (4) propagation: spikes add w to I of the next step (or land
/// d steps later through the delay ring); (5) plasticity: STDP (pre then post updates) and,
/// for "da_stdp", the modulated weight update and trace decay; the task schedules rewards;
/// (6) reset v = c, u += d; (7) monitors.
public struct IzhikevichNetworkSimulation: Simulation {
    public let config: IzhikevichNetworkConfig
    public private(set) var step = 0
    public var dt: Double { config.dt }
    public var group: IzhikevichGroup
    public var excitatory: Projection
    public var inhibitory: Projection
    /// STDP of the active rule on the E synapses (nil: no plasticity).
    public private(set) var stdp: STDP?
    public private(set) var modulation: RewardModulation
    /// True when the active rule is three-factor (STDP writes eligibilities).
    public private(set) var modulated = false
    /// The learning rate set by the live control (overrides the rules' `eta`).
    var etaOverride: Double?
    var spikes: SpikeBuffer
    public private(set) var recorder: SpikeRecorder
    var traces: StateTrace
    var modulatorTrace: StateTrace
    var noise: RNG
    var kicks: RNG
    /// Reward delays (the jitter draws) and the uniform input current.
    var rewardDraws: RNG
    var inputDraws: RNG
    public private(set) var activeRule: Int
    /// The reinforced synapse (index in `excitatory`) and its neurons.
    public let targetSynapse: Int
    public let targetPre: Int
    public let targetPost: Int
    var lastTargetPreStep = Int.min / 2
    public private(set) var pairings = 0
    /// Steps from a pairing to its reward.
    public private(set) var rewardDelaySteps: Int
    public private(set) var synapticEvents = 0
    var lastMeasureStep = 0
    var lastMeasureSpikes = 0

    public init(config: IzhikevichNetworkConfig, seed: UInt64) {
        self.config = config
        rewardDelaySteps = max(1, Int((config.rewardDelay / config.dt).rounded()))
        let root = RNG(seed: seed)
        var hetero = root.stream("heterogeneity")
        var conn = root.stream("connectivity")
        noise = root.stream("noise")
        kicks = root.stream("kicks")
        rewardDraws = root.stream("reward-delays")
        inputDraws = root.stream("uniform-input")
        let ne = config.excitatory, ni = config.inhibitory, n = ne + ni
        var params: [IzhikevichParameters] = []
        params.reserveCapacity(n)
        for _ in 0..<ne {
            if config.heterogeneous {
                let r = hetero.uniform()
                params.append(IzhikevichParameters(a: 0.02, b: 0.2, c: -65 + 15 * r * r, d: 8 - 6 * r * r))
            } else {
                params.append(.regularSpiking)
            }
        }
        for _ in 0..<ni {
            if config.heterogeneous {
                let r = hetero.uniform()
                params.append(IzhikevichParameters(a: 0.02 + 0.08 * r, b: 0.25 - 0.05 * r, c: -65, d: 2))
            } else {
                params.append(.fastSpiking)
            }
        }
        group = IzhikevichGroup(parameters: params, dt: config.dt)
        for i in 0..<n { group.noiseSD[i] = Float(i < ne ? config.noiseExc : config.noiseInh) }
        let we = Float(config.weightExc), wi = Float(config.weightInh)
        let random = config.randomWeights
        let eConn: Connectivity = config.outDegree == 0 ? .allToAll : .fixedOutDegree(config.outDegree, allowSelf: false)
        let iPost = config.inhibitionOntoAll ? n : ne
        let iConn: Connectivity = config.outDegree == 0 ? .allToAll : .fixedOutDegree(config.outDegree, allowSelf: false)
        // Extra steps beyond the implicit one-step delay, so delays span dt .. delayMaxMs ms.
        let maxDelay = max(0, Int((Double(config.delayMaxMs) / (config.dt * 1000)).rounded()) - 1)
        excitatory = Projection(pre: ne, post: n, connectivity: eConn, rng: &conn, selfOffset: 0,
                                wMin: 0, wMax: Float(config.weightExcMax),
                                weight: { _, _, r in random ? r.uniform() * we : we })
        if maxDelay > 0 {
            // Izhikevich 2007: each neuron's synapses spread evenly over the delays 1..D ms.
            // Spread over the row's own length (k for a fixed out-degree, every target for
            // all-to-all): extra delays stay in 0...maxDelay (<= 999 by the scene's check).
            var d = [Int16](repeating: 0, count: excitatory.synapseCount)
            for i in 0..<ne {
                let lo = Int(excitatory.rowStart[i]), hi = Int(excitatory.rowStart[i + 1])
                let width = max(1, hi - lo)
                for s in lo..<hi { d[s] = Int16(clamping: min(maxDelay, (s - lo) * (maxDelay + 1) / width)) }
            }
            excitatory = Projection(pre: ne, post: n, rowStart: excitatory.rowStart, post: excitatory.post,
                                    weight: excitatory.weight, delays: d, wMin: 0, wMax: Float(config.weightExcMax))
        }
        inhibitory = Projection(pre: ni, post: iPost, connectivity: iConn, rng: &conn, selfOffset: ne,
                                wMin: -.infinity, wMax: 0, weight: { _, _, r in random ? -r.uniform() * abs(wi) : wi })
        // Target synapse: the first E -> E synapse of E neuron 0 (or synapse 0).
        var target = 0
        for s in 0..<excitatory.outDegree(0) where Int(excitatory.post[s]) < ne && Int(excitatory.post[s]) != 0 {
            target = s
            break
        }
        targetSynapse = excitatory.synapseCount > 0 ? target : 0
        targetPre = excitatory.synapseCount > 0 ? Int(excitatory.pre[targetSynapse]) : 0
        targetPost = excitatory.synapseCount > 0 ? Int(excitatory.post[targetSynapse]) : 0
        if config.rewardTask, excitatory.synapseCount > 0 {
            // The paper's figure starts the reinforced synapse at the common initial weight;
            // `daspnet.m` at 0 (targetInitialWeight).
            excitatory.weight[targetSynapse] = config.targetInitialWeight.map { Float($0) } ?? we
        }
        activeRule = config.rules.indices.contains(config.start) ? config.start : 0
        // The modulator of the starting rule, else of the first three-factor rule, else the
        // three-factor defaults (the task's dopamine and reward metrics read it).
        let dt = config.dt
        let active = config.rules.indices.contains(activeRule) ? config.rules[activeRule].rule.rewardModulation(dt: dt) : nil
        modulation = active ?? config.rules.lazy.compactMap { $0.rule.rewardModulation(dt: dt) }.first
            ?? DopamineModulatedSTDP(RuleParameterValues(DopamineModulatedSTDP.parameters)).modulation(dt: dt)
        spikes = SpikeBuffer(capacity: max(16, n / 4))
        let window = max(10, Int((1 / config.dt).rounded()))
        recorder = SpikeRecorder(neuronCount: n, capacity: 1 << 16, windowSteps: window)
        traces = StateTrace(names: ["v[E0]", "v[I\(ne)]"], windowSteps: config.rasterSteps)
        modulatorTrace = StateTrace(names: ["dopamine d", "eligibility c (target)"], windowSteps: max(config.rasterSteps, 5 * window))
        bindRule()
    }

    public var ruleName: String { config.rules.indices.contains(activeRule) ? config.rules[activeRule].name : "" }

    /// Fresh STDP state for the active rule (weights untouched); a three-factor rule's
    /// modulator parameters replace the current ones (dopamine and reward count are kept).
    mutating func bindRule() {
        guard config.rules.indices.contains(activeRule) else { return }
        let rule = config.rules[activeRule].rule
        let m = rule.rewardModulation(dt: config.dt)
        modulated = m != nil
        if let m { modulation.adopt(m) }
        if let e = etaOverride { modulation.eta = e }
        stdp = rule.timing.map { STDP(rule: $0, projection: excitatory, dt: config.dt, eligibilityMode: modulated, probeSynapse: targetSynapse) }
    }

    public static let baseMetrics = ["rate_hz", "recent_rate_hz", "rate_exc_hz", "cv_isi", "fano", "osc_hz", "gamma_frac"]
    public static let taskMetrics = ["w_target", "w_mean", "w_target_rank", "dopamine", "rewards"]
    public static let baseViews = ["raster", "rate", "traces", "weights", "weight_hist"]

    public static func metricNames(_ c: IzhikevichNetworkConfig) -> [String] {
        baseMetrics + (c.rewardTask ? taskMetrics : (c.anyPlastic ? ["w_mean"] : []))
    }

    public static func viewNames(_ c: IzhikevichNetworkConfig) -> [String] {
        baseViews + (c.rewardTask ? ["modulator"] : [])
    }

    public var metricNames: [String] { Self.metricNames(config) }
    public var viewNames: [String] { Self.viewNames(config) }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "1 s", steps: Int((1 / config.dt).rounded())) }

    public var ruleEquation: String {
        guard config.rules.indices.contains(activeRule) else { return "" }
        let rule = config.rules[activeRule].rule
        guard rule.timing != nil else {
            return "no plasticity: v' = 0.04 v^2 + 5 v + 140 - u + I, u' = a (b v - u); v >= 30 mV: v = c, u += d; each spike adds w to I of its targets"
        }
        return rule.equation + " (w_max = \(config.weightExcMax) mV/ms)"
    }

    public mutating func advance(_ steps: Int) {
        let ne = config.excitatory, n = ne + config.inhibitory
        let modulated = self.modulated
        let dt = config.dt
        let kick = Float(config.kick)
        let kickProbability = config.dt * 1000  // kicks per step: one per ms on average
        let window = max(1, Int((config.pairingWindow / config.dt).rounded()))
        let delay = rewardDelaySteps
        let jitter = max(0, Int((config.rewardJitter / dt).rounded()))
        let task = config.rewardTask
        // A current of A (U - 0.5) mV/ms enters `input` as a pulse scaled by dt / 1 ms.
        let uniformScale = Float(config.uniformInput * dt * 1000)
        var events = 0
        // A local spike buffer (moved out of self) avoids a retain per call below.
        var spikes = SpikeBuffer(capacity: 1)
        swap(&spikes, &self.spikes)
        defer { swap(&spikes, &self.spikes) }
        for _ in 0..<max(0, steps) {
            if kick != 0 && n > 0 && (kickProbability >= 1 || kicks.uniformDouble() < kickProbability) {
                group.input[kicks.int(below: n)] += kick
            }
            if uniformScale != 0 {
                for i in 0..<n { group.input[i] += uniformScale * (inputDraws.uniform() - 0.5) }
            }
            group.update(noise: &noise)
            spikes.removeAll()
            group.threshold(into: &spikes)
            events &+= excitatory.propagate(spikes, offset: 0, step: step, into: &group.input)
            events &+= inhibitory.propagate(spikes, offset: Int32(ne), step: step, into: &group.input)
            stdp?.onPre(spikes, step: step, projection: &excitatory)
            stdp?.onPost(spikes, step: step, projection: &excitatory)
            if task {
                for s in 0..<spikes.count {
                    let i = Int(spikes[s])
                    if i == targetPost && step - lastTargetPreStep > 0 && step - lastTargetPreStep <= window {
                        pairings += 1
                        let extra = jitter > 0 ? rewardDraws.int(below: jitter + 1) : 0
                        modulation.schedule(at: step + delay + extra)
                    }
                }
                for s in 0..<spikes.count where Int(spikes[s]) == targetPre { lastTargetPreStep = step }
            }
            if modulated {
                stdp?.modulate(&modulation, step: step, dt: dt, projection: &excitatory)
            }
            // Traces show the spike peak (30 mV) before the reset.
            let v0 = group.v[0], vi = ne < n ? group.v[ne] : 0
            traces.record { $0 == 0 ? min(30, v0) : min(30, vi) }
            if task {
                let d = Float(modulation.dopamine)
                let c = stdp?.eligibility(targetSynapse) ?? 0
                modulatorTrace.record { $0 == 0 ? d : c }
            }
            group.reset(spikes)
            recorder.record(step: step, spikes: spikes)
            step += 1
        }
        synapticEvents &+= events
    }

    /// Power spectrum of the population rate over the recorded window (1 ms bins): the
    /// frequency (Hz) of the largest peak in 4-100 Hz and the fraction of that band's power in
    /// the gamma band 30-80 Hz (both 0 before 100 ms of data).
    public func oscillation() -> (peakHz: Double, gammaFraction: Double) {
        let bin = max(1, Int((0.001 / dt).rounded()))
        let x = recorder.populationSeries(binSteps: bin)
        guard x.count >= 100 else { return (0, 0) }
        let m = x.reduce(0, +) / Double(x.count)
        let binSeconds = Double(bin) * dt
        let duration = Double(x.count) * binSeconds
        var best = 0.0, bestF = 0.0, gamma = 0.0, total = 0.0
        let kLo = Int((4 * duration).rounded(.up)), kHi = Int((100 * duration).rounded(.down))
        guard kHi >= kLo else { return (0, 0) }
        for k in kLo...kHi {
            let w = 2 * Double.pi * Double(k) / Double(x.count)
            let (cr, ci) = (cos(w), sin(w))
            var pr = 1.0, pi = 0.0, re = 0.0, im = 0.0
            for t in 0..<x.count {
                re += (x[t] - m) * pr
                im -= (x[t] - m) * pi
                (pr, pi) = (pr * cr - pi * ci, pr * ci + pi * cr)
            }
            let p = re * re + im * im
            let f = Double(k) / duration
            total += p
            if f >= 30 && f <= 80 { gamma += p }
            if p > best { best = p; bestF = f }
        }
        return (bestF, total > 0 ? gamma / total : 0)
    }

    /// Mean weight of E -> E synapses and the fraction of them weaker than the target.
    func weightStats() -> (mean: Double, rank: Double) {
        let ne = config.excitatory
        var s = 0.0, c = 0, below = 0
        let wt = excitatory.synapseCount > 0 ? excitatory.weight[targetSynapse] : 0
        for k in 0..<excitatory.synapseCount where Int(excitatory.post[k]) < ne {
            let w = excitatory.weight[k]
            s += Double(w)
            c += 1
            if w < wt { below += 1 }
        }
        return (c == 0 ? 0 : s / Double(c), c == 0 ? 0 : Double(below) / Double(c))
    }

    public mutating func measure() -> [Double] {
        let ne = config.excitatory, n = ne + config.inhibitory
        let interval = step - lastMeasureStep
        let recent = recorder.totalSpikes - lastMeasureSpikes
        let recentRate = interval > 0 && n > 0 ? Double(recent) / (Double(n) * Double(interval) * dt) : 0
        lastMeasureStep = step
        lastMeasureSpikes = recorder.totalSpikes
        let osc = oscillation()
        var out = [recorder.meanRateHz(dt: dt), recentRate, recorder.meanRateHz(dt: dt, neurons: 0..<ne),
                   recorder.cvISI(), recorder.fanoFactor(binSteps: max(1, Int((0.001 / dt).rounded()))),
                   osc.peakHz, osc.gammaFraction]
        let ws = weightStats()
        if config.rewardTask {
            let wt = excitatory.synapseCount > 0 ? Double(excitatory.weight[targetSynapse]) : 0
            out += [wt, ws.mean, ws.rank, modulation.dopamine, Double(modulation.rewardsDelivered)]
        } else if config.anyPlastic {
            out.append(ws.mean)
        }
        return out
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        modulation.reset()
        bindRule()
    }

    /// Live controls: thalamic noise SD of E cells (mV/ms); with the reward task also the
    /// three-factor learning rate eta and the reward delay (ms).
    public var controls: [Control] {
        var c = [Control(name: "noise_exc", value: Double(config.excitatory > 0 ? group.noiseSD[0] : 0), range: 0...20, step: 0.5)]
        if config.rewardTask {
            c.append(Control(name: "eta", value: modulation.eta, range: 0...1000, step: 10))
            // The shortest delay the model can represent is one step, so the range starts there
            // (a slider at 0 would read back as one step).
            let oneStep = config.dt * 1000
            c.append(Control(name: "reward_delay_ms", value: Double(rewardDelaySteps) * oneStep,
                             range: min(oneStep, 5000)...5000, step: 100))
        }
        return c
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let error = controlError(name, value) { return error }
        switch name {
        case "noise_exc":
            for i in 0..<config.excitatory { group.noiseSD[i] = Float(value) }
        case "eta":
            etaOverride = value
            modulation.eta = value
        case "reward_delay_ms":
            rewardDelaySteps = max(1, Int((value / 1000 / config.dt).rounded()))
        default:
            return "unknown control '\(name)'"
        }
        return nil
    }

    public func views() -> [String: PanelView] {
        let ne = config.excitatory
        var out: [String: PanelView] = [:]
        out["raster"] = .raster(recorder.excitatoryInhibitoryRaster(step: step, windowSteps: config.rasterSteps, dt: dt, excitatory: ne))
        let series = recorder.populationRateSeries(binSteps: Int((0.001 / dt).rounded()), dt: dt)
        out["rate"] = .traces(TracesView(names: ["population rate (1 ms bins)"], series: [series], unit: "Hz"))
        out["traces"] = .traces(TracesView(names: traces.names, series: traces.series, unit: "mV"))
        // Weights: rows = the first E neurons (target's pre first), columns = their out-synapses.
        let rows = min(ne, 40)
        let cols = min(100, max(1, excitatory.outDegree(0)))
        var m = [Float](repeating: 0, count: rows * cols)
        for i in 0..<rows {
            let lo = Int(excitatory.rowStart[i])
            for c in 0..<min(cols, excitatory.outDegree(i)) { m[i * cols + c] = excitatory.weight[lo + c] }
        }
        // Fixed colour scale: the plastic range, or the initial range when nothing is plastic.
        let plasticAny = config.anyPlastic
        let top = Float(plasticAny ? config.weightExcMax : max(1e-6, config.weightExc))
        out["weights"] = .heatmap(HeatmapView(rows: rows, cols: cols, values: m, scale: .fixed(0, top)))
        out["weight_hist"] = .histogram(HistogramView(binning: excitatory.weight, lower: 0, upper: Double(top), label: "E weights (mV/ms)"))
        if config.rewardTask {
            out["modulator"] = .traces(TracesView(names: modulatorTrace.names, series: modulatorTrace.series, unit: ""))
        }
        return out
    }

    public func probe() -> [Factor] {
        let k = targetSynapse
        guard k < excitatory.synapseCount else { return [] }
        var f = [Factor("synapse E\(targetPre) -> \(targetPost)", Double(k))]
        guard let stdp else { return f + [Factor("w", Double(excitatory.weight[k]))] }
        f += [Factor("pre trace x", Double(stdp.pre.value(targetPre, at: step))),
              Factor("post trace y", Double(stdp.post.value(targetPost, at: step))),
              Factor("w", Double(excitatory.weight[k])),
              Factor("last STDP change", Double(stdp.lastDelta))]
        if stdp.eligibilityMode, stdp.eligibility.indices.contains(k) {
            f.append(Factor("eligibility c", Double(stdp.eligibility[k])))
            f.append(Factor("dopamine d", modulation.dopamine))
        }
        return f
    }
}
