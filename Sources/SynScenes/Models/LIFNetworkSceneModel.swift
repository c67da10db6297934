import SynModels

/// `model = "lif_network"`: an E/I network of current-based LIF neurons (the CUBA benchmark of
/// Vogels & Abbott 2005), optionally with inhibitory STDP (Vogels et al. 2011) on I->E synapses.
///
/// Keys: `[network]` excitatory, inhibitory, p, allow_self, tau_m_ms, tau_e_ms, tau_i_ms,
/// v_rest_mv, v_threshold_mv, v_reset_mv, refractory_ms, adaptation_mv (spike-triggered
/// adaptation b, mV; 0 = plain LIF), tau_adapt_ms (its decay), w_exc_mv, w_inh_mv, delay_steps,
/// drive_mv, noise_mv, dt_ms, v0_low_mv, v0_high_mv, raster_steps. `[rule]`: `name` and
/// `switchable` from `LIFNetworkRules.registry` (`none`, `istdp`) and the listed rules'
/// parameters (`synaptop rules lif_network`): istdp takes eta_mv, rho0_hz, tau_ms and w_max_mv
/// (the bound of |w| I->E, at least |network.w_inh_mv|; 40 mV when no listed rule takes it).
public struct LIFNetworkSceneModel: SceneModel {
    public static let kind = "lif_network"
    public static var ruleFamily: String { LIFNetworkRules.registry.family }
    public static let summary = "E/I network of LIF neurons with exponential current synapses (CUBA, Vogels & Abbott 2005); optional inhibitory STDP"
    public var config: LIFNetworkConfig

    /// Largest network accepted (neurons) and largest expected synapse count.
    public static let maxNeurons = 200_000
    public static let maxExpectedSynapses = 40_000_000

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = LIFNetworkConfig()
        var net = try scene.table("network")
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
        var p = LIFParameters.cuba
        p.tauM = try net.number("tau_m_ms", in: .openClosed(0, 10_000), default: 20) / 1000
        p.tauE = try net.number("tau_e_ms", in: .openClosed(0, 10_000), default: 5) / 1000
        p.tauI = try net.number("tau_i_ms", in: .openClosed(0, 10_000), default: 10) / 1000
        p.restMV = try net.number("v_rest_mv", in: .closed(-200, 100), default: -49)
        p.thresholdMV = try net.number("v_threshold_mv", in: .closed(-200, 100), default: -50)
        p.resetMV = try net.number("v_reset_mv", in: .closed(-200, 100), default: -60)
        if p.resetMV >= p.thresholdMV {
            throw net.error("v_reset_mv", "expected v_reset_mv < v_threshold_mv (\(p.thresholdMV)), got \(p.resetMV)")
        }
        p.refractory = try net.number("refractory_ms", in: .closed(0, 1000), default: 5) / 1000
        p.noiseMV = try net.number("noise_mv", in: .closed(0, 100), default: 0)
        // Adaptive LIF: tauM dv/dt = ... - a, tauA da/dt = -a, a += adaptation_mv at each spike.
        p.adaptationMV = try net.number("adaptation_mv", in: .closed(0, 1000), default: 0)
        p.tauA = try net.number("tau_adapt_ms", in: .openClosed(0, 100_000), default: 100) / 1000
        c.neuron = p
        c.weightExcMV = try net.number("w_exc_mv", in: .closed(0, 1000), default: 1.62)
        c.weightInhMV = try net.number("w_inh_mv", in: .closed(-1000, 0), default: -9)
        c.delaySteps = try net.integer("delay_steps", in: 0...1000, default: 0)
        c.driveMV = try net.number("drive_mv", in: .closed(-1000, 1000), default: 0)
        c.dt = try net.number("dt_ms", in: .closed(0.001, 10), default: 0.1) / 1000
        c.v0LowMV = try net.number("v0_low_mv", in: .closed(-200, 100), default: p.resetMV)
        c.v0HighMV = try net.number("v0_high_mv", in: .closed(-200, 100), default: p.thresholdMV)
        if c.v0HighMV < c.v0LowMV { throw net.error("v0_high_mv", "expected v0_high_mv >= v0_low_mv (\(c.v0LowMV)), got \(c.v0HighMV)") }
        c.rasterSteps = try net.integer("raster_steps", in: 10...100_000, default: 2000)
        try net.finish()

        var rule = try scene.table("rule")
        let selection = try rule.rules(from: LIFNetworkRules.registry, default: NoPlasticity.name)
        c.rules = selection.configured
        c.start = selection.start
        if let bound = selection.rules.lazy.compactMap(\.weightBoundMV).max() {
            if -c.weightInhMV > bound {
                throw rule.error("w_max_mv", "expected w_max_mv >= |network.w_inh_mv| (\(-c.weightInhMV)), got \(bound)")
            }
            c.inhibitoryBoundMV = bound
        }
        try rule.finish()
        config = c
    }

    public var metricNames: [String] { LIFNetworkSimulation.metricNames }
    public var viewNames: [String] { LIFNetworkSimulation.viewNames }
    public var ruleNames: [String] { config.rules.map(\.name) }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        LIFNetworkSimulation(config: config, seed: seed)
    }
}

extension LIFNetworkSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let n = Double(config.excitatory + config.inhibitory)
        let synapses = n * n * config.connectionProbability
        c.bytes = synapses * 12 + n * 64
        c.stepFlops = synapses * 0.05 + n * 20
        return c
    }
}
