import SynModels

/// `model = "stdp-neuron"`: Poisson inputs converging onto LIF neurons through plastic
/// synapses (Song, Miller & Abbott 2000), with pair, triplet and homeostatic rules.
///
/// Keys: `[network]` inputs, outputs, input_rate_hz, modulation_depth, modulation_hz, tau_m_ms,
/// tau_e_ms, v_rest_mv, v_threshold_mv, v_reset_mv, e_exc_mv, refractory_ms, dt_ms, gmax,
/// w0_max, raster_steps; `[rule]` name, switchable, tau_pre_ms, tau_post_ms, a_plus,
/// a_minus_ratio, target_rate_hz, scaling_eta, scaling_period_ms, scaling_tau_ms, ip_eta_mv.
public struct SpikingSTDPModel: SceneModel {
    public static let kind = "stdp-neuron"
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
        c.neuron = p
        c.dt = try net.number("dt_ms", in: .closed(0.001, 10), default: 0.1) / 1000
        c.gmax = Float(try net.number("gmax", in: .openClosed(0, 10), default: 0.01))
        c.w0Max = Float(try net.number("w0_max", in: .closed(0, 1), default: 1))
        c.rasterSteps = try net.integer("raster_steps", in: 10...100_000, default: 1000)
        try net.finish()

        var rule = try scene.table("rule")
        (c.rule, c.switchable, _) = try rule.rules(oneOf: STDPNeuronConfig.rules, default: "additive")
        c.stdp.tauPre = try rule.number("tau_pre_ms", in: .openClosed(0, 10_000), default: 20) / 1000
        c.stdp.tauPost = try rule.number("tau_post_ms", in: .openClosed(0, 10_000), default: 20) / 1000
        c.aPlusRelative = Float(try rule.number("a_plus", in: .closed(0, 1), default: 0.01))
        c.aMinusRatio = Float(try rule.number("a_minus_ratio", in: .closed(0, 10), default: 1.05))
        c.targetRateHz = try rule.number("target_rate_hz", in: .openClosed(0, 1000), default: 20)
        c.scalingEta = try rule.number("scaling_eta", in: .closed(0, 1), default: 0.05)
        c.scalingPeriod = try rule.number("scaling_period_ms", in: .closed(0.1, 100_000), default: 100) / 1000
        c.scalingTau = try rule.number("scaling_tau_ms", in: .closed(1, 1_000_000), default: 1000) / 1000
        c.ipEtaMV = try rule.number("ip_eta_mv", in: .closed(0, 10), default: 0.05)
        try rule.finish()
        config = c
    }

    public var metricNames: [String] { STDPNeuronSimulation.metricNames }
    public var viewNames: [String] { STDPNeuronSimulation.viewNames }
    public var ruleNames: [String] { config.switchable }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        STDPNeuronSimulation(config: config, seed: seed)
    }
}
