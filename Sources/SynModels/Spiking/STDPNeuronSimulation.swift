import SynCore

/// Configuration of Poisson inputs converging all-to-all onto a few LIF neurons with plastic
/// synapses: Song, Miller & Abbott (2000) as in Brian2's `examples/synapses/STDP.py`.
public struct STDPNeuronConfig: Sendable, Equatable {
    public var inputs = 1000
    public var outputs = 1
    public var inputRateHz: Double = 15
    /// Rate modulation rate(t) = r0 (1 + m sin(2 pi f t)).
    public var modulationDepth: Double = 0
    public var modulationHz: Double = 0
    /// dv/dt = (ge (Ee - vr) + El - v) / taum: LIF with geScaleMV = Ee - vr, no refractoriness.
    public var neuron = LIFParameters(tauM: 0.010, tauE: 0.005, tauI: 0.005, restMV: -74, thresholdMV: -54,
                                      resetMV: -60, refractory: 0, geScaleMV: 60)
    public var dt = 1e-4
    /// Upper weight bound gmax (dimensionless conductance); w0 ~ U(0, gmax * w0Max).
    public var gmax: Float = 0.01
    public var w0Max: Float = 1
    /// The rules a user may switch between (`SpikingRules.registry`: a spike-timing rule,
    /// optionally composed with homeostasis) and the index of the starting one.
    public var rules: [ConfiguredRule<SpikingRule>] = [SpikingRules.additive]
    public var start = 0
    public var rasterSteps = 1000

    public init() {}
}

/// Poisson inputs onto LIF neurons with plastic synapses, as a `Simulation`.
///
/// Schedule of step t: (1) inputs: Poisson sources fire; (2) state update and (3) threshold of
/// the output neurons; (4) propagation: each input spike adds w to ge of the outputs (felt from
/// step t + 1); (5) plasticity: pre-spike updates, then post-spike updates, then the
/// homeostatic part (scaling / threshold); (6) reset; (7) monitors.
public struct STDPNeuronSimulation: Simulation {
    public let config: STDPNeuronConfig
    public private(set) var step = 0
    public var dt: Double { config.dt }
    public var source: PoissonSource
    public var group: LIFGroup
    public var synapses: Projection
    public var stdp: STDP
    /// The active rule's homeostatic part (fresh state on every switch).
    public private(set) var homeostasis: (any HomeostaticRule)?
    /// The target rate set by the live control (overrides the rules' `target_rate_hz`).
    var targetRateOverride: Double?
    var inSpikes: SpikeBuffer
    var outSpikes: SpikeBuffer
    public private(set) var inputRecorder: SpikeRecorder
    public private(set) var outputRecorder: SpikeRecorder
    var trace: StateTrace
    var noise: RNG
    public private(set) var activeRule: Int
    public private(set) var synapticEvents = 0
    var lastMeasureStep = 0
    var lastMeasureSpikes = 0

    public static let metricNames = ["rate_hz", "recent_rate_hz", "frac_low", "frac_high", "w_mean", "input_rate_hz", "cv_isi"]
    public static let viewNames = ["raster", "weights", "weight_hist", "rate", "traces"]

    public init(config: STDPNeuronConfig, seed: UInt64) {
        self.config = config
        let root = RNG(seed: seed)
        source = PoissonSource(count: config.inputs, rateHz: config.inputRateHz, dt: config.dt, rng: root.stream("inputs"),
                               modulationDepth: config.modulationDepth, modulationHz: config.modulationHz)
        group = LIFGroup(count: config.outputs, parameters: config.neuron, dt: config.dt)
        var wrng = root.stream("weights")
        let gmax = config.gmax, w0 = config.w0Max
        synapses = Projection(pre: config.inputs, post: config.outputs, connectivity: .allToAll, rng: &wrng,
                              wMin: 0, wMax: gmax) { _, _, r in r.uniform() * gmax * w0 }
        activeRule = config.rules.indices.contains(config.start) ? config.start : 0
        stdp = STDP(rule: AdditiveSTDP(RuleParameterValues(AdditiveSTDP.parameters)), projection: synapses, dt: config.dt)
        inSpikes = SpikeBuffer(capacity: max(16, config.inputs / 8))
        outSpikes = SpikeBuffer(capacity: max(1, config.outputs))
        inputRecorder = SpikeRecorder(neuronCount: config.inputs, capacity: 1 << 15, windowSteps: 10_000)
        // 10 s of network time for the output rate view ("last 10 s"), at most 10^7 steps.
        outputRecorder = SpikeRecorder(neuronCount: config.outputs, capacity: 1 << 14,
                                       windowSteps: min(10_000_000, max(10, Int((10 / config.dt).rounded()))))
        trace = StateTrace(names: ["v (output 0)"], windowSteps: config.rasterSteps)
        noise = root.stream("noise")
        bindRule()
    }

    public var ruleName: String { config.rules.indices.contains(activeRule) ? config.rules[activeRule].name : "" }

    /// Fresh STDP state and homeostasis for the active rule (weights untouched).
    mutating func bindRule() {
        guard config.rules.indices.contains(activeRule) else { return }
        let rule = config.rules[activeRule].rule
        stdp = STDP(rule: rule.timing, projection: synapses, dt: config.dt, probeSynapse: 0)
        var h = rule.homeostasis
        h?.bind(postCount: config.outputs, dt: config.dt)
        if let r = targetRateOverride { h?.targetRateHz = r }
        homeostasis = h
    }

    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "1 s", steps: Int((1 / config.dt).rounded())) }

    public var ruleEquation: String {
        guard let h = homeostasis else { return stdp.equation }
        return stdp.equation + "; " + h.equation
    }

    public mutating func advance(_ steps: Int) {
        var events = 0
        let dt = config.dt
        // Work on local spike buffers (moved out of self, no copies): passing a stored buffer
        // while other stored properties are mutated would retain it on every call.
        var inS = SpikeBuffer(capacity: 1), outS = SpikeBuffer(capacity: 1)
        swap(&inS, &inSpikes)
        swap(&outS, &outSpikes)
        for _ in 0..<max(0, steps) {
            inS.removeAll()
            source.emit(step: step, into: &inS)
            outS.removeAll()
            group.update(step: step, noise: &noise, spikes: &outS)
            events &+= synapses.propagate(inS, step: step, into: &group.geScaled, scale: group.excitatoryInputScale)
            stdp.onPre(inS, step: step, projection: &synapses)
            if outS.count > 0 {
                stdp.onPost(outS, step: step, projection: &synapses)
                events &+= outS.count * config.inputs
            }
            homeostasis?.step(postSpikes: outS, step: step, projection: &synapses, theta: &group.theta, dt: dt)
            group.reset(outS, step: step)
            inputRecorder.record(step: step, spikes: inS)
            outputRecorder.record(step: step, spikes: outS)
            trace.set(0, group.v[0])
            trace.commit()
            step += 1
        }
        swap(&inS, &inSpikes)
        swap(&outS, &outSpikes)
        synapticEvents &+= events
    }

    /// Fractions of weights below `lo * gmax` and above `hi * gmax`, and the mean w / gmax.
    public func weightSummary(lo: Float = 0.1, hi: Float = 0.9) -> (low: Double, high: Double, mean: Double) {
        let g = config.gmax
        var l = 0, h = 0
        var s = 0.0
        for w in synapses.weight {
            if w < lo * g { l += 1 }
            if w > hi * g { h += 1 }
            s += Double(w / g)
        }
        let n = Double(max(1, synapses.synapseCount))
        return (Double(l) / n, Double(h) / n, s / n)
    }

    public mutating func measure() -> [Double] {
        let interval = step - lastMeasureStep
        let recent = outputRecorder.totalSpikes - lastMeasureSpikes
        let recentRate = interval > 0 ? Double(recent) / (Double(config.outputs) * Double(interval) * dt) : 0
        lastMeasureStep = step
        lastMeasureSpikes = outputRecorder.totalSpikes
        let w = weightSummary()
        return [outputRecorder.meanRateHz(dt: dt), recentRate, w.low, w.high, w.mean,
                inputRecorder.meanRateHz(dt: dt), outputRecorder.cvISI()]
    }

    /// The homeostatic target rate (Hz): the live control's, else the active rule's, else the
    /// first switchable rule's with homeostasis; nil when no rule has homeostasis.
    var targetRateHz: Double? {
        targetRateOverride ?? homeostasis?.targetRateHz
            ?? config.rules.lazy.compactMap { $0.rule.homeostasis?.targetRateHz }.first
    }

    /// Live controls: the input rate (Hz) and, when a rule has homeostasis, its target rate (Hz).
    public var controls: [Control] {
        var c = [Control(name: "input_rate_hz", value: source.rateHz, range: 0...100, step: 1)]
        if let r = targetRateHz { c.append(Control(name: "target_rate_hz", value: r, range: 1...200, step: 1)) }
        return c
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let error = controlError(name, value) { return error }
        switch name {
        case "input_rate_hz":
            source.setRate(value, at: step)
        case "target_rate_hz":
            targetRateOverride = value
            homeostasis?.targetRateHz = value
        default:
            return "unknown control '\(name)'"
        }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        bindRule()
        // Intrinsic plasticity's state is the threshold offset: a new rule starts without it.
        for i in 0..<group.theta.count where group.theta[i] != 0 { group.theta[i] = 0 }
    }

    /// The 20-bin histogram of w / gmax.
    public func weightHistogram(bins: Int = 20) -> [Int] {
        let g = config.gmax
        return HistogramView(binning: synapses.weight.lazy.map { $0 / g }, lower: 0, upper: 1, bins: bins, label: "").counts
    }

    public func views() -> [String: PanelView] {
        var out: [String: PanelView] = [:]
        let from = max(0, step - config.rasterSteps)
        let ri = inputRecorder.raster(fromStep: from, toStep: step)
        let ro = outputRecorder.raster(fromStep: from, toStep: step)
        let n = config.inputs
        out["raster"] = .raster(RasterView(neuronCount: n + config.outputs, fromStep: from, toStep: step, dt: dt,
                                           steps: ri.steps + ro.steps, neurons: ri.neurons + ro.neurons.map { $0 + Int32(n) },
                                           groups: [NeuronGroupLabel(name: "inputs", range: 0..<n),
                                                    NeuronGroupLabel(name: "output", range: n..<(n + config.outputs))]))
        if config.outputs == 1 {
            let (r, c) = LIFNetworkSimulation.grid(n)
            out["weights"] = .heatmap(HeatmapView(rows: r, cols: c, values: LIFNetworkSimulation.pad(synapses.weight, r * c),
                                                  scale: .fixed(0, config.gmax)))
        } else {
            // Row j: the inputs of output j (CSR is by input, so transpose).
            var m = [Float](repeating: 0, count: config.outputs * n)
            for k in 0..<synapses.synapseCount { m[Int(synapses.post[k]) * n + Int(synapses.pre[k])] = synapses.weight[k] }
            out["weights"] = .heatmap(HeatmapView(rows: config.outputs, cols: n, values: m, scale: .fixed(0, config.gmax)))
        }
        out["weight_hist"] = .histogram(HistogramView(counts: weightHistogram(), lower: 0, upper: 1, label: "w / gmax"))
        let rate = outputRecorder.populationRateSeries(binSteps: Int((0.1 / dt).rounded()), dt: dt)
        out["rate"] = .traces(TracesView(names: ["output rate (100 ms bins, last 10 s)"], series: [rate], unit: "Hz"))
        out["traces"] = .traces(TracesView(names: trace.names, series: trace.series, unit: "mV"))
        return out
    }

    public func probe() -> [Factor] {
        let k = stdp.probeSynapse
        guard k < synapses.synapseCount else { return [] }
        let i = Int(synapses.pre[k]), j = Int(synapses.post[k])
        return [Factor("synapse input \(i) -> output \(j)", Double(k)),
                Factor("pre trace x", Double(stdp.pre.value(i, at: step))),
                Factor("post trace y", Double(stdp.post.value(j, at: step))),
                Factor("w / gmax", Double(synapses.weight[k] / config.gmax)),
                Factor("last dw / gmax", Double(stdp.lastDelta / config.gmax))]
    }
}
