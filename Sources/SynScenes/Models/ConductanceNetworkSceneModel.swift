import SynModels

/// `model = "conductance_network"`: an E/I network with conductance-based exponential synapses
/// (Brette et al. 2007 benchmarks 1 and 3: COBA with LIF neurons, COBAHH with Hodgkin-Huxley).
///
/// Keys: `[network]` neuron (from `ConductanceNeurons.registry`: lif, hh, eif, qif), excitatory,
/// inhibitory, p, allow_self, tau_e_ms, tau_i_ms, e_exc_mv, e_inh_mv, w_exc_ns, w_inh_ns,
/// delay_steps, current_pa, dt_ms, v0_mean_mv, v0_sd_mv, ge0_mean_ns, ge0_sd_ns, gi0_mean_ns,
/// gi0_sd_ns, raster_steps; stp (Tsodyks-Markram on E synapses, off by default) with stp_u,
/// stp_tau_d_ms, stp_tau_f_ms; gap junctions (`GapJunctions`, off by default) with gap_partners
/// (mean partners per neuron, > 0 turns them on), gap_ns (their conductance, live control
/// `gap_ns`), gap_population (inhibitory, excitatory or all). `[rule]`: only `none`
/// (`ConductanceNetworkRules`).
public struct ConductanceNetworkSceneModel: SceneModel {
    public static let kind = "conductance_network"
    public static var ruleFamily: String { ConductanceNetworkRules.registry.family }
    public static let summary = "E/I network with conductance-based synapses (COBA / COBAHH, Brette et al. 2007); neuron model by name"
    public var config: ConductanceNetworkConfig
    let model: ConductanceNeuronModel
    let selection: RuleSelection<NoPlasticity>

    public static let maxNeurons = 100_000
    public static let maxExpectedSynapses = 20_000_000

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = ConductanceNetworkConfig()
        var net = try scene.table("network")
        let name = try net.string("neuron", oneOf: ConductanceNeurons.names, default: ConductanceLIFGroup.name)
        guard let model = ConductanceNeurons.named(name) else {
            throw net.error("neuron", "expected one of \(ConductanceNeurons.names.joined(separator: ", ")), got \"\(name)\"")
        }
        c.neuron = name
        c.excitatory = try net.integer("excitatory", in: 1...Self.maxNeurons, default: 3200)
        c.inhibitory = try net.integer("inhibitory", in: 0...Self.maxNeurons, default: 800)
        if c.excitatory + c.inhibitory > Self.maxNeurons {
            throw net.error("inhibitory", "expected excitatory + inhibitory <= \(Self.maxNeurons), got \(c.excitatory + c.inhibitory)")
        }
        c.connectionProbability = try net.number("p", in: .closed(0, 1), default: 0.02)
        let n = Double(c.excitatory + c.inhibitory)
        if n * n * c.connectionProbability > Double(Self.maxExpectedSynapses) {
            throw net.error("p", "expected (excitatory + inhibitory)^2 * p <= \(Self.maxExpectedSynapses) synapses, got \(Int(n * n * c.connectionProbability))")
        }
        c.allowSelf = try net.bool("allow_self", default: true)
        c.synapses.tauE = try net.number("tau_e_ms", in: .closed(0.01, 10_000), default: 5) / 1000
        c.synapses.tauI = try net.number("tau_i_ms", in: .closed(0.01, 10_000), default: 10) / 1000
        c.synapses.excitatoryReversalMV = try net.number("e_exc_mv", in: .closed(-200, 200), default: 0)
        c.synapses.inhibitoryReversalMV = try net.number("e_inh_mv", in: .closed(-200, 200), default: -80)
        c.weightExcNS = try net.number("w_exc_ns", in: .closed(0, 10_000), default: 6)
        c.weightInhNS = try net.number("w_inh_ns", in: .closed(0, 10_000), default: 67)
        c.delaySteps = try net.integer("delay_steps", in: 0...1000, default: 0)
        c.currentPA = try net.number("current_pa", in: .closed(-500, 500), default: 0)
        c.dt = try net.number("dt_ms", in: .closed(0.001, 1), default: 0.1) / 1000
        c.v0MeanMV = try net.number("v0_mean_mv", in: .closed(-200, 100), default: -65)
        c.v0SDMV = try net.number("v0_sd_mv", in: .closed(0, 100), default: 5)
        c.ge0MeanNS = try net.number("ge0_mean_ns", in: .closed(-10_000, 10_000), default: 40)
        c.ge0SDNS = try net.number("ge0_sd_ns", in: .closed(0, 10_000), default: 15)
        c.gi0MeanNS = try net.number("gi0_mean_ns", in: .closed(-10_000, 10_000), default: 200)
        c.gi0SDNS = try net.number("gi0_sd_ns", in: .closed(0, 10_000), default: 120)
        if try net.bool("stp", default: false) {
            if c.delaySteps > 0 { throw net.error("stp", "short-term plasticity needs delay_steps = 0, got \(c.delaySteps)") }
            c.shortTermPlasticity = TsodyksMarkramParameters(
                u0: try net.number("stp_u", in: .openClosed(0, 1), default: 0.5),
                tauD: try net.number("stp_tau_d_ms", in: .closed(0.1, 100_000), default: 200) / 1000,
                tauF: try net.number("stp_tau_f_ms", in: .closed(0.1, 100_000), default: 20) / 1000)
        }
        c.gapPartners = try net.number("gap_partners", in: .closed(0, 100), default: 0)
        c.gapConductanceNS = try net.number("gap_ns", in: .closed(0, 100), default: 0)
        let population = try net.string("gap_population", oneOf: GapPopulation.allCases.map(\.rawValue), default: GapPopulation.inhibitory.rawValue)
        c.gapPopulation = GapPopulation(rawValue: population) ?? .inhibitory
        c.rasterSteps = try net.integer("raster_steps", in: 10...100_000, default: 2000)
        c.tracedNeurons = [0, 1, c.excitatory].filter { $0 < c.excitatory + c.inhibitory }
        try net.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: ConductanceNetworkRules.registry, default: NoPlasticity.name)
        try rule.finish()
        c.ruleNames = selection.names
        config = c
        self.model = model
    }

    public var metricNames: [String] { ConductanceNetworkSimulation<ConductanceLIFGroup>.metricNames }
    public var metrics: [MetricSpec] {
        [MetricSpec("rate_hz", unit: "Hz", "mean rate per neuron since the start"),
         MetricSpec("recent_rate_hz", unit: "Hz", "mean rate per neuron over the last metrics interval; NaN before the first step", mayBeUndefined: true),
         MetricSpec("rate_exc_hz", unit: "Hz", "mean rate of the E neurons since the start"),
         MetricSpec("rate_inh_hz", unit: "Hz", "mean rate of the I neurons since the start"),
         MetricSpec("cv_isi", "mean CV of interspike intervals (neurons with >= 3 ISIs); NaN until one has them", mayBeUndefined: true),
         MetricSpec("fano", "Fano factor of 1 ms population spike counts over the last second")]
    }
    public var viewNames: [String] { ConductanceNetworkSimulation<ConductanceLIFGroup>.viewNames }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        model.makeNetwork(config, seed: seed)
    }
}

extension ConductanceNetworkSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let n = Double(config.excitatory + config.inhibitory)
        let synapses = n * n * config.connectionProbability
        let gapPairs = n * config.gapPartners / 2
        c.bytes = synapses * 12 + n * 64 + gapPairs * 24
        c.stepFlops = synapses * 0.05 + n * (config.neuron == TraubMilesHHGroup.name ? 400 : 40) + gapPairs * 4
        return c
    }
}
