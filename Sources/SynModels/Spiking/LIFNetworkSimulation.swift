import SynCore

/// Configuration of an E/I network of LIF neurons with current-based exponential synapses,
/// e.g. the CUBA benchmark of Vogels & Abbott (2005) as in Brian2's `examples/CUBA.py`.
public struct LIFNetworkConfig: Sendable, Equatable {
    public var excitatory = 3200
    public var inhibitory = 800
    public var neuron = LIFParameters.cuba
    /// Connection probability for every ordered pair (E->all and I->all).
    public var connectionProbability = 0.02
    public var allowSelf = true
    /// Jump of ge per excitatory spike (mV) and of gi per inhibitory spike (mV, negative).
    public var weightExcMV: Double = 1.62  // 60 * 0.27 / 10
    public var weightInhMV: Double = -9  // -20 * 4.5 / 10
    /// Transmission delay in steps (0 = Brian2's no delay).
    public var delaySteps = 0
    /// Constant drive R*I (mV) added to every neuron.
    public var driveMV: Double = 0
    /// Seconds per step.
    public var dt = 1e-4
    /// Initial v ~ U(v0Low, v0High) (mV).
    public var v0LowMV: Double = -60
    public var v0HighMV: Double = -50
    /// The rules a user may switch between (`LIFNetworkRules.registry`) and the starting one.
    public var rules: [ConfiguredRule<any LIFNetworkPlasticity>] = [LIFNetworkRules.none]
    public var start = 0
    /// Largest inhibitory strength |w| of I -> E synapses (mV): the I projection's bound
    /// (`w_max_mv` of the plastic rule, when the scene lists one).
    public var inhibitoryBoundMV: Double = 40
    /// Raster window (steps) and spike ring capacity.
    public var rasterSteps = 2000
    /// Neurons whose membrane potential is traced.
    public var tracedNeurons = [0, 1, 3200]

    public init() {}
}

/// The E/I LIF network as a `Simulation`.
///
/// Schedule of one step t (as Brian2's default: groups, thresholds, synapses, resets, end):
/// 1. inputs: constant drive / noise (inside the update)
/// 2. state update: exact integration of v, ge, gi over dt (v frozen while refractory)
/// 3. threshold: v > Vt -> spike list of step t
/// 4. synaptic propagation: E spikes add w to ge, I spikes to gi of their targets (now, or
///    `delaySteps` later) — these affect v from the update of step t + 1
/// 5. plasticity: the active rule (iSTDP on I->E synapses)
/// 6. reset: v = Vr, refractory counter set
/// 7. monitors: spike recorder (raster ring, counts, ISIs, per-step population counts), traces
public struct LIFNetworkSimulation: Simulation {
    public let config: LIFNetworkConfig
    public private(set) var step = 0
    public var dt: Double { config.dt }
    public var group: LIFGroup
    public var excitatory: Projection
    public var inhibitory: Projection
    public private(set) var spikes: SpikeBuffer
    public private(set) var recorder: SpikeRecorder
    var traces: StateTrace
    let tracedIndices: [Int]
    /// The active rule, bound to the I -> E synapses (fresh state on every switch).
    public private(set) var plasticity: any LIFNetworkPlasticity
    let probeSynapse: Int
    /// The target rate set by the live control (overrides the rules' `rho0_hz`).
    var targetRateOverride: Double?
    var noiseRNG: RNG
    public private(set) var activeRule: Int
    /// Synaptic events (spike x out-degree) delivered so far.
    public private(set) var synapticEvents = 0
    var lastMeasureStep = 0
    var lastMeasureSpikes = 0
    var lastMeasureCounts: [Int32]
    /// Live constant drive R*I (mV) added to every neuron.
    public private(set) var driveMV: Double

    public init(config: LIFNetworkConfig, seed: UInt64) {
        driveMV = config.driveMV
        self.config = config
        let root = RNG(seed: seed)
        var conn = root.stream("connectivity")
        var initial = root.stream("initial")
        noiseRNG = root.stream("noise")
        let ne = config.excitatory, ni = config.inhibitory, n = ne + ni
        group = LIFGroup(count: n, parameters: config.neuron, dt: config.dt)
        let lo = Float(config.v0LowMV), hi = Float(config.v0HighMV)
        for i in 0..<n { group.v[i] = initial.uniform(lo, hi) }
        if config.driveMV != 0 {
            for i in 0..<n { group.bias[i] = Float(config.driveMV) }
        }
        let we = Float(config.weightExcMV), wi = Float(config.weightInhMV)
        let p = Connectivity.fixedProbability(config.connectionProbability, allowSelf: config.allowSelf)
        excitatory = Projection(pre: ne, post: n, connectivity: p, rng: &conn, selfOffset: 0,
                                delaySteps: config.delaySteps, wMin: 0, wMax: we) { _, _, _ in we }
        inhibitory = Projection(pre: ni, post: n, connectivity: p, rng: &conn, selfOffset: ne,
                                delaySteps: config.delaySteps, wMin: -Float(config.inhibitoryBoundMV), wMax: 0) { _, _, _ in wi }
        spikes = SpikeBuffer(capacity: n)
        // The population-count window is 1 s of network time (the Fano factor's "last second").
        recorder = SpikeRecorder(neuronCount: n, capacity: 1 << 16, windowSteps: max(10, Int((1 / config.dt).rounded())))
        lastMeasureCounts = [Int32](repeating: 0, count: ne)
        let traced = config.tracedNeurons.filter { $0 >= 0 && $0 < n }
        tracedIndices = traced
        traces = StateTrace(names: traced.map { "v[\($0)]" }, windowSteps: config.rasterSteps)
        // Probe: the first I->E synapse.
        var probe = 0
        for k in 0..<inhibitory.synapseCount where Int(inhibitory.post[k]) < ne { probe = k; break }
        probeSynapse = probe
        activeRule = config.rules.indices.contains(config.start) ? config.start : 0
        plasticity = NoPlasticity()
        bindRule()
    }

    /// Fresh state of the active rule on the I -> E synapses (weights untouched).
    mutating func bindRule() {
        guard config.rules.indices.contains(activeRule) else { return }
        plasticity = config.rules[activeRule].rule
        plasticity.bind(projection: inhibitory, plasticPost: config.excitatory, dt: config.dt, probeSynapse: probeSynapse)
        if let r = targetRateOverride { plasticity.targetRateHz = r }
    }

    var ruleName: String { config.rules.indices.contains(activeRule) ? config.rules[activeRule].name : "" }

    /// Metrics: mean rate since start (Hz), rate over the last metrics interval, E and I rates,
    /// mean CV of ISIs, Fano factor of 1 ms population counts over the last second, mean |w| I->E
    /// (mV), and the SD across E cells of their rates over the last metrics interval (Hz; iSTDP
    /// shrinks it as it pulls every E cell towards rho0).
    public static let metricNames = ["rate_hz", "recent_rate_hz", "rate_exc_hz", "rate_inh_hz", "cv_isi", "fano", "w_inh_mean",
                                     "rate_exc_sd_hz"]
    public static let viewNames = ["raster", "rate", "traces", "weights", "weight_hist", "rates"]
    public var metricNames: [String] { Self.metricNames }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "100 ms", steps: Int((0.1 / config.dt).rounded())) }
    public var viewNames: [String] { Self.viewNames }

    public var ruleEquation: String {
        let network = "tauM dv/dt = El - v + ge + gi; a spike adds we = \(config.weightExcMV) mV to ge or wi = \(config.weightInhMV) mV to gi of its targets"
        return plasticity is NoPlasticity ? plasticity.equation + "; " + network : plasticity.equation
    }

    public mutating func advance(_ steps: Int) {
        let ne = Int32(config.excitatory)
        var events = 0
        // A local spike buffer (moved out of self) avoids a retain per call below.
        var spikes = SpikeBuffer(capacity: 1)
        swap(&spikes, &self.spikes)
        defer { swap(&spikes, &self.spikes) }
        for _ in 0..<max(0, steps) {
            spikes.removeAll()
            group.update(step: step, noise: &noiseRNG, spikes: &spikes)
            events &+= excitatory.propagate(spikes, offset: 0, step: step, into: &group.geScaled, scale: group.excitatoryInputScale)
            events &+= inhibitory.propagate(spikes, offset: ne, step: step, into: &group.giScaled, scale: group.inhibitoryInputScale)
            plasticity.step(preSpikes: spikes, preOffset: ne, postSpikes: spikes, step: step, projection: &inhibitory)
            group.reset(spikes, step: step)
            recorder.record(step: step, spikes: spikes)
            if !tracedIndices.isEmpty {
                for k in 0..<tracedIndices.count { traces.set(k, group.v[tracedIndices[k]]) }
                traces.commit()
            }
            step += 1
        }
        synapticEvents &+= events
    }

    public mutating func measure() -> [Double] {
        let ne = config.excitatory, n = ne + config.inhibitory
        let interval = step - lastMeasureStep
        let recent = recorder.totalSpikes - lastMeasureSpikes
        let recentRate = interval > 0 && n > 0 ? Double(recent) / (Double(n) * Double(interval) * dt) : 0
        lastMeasureStep = step
        lastMeasureSpikes = recorder.totalSpikes
        // Spread of E rates over the interval.
        var sum = 0.0, sumSq = 0.0
        let seconds = Double(max(1, interval)) * dt
        for i in 0..<ne {
            let c = recorder.counts[i]
            let r = Double(c &- lastMeasureCounts[i]) / seconds
            sum += r
            sumSq += r * r
            lastMeasureCounts[i] = c
        }
        let mean = ne > 0 ? sum / Double(ne) : 0
        let sd = ne > 0 ? max(0, sumSq / Double(ne) - mean * mean).squareRoot() : 0
        return [recorder.meanRateHz(dt: dt), recentRate,
                recorder.meanRateHz(dt: dt, neurons: 0..<ne), recorder.meanRateHz(dt: dt, neurons: ne..<n),
                recorder.cvISI(), recorder.fanoFactor(binSteps: max(1, Int((0.001 / dt).rounded()))),
                meanInhibitoryWeight(), interval > 0 ? sd : 0]
    }

    /// Mean |w| of I->E synapses (mV).
    public func meanInhibitoryWeight() -> Double {
        var s = 0.0
        var c = 0
        for k in 0..<inhibitory.synapseCount where Int(inhibitory.post[k]) < config.excitatory {
            s += Double(-inhibitory.weight[k])
            c += 1
        }
        return c == 0 ? 0 : s / Double(c)
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        bindRule()
    }

    /// The plasticity's target rate (Hz): the live control's, else the active rule's, else the
    /// first switchable rule's; nil when no rule has one.
    var targetRateHz: Double? {
        targetRateOverride ?? plasticity.targetRateHz ?? config.rules.lazy.compactMap { $0.rule.targetRateHz }.first
    }

    /// Live controls: the constant drive (mV, every neuron) and, when a rule has one, the
    /// plasticity's target rate (Hz).
    public var controls: [Control] {
        var c = [Control(name: "drive_mv", value: driveMV, range: -20...20, step: 0.5)]
        if let r = targetRateHz { c.append(Control(name: "rho0_hz", value: r, range: 0.5...50, step: 0.5)) }
        return c
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let error = controlError(name, value) { return error }
        switch name {
        case "drive_mv":
            driveMV = value
            let n = config.excitatory + config.inhibitory
            for i in 0..<n { group.bias[i] = Float(value) }
        case "rho0_hz":
            targetRateOverride = value
            plasticity.targetRateHz = value
        default:
            return "unknown control '\(name)'"
        }
        return nil
    }

    public func views() -> [String: PanelView] {
        let ne = config.excitatory, n = ne + config.inhibitory
        var out: [String: PanelView] = [:]
        out["raster"] = .raster(recorder.excitatoryInhibitoryRaster(step: step, windowSteps: config.rasterSteps, dt: dt, excitatory: ne))
        let series = recorder.populationRateSeries(binSteps: Int((0.001 / dt).rounded()), dt: dt)
        out["rate"] = .traces(TracesView(names: ["population rate (1 ms bins)"], series: [series], unit: "Hz"))
        out["traces"] = .traces(TracesView(names: traces.names, series: traces.series, unit: "mV"))
        // Total inhibitory input strength per E neuron, as a near-square image.
        var inh = [Float](repeating: 0, count: ne)
        for k in 0..<inhibitory.synapseCount {
            let j = Int(inhibitory.post[k])
            if j < ne { inh[j] -= inhibitory.weight[k] }
        }
        let (rows, cols) = Self.grid(ne)
        let expected = Float(config.connectionProbability * Double(config.inhibitory) * -config.weightInhMV)
        out["weights"] = .heatmap(HeatmapView(rows: rows, cols: cols, values: Self.pad(inh, rows * cols),
                                              scale: .fixed(0, max(1e-6, 2 * expected))))
        let strengths = (0..<inhibitory.synapseCount).lazy.filter { Int(inhibitory.post[$0]) < ne }.map { -inhibitory.weight[$0] }
        out["weight_hist"] = .histogram(HistogramView(binning: strengths, lower: 0, upper: config.inhibitoryBoundMV, label: "|w| I->E (mV)"))
        let (rr, rc) = Self.grid(n)
        let seconds = max(dt, Double(step - recorder.statisticsStart) * dt)
        let rates = recorder.counts.map { Float(Double($0) / seconds) }
        out["rates"] = .heatmap(HeatmapView(rows: rr, cols: rc, values: Self.pad(rates, rr * rc), scale: .fixed(0, 20)))
        return out
    }

    public func probe() -> [Factor] {
        let k = probeSynapse
        guard k < inhibitory.synapseCount else { return [] }
        let i = Int(inhibitory.pre[k]), j = Int(inhibitory.post[k])
        return [Factor("synapse I\(i + config.excitatory) -> E\(j)", Double(k)),
                Factor("w (mV)", Double(inhibitory.weight[k]))]
            + plasticity.probe(step: step, pre: i, post: j)
    }

    /// rows x cols with rows * cols >= n, near-square.
    static func grid(_ n: Int) -> (Int, Int) {
        guard n > 0 else { return (1, 1) }
        var cols = Int(Double(n).squareRoot().rounded(.up))
        cols = max(1, cols)
        return ((n + cols - 1) / cols, cols)
    }

    static func pad(_ v: [Float], _ count: Int) -> [Float] {
        v.count >= count ? Array(v.prefix(count)) : v + [Float](repeating: 0, count: count - v.count)
    }
}
