import SynModels

/// `model = "stdp_neuron"`: Poisson inputs converging onto LIF neurons through plastic
/// synapses (Song, Miller & Abbott 2000), with pair, triplet and homeostatic rules.
///
/// Keys: `[network]` inputs, outputs, input_rate_hz, modulation_depth, modulation_hz, tau_m_ms,
/// tau_e_ms, v_rest_mv, v_threshold_mv, v_reset_mv, e_exc_mv, refractory_ms, adaptation_mv,
/// tau_adapt_ms (spike-triggered adaptation of the adaptive LIF; 0 mV = plain LIF), dt_ms, gmax,
/// w0_max, raster_steps. `[rule]` is read from the rules' own schemas (`synaptop rules stdp`):
///
/// ```toml
/// [rule]
/// name = "additive"       # a rule of `SpikingRules.registry`: additive, nearest, multiplicative,
///                         # symmetric, triplet, gutig, or one of them + a homeostatic add-on
///                         # ("additive+scaling", "gutig+ip": each part resolved in its registry)
/// switchable = ["additive", "gutig", "additive+scaling"]
/// tau_pre_ms = 20.0       # shared STDP keys: tau_pre_ms, tau_post_ms, a_plus (A+ relative to
/// a_plus = 0.01           # w_max = gmax), a_minus_ratio (A- = ratio A+ tau+/tau-)
/// mu = 0.4                # gutig: mu, alpha; triplet: tau_x_ms, tau_y_ms, a2_plus, a3_plus,
///                         # a2_minus, a3_minus; scaling: target_rate_hz, scaling_eta,
///                         # scaling_period_ms, scaling_tau_ms; ip: target_rate_hz, ip_eta_mv
/// [rule.triplet]          # optional: keys for one rule only
/// tau_pre_ms = 16.8
/// ```
public struct STDPNeuronSceneModel: SceneModel {
    public static let kind = "stdp_neuron"
    public static var ruleFamily: String { SpikingRules.registry.family }
    public static let summary = "Poisson inputs onto LIF neurons with plastic synapses (Song, Miller & Abbott 2000): pair/triplet STDP, scaling, intrinsic plasticity"
    public var config: STDPNeuronConfig

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = STDPNeuronConfig()
        var net = try scene.table("network")
        c.inputs = try net.integer("inputs", in: 1...100_000, default: 1000)
        c.outputs = try net.integer("outputs", in: 1...1000, default: 1)
        if c.inputs * c.outputs > 10_000_000 {
            throw net.error("outputs", "expected inputs * outputs <= 10000000 synapses, got \(c.inputs * c.outputs)")
        }
        c.inputRateHz = try net.number("input_rate_hz", in: .closed(0, 1000), default: 15)
        c.modulationDepth = try net.number("modulation_depth", in: .closed(0, 1), default: 0)
        c.modulationHz = try net.number("modulation_hz", in: .closed(0, 1000), default: 0)
        var p = c.neuron
        p.tauM = try net.number("tau_m_ms", in: .openClosed(0, 10_000), default: 10) / 1000
        p.tauE = try net.number("tau_e_ms", in: .openClosed(0, 10_000), default: 5) / 1000
        p.restMV = try net.number("v_rest_mv", in: .closed(-200, 100), default: -74)
        p.thresholdMV = try net.number("v_threshold_mv", in: .closed(-200, 100), default: -54)
        p.resetMV = try net.number("v_reset_mv", in: .closed(-200, 100), default: -60)
        if p.resetMV >= p.thresholdMV {
            throw net.error("v_reset_mv", "expected v_reset_mv < v_threshold_mv (\(p.thresholdMV)), got \(p.resetMV)")
        }
        let ee = try net.number("e_exc_mv", in: .closed(-200, 200), default: 0)
        if ee <= p.resetMV { throw net.error("e_exc_mv", "expected e_exc_mv > v_reset_mv (\(p.resetMV)), got \(ee)") }
        p.geScaleMV = ee - p.resetMV
        p.refractory = try net.number("refractory_ms", in: .closed(0, 1000), default: 0) / 1000
        // Adaptive LIF (see `LIFParameters`): a += adaptation_mv at each spike, decaying with tau_adapt_ms.
        p.adaptationMV = try net.number("adaptation_mv", in: .closed(0, 1000), default: 0)
        p.tauA = try net.number("tau_adapt_ms", in: .openClosed(0, 100_000), default: 100) / 1000
        c.neuron = p
        c.dt = try net.number("dt_ms", in: .closed(0.001, 10), default: 0.1) / 1000
        c.gmax = Float(try net.number("gmax", in: .openClosed(0, 10), default: 0.01))
        c.w0Max = Float(try net.number("w0_max", in: .closed(0, 1), default: 1))
        c.rasterSteps = try net.integer("raster_steps", in: 10...100_000, default: 1000)
        try net.finish()

        var rule = try scene.table("rule")
        let selection = try rule.rules(from: SpikingRules.registry, default: AdditiveSTDP.name)
        try rule.finish()
        c.rules = selection.configured
        c.start = selection.start
        config = c
    }

    public var metricNames: [String] { STDPNeuronSimulation.metricNames }
    public var viewNames: [String] { STDPNeuronSimulation.viewNames }
    public var ruleNames: [String] { config.rules.map(\.name) }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        STDPNeuronSimulation(config: config, seed: seed)
    }
}

extension STDPNeuronSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let synapses = Double(config.inputs * config.outputs)
        c.bytes = synapses * 16 + Double(config.inputs) * 64
        c.stepFlops = synapses * 0.1 + Double(config.inputs) * 10
        return c
    }
}
