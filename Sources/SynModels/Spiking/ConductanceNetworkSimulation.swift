import SynCore

/// Rules of `model = "conductance_network"`: the benchmarks have no long-term plasticity.
public enum ConductanceNetworkRules {
    public static let registry = RuleRegistry<NoPlasticity>(
        family: "conductance_network", summary: "COBA / COBAHH benchmark networks: no plasticity (model = \"conductance_network\")", [
            .init(NoPlasticity.self) { $0 },
        ])
}

/// Configuration of an E/I network with conductance-based synapses: Brette et al. (2007)
/// benchmark 1 (COBA, LIF neurons) and benchmark 3 (COBAHH, Hodgkin-Huxley neurons), whose
/// network, synapses and initial state are the same (Brian2's `examples/COBAHH.py` and the
/// Brian reference implementation of benchmark 1): 4000 neurons, 80/20 E/I, every ordered pair
/// connected with probability 2 %, Δg_e = 6 nS, Δg_i = 67 nS (0.6 and 6.7 x gL), no delays,
/// initial V ~ N(-65, 5^2) mV, ge ~ N(40, 15^2) nS, gi ~ N(200, 120^2) nS.
public struct ConductanceNetworkConfig: Sendable, Equatable {
    /// The neuron model's name in `ConductanceNeurons.registry`.
    public var neuron = ConductanceLIFGroup.name
    public var excitatory = 3200
    public var inhibitory = 800
    public var connectionProbability = 0.02
    public var allowSelf = true
    public var synapses = ConductanceSynapseParameters()
    /// Conductance jump per excitatory / inhibitory spike (nS).
    public var weightExcNS = 6.0
    public var weightInhNS = 67.0
    public var delaySteps = 0
    /// Injected constant current (pA) into every neuron (live control).
    public var currentPA = 0.0
    /// Seconds per step.
    public var dt = 1e-4
    /// Initial state: V ~ N(mean, sd^2) (mV), ge, gi ~ N(mean, sd^2) (nS).
    public var v0MeanMV = -65.0
    public var v0SDMV = 5.0
    public var ge0MeanNS = 40.0
    public var ge0SDNS = 15.0
    public var gi0MeanNS = 200.0
    public var gi0SDNS = 120.0
    public var rasterSteps = 2000
    public var tracedNeurons = [0, 1, 3200]
    /// Tsodyks-Markram short-term plasticity of the excitatory synapses (nil: static synapses).
    public var shortTermPlasticity: TsodyksMarkramParameters? = nil
    /// Gap junctions (`GapJunctions`): mean partners per neuron of `gapPopulation` (0: none), and
    /// their conductance (nS, also the live control `gap_ns`).
    public var gapPartners = 0.0
    public var gapConductanceNS = 0.0
    public var gapPopulation = GapPopulation.inhibitory
    /// The scene's rule list (only `none` exists).
    public var ruleNames = [NoPlasticity.name]
    public init() {}
}

/// Which neurons gap junctions couple (`[network] gap_population`).
public enum GapPopulation: String, Sendable, Equatable, CaseIterable {
    case inhibitory, excitatory, all

    func range(excitatory ne: Int, total n: Int) -> Range<Int> {
        switch self {
        case .inhibitory: ne..<n
        case .excitatory: 0..<ne
        case .all: 0..<n
        }
    }
}

/// An E/I network of conductance-based neurons of type `Neuron` as a `Simulation`.
///
/// Schedule of step t (Brian2's default): state update of V (and gates) from the state at t,
/// exact decay of ge, gi; threshold; synaptic propagation (ge += w_e of the targets of E
/// spikes, gi += w_i for I spikes, seen by V from step t + 1); reset / refractoriness; monitors.
public struct ConductanceNetworkSimulation<Neuron: ConductanceNeuronGroup>: Simulation {
    public let config: ConductanceNetworkConfig
    public private(set) var step = 0
    public var dt: Double { config.dt }
    public var neurons: Neuron
    public var inputs: ConductanceInputs
    public private(set) var excitatory: Projection
    public private(set) var inhibitory: Projection
    public private(set) var spikes: SpikeBuffer
    public private(set) var recorder: SpikeRecorder
    var traces: StateTrace
    let tracedIndices: [Int]
    /// Synaptic events (spike x out-degree) delivered so far.
    public private(set) var synapticEvents = 0
    var lastMeasureStep = 0
    var lastMeasureSpikes = 0
    public private(set) var currentPA: Double
    /// Short-term plasticity state of the E neurons (when configured).
    public private(set) var stp: TsodyksMarkram?
    /// Gap junctions (when configured: `gapPartners` > 0).
    public private(set) var gap: GapJunctions?
    public let activeRule = 0
    let ruleList: [String]

    public init(config: ConductanceNetworkConfig, seed: UInt64) {
        self.config = config
        ruleList = config.ruleNames
        currentPA = config.currentPA
        let root = RNG(seed: seed)
        var conn = root.stream("connectivity")
        var initial = root.stream("initial")
        let ne = config.excitatory, n = ne + config.inhibitory
        neurons = Neuron(count: n, dt: config.dt)
        inputs = ConductanceInputs(count: n, parameters: config.synapses, dt: config.dt)
        for i in 0..<n {
            neurons.v[i] = initial.normal(mean: Float(config.v0MeanMV), sd: Float(config.v0SDMV))
            inputs.ge[i] = initial.normal(mean: Float(config.ge0MeanNS), sd: Float(config.ge0SDNS))
            inputs.gi[i] = initial.normal(mean: Float(config.gi0MeanNS), sd: Float(config.gi0SDNS))
        }
        if config.currentPA != 0 {
            for i in 0..<n { neurons.current[i] = Float(config.currentPA) }
        }
        let we = Float(config.weightExcNS), wi = Float(config.weightInhNS)
        let p = Connectivity.fixedProbability(config.connectionProbability, allowSelf: config.allowSelf)
        excitatory = Projection(pre: ne, post: n, connectivity: p, rng: &conn, selfOffset: 0,
                                delaySteps: config.delaySteps, wMin: 0, wMax: we) { _, _, _ in we }
        inhibitory = Projection(pre: config.inhibitory, post: n, connectivity: p, rng: &conn, selfOffset: ne,
                                delaySteps: config.delaySteps, wMin: 0, wMax: wi) { _, _, _ in wi }
        stp = config.shortTermPlasticity.map { TsodyksMarkram(count: ne, parameters: $0, dt: config.dt) }
        if config.gapPartners > 0 {
            var g = root.stream("gap_junctions")
            gap = GapJunctions(population: config.gapPopulation.range(excitatory: ne, total: n), partners: config.gapPartners,
                               conductanceNS: config.gapConductanceNS, rng: &g)
        }
        spikes = SpikeBuffer(capacity: n)
        recorder = SpikeRecorder(neuronCount: n, capacity: 1 << 16, windowSteps: max(10, Int((1 / config.dt).rounded())))
        let traced = config.tracedNeurons.filter { $0 >= 0 && $0 < n }
        tracedIndices = traced
        traces = StateTrace(names: traced.map { "V[\($0)]" }, windowSteps: config.rasterSteps)
    }

    /// rate_hz: mean rate since start; recent_rate_hz: over the last metrics interval; E and I
    /// rates; cv_isi: mean CV of ISIs (NaN until some neuron has 3 intervals); fano: Fano factor
    /// of 1 ms population counts over the last second.
    public static var metricNames: [String] { ["rate_hz", "recent_rate_hz", "rate_exc_hz", "rate_inh_hz", "cv_isi", "fano"] }
    public static var viewNames: [String] { ["raster", "rate", "traces", "rates"] }
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var ruleNames: [String] { ruleList }
    public var bigStep: StepUnit { StepUnit(name: "100 ms", steps: Int((0.1 / config.dt).rounded())) }
    public var ruleEquation: String {
        "\(Neuron.equation); tau_e dge/dt = -ge, tau_i dgi/dt = -gi, a spike adds \(config.weightExcNS) nS to ge or \(config.weightInhNS) nS to gi of its targets [\(Neuron.integrator)]"
            + (gap.map { "; gap junctions (\($0.count) pairs, \(config.gapPopulation.rawValue)): I_gap,i = g sum_j (V_j - V_i), g = \($0.conductanceNS) nS" } ?? "")
    }

    public mutating func advance(_ steps: Int) {
        let ne = Int32(config.excitatory)
        var events = 0
        var spikes = SpikeBuffer(capacity: 1)
        swap(&spikes, &self.spikes)
        defer { swap(&spikes, &self.spikes) }
        for _ in 0..<max(0, steps) {
            spikes.removeAll()
            if let gap, gap.conductanceNS != 0 { gap.apply(v: neurons.v, base: Float(currentPA), into: &neurons.current) }
            neurons.update(step: step, inputs: &inputs, spikes: &spikes, offset: 0)
            if stp != nil {
                events &+= propagateDepressing(spikes)
                events &+= inhibitory.propagate(spikes, offset: ne, step: step, into: &inputs.gi)
                neurons.reset(spikes, step: step, offset: 0)
            } else if spikes.count > 0 {
                events &+= excitatory.propagate(spikes, offset: 0, step: step, into: &inputs.ge)
                events &+= inhibitory.propagate(spikes, offset: ne, step: step, into: &inputs.gi)
                neurons.reset(spikes, step: step, offset: 0)
            } else if config.delaySteps > 0 {
                events &+= excitatory.propagate(spikes, offset: 0, step: step, into: &inputs.ge)
                events &+= inhibitory.propagate(spikes, offset: ne, step: step, into: &inputs.gi)
            }
            recorder.record(step: step, spikes: spikes)
            if !tracedIndices.isEmpty {
                for k in 0..<tracedIndices.count { traces.set(k, neurons.v[tracedIndices[k]]) }
                traces.commit()
            }
            step += 1
        }
        synapticEvents &+= events
    }

    /// E spikes through Tsodyks-Markram synapses: each spike of E neuron i adds w r_i / U to
    /// the ge of its targets (no delays: the scene model rejects STP with delay_steps > 0).
    mutating func propagateDepressing(_ spikes: SpikeBuffer) -> Int {
        guard var stp else { return 0 }
        defer { self.stp = stp }
        var events = 0
        let ne = config.excitatory
        excitatory.rowStart.withUnsafeBufferPointer { rs in
        excitatory.post.withUnsafeBufferPointer { cols in
        excitatory.weight.withUnsafeBufferPointer { w in
        inputs.ge.withUnsafeMutableBufferPointer { ge in
            for s in 0..<spikes.count {
                let i = Int(spikes[s])
                guard i < ne else { continue }
                let f = stp.spike(i, step: step)
                let lo = Int(rs[i]), hi = Int(rs[i + 1])
                events &+= hi - lo
                for k in lo..<hi { ge[Int(cols[k])] += w[k] * f }
            }
        }}}}
        return events
    }

    public mutating func measure() -> [Double] {
        let ne = config.excitatory, n = ne + config.inhibitory
        let interval = step - lastMeasureStep
        let recent = recorder.totalSpikes - lastMeasureSpikes
        let recentRate = interval > 0 && n > 0 ? Double(recent) / (Double(n) * Double(interval) * dt) : Double.nan
        lastMeasureStep = step
        lastMeasureSpikes = recorder.totalSpikes
        let cv = recorder.isiCount.contains { $0 >= 3 } ? recorder.cvISI() : .nan
        return [recorder.meanRateHz(dt: dt), recentRate,
                recorder.meanRateHz(dt: dt, neurons: 0..<ne), recorder.meanRateHz(dt: dt, neurons: ne..<n),
                cv, recorder.fanoFactor(binSteps: max(1, Int((0.001 / dt).rounded())))]
    }

    public mutating func selectRule(_ index: Int) {}

    /// Live control: the injected current (pA, every neuron).
    public var controls: [Control] {
        [Control(name: "current_pa", value: currentPA, range: -500...500, step: 10)]
            + (gap.map { [Control(name: "gap_ns", value: Double($0.conductanceNS), range: 0...100, step: 1)] } ?? [])
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let error = controlError(name, value) { return error }
        if name == "gap_ns" {
            gap?.conductanceNS = Float(value)
        } else {
            currentPA = value
        }
        // Currents are the base again; coupled neurons get theirs at the next step.
        let n = config.excitatory + config.inhibitory
        for i in 0..<n { neurons.current[i] = Float(currentPA) }
        return nil
    }

    public func views() -> [String: PanelView] {
        let ne = config.excitatory, n = ne + config.inhibitory
        var out: [String: PanelView] = [:]
        out["raster"] = .raster(recorder.excitatoryInhibitoryRaster(step: step, windowSteps: config.rasterSteps, dt: dt, excitatory: ne))
        let series = recorder.populationRateSeries(binSteps: max(1, Int((0.001 / dt).rounded())), dt: dt)
        out["rate"] = .traces(TracesView(names: ["population rate (1 ms bins)"], series: [series], unit: "Hz"))
        out["traces"] = .traces(TracesView(names: traces.names, series: traces.series, unit: "mV"))
        let (rr, rc) = LIFNetworkSimulation.grid(n)
        let seconds = max(dt, Double(step - recorder.statisticsStart) * dt)
        let rates = recorder.counts.map { Float(Double($0) / seconds) }
        out["rates"] = .heatmap(HeatmapView(rows: rr, cols: rc, values: LIFNetworkSimulation.pad(rates, rr * rc), scale: .fixed(0, 50)))
        return out
    }

    public func probe() -> [Factor] {
        guard let i = tracedIndices.first else { return [] }
        return [Factor("V[\(i)] (mV)", Double(neurons.v[i])), Factor("ge[\(i)] (nS)", Double(inputs.ge[i])),
                Factor("gi[\(i)] (nS)", Double(inputs.gi[i]))]
    }
}
