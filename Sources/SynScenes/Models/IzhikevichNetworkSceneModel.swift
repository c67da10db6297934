import SynModels

/// `model = "izhikevich_network"`: networks of Izhikevich (2003) neurons — the 1000-neuron
/// random network with thalamic noise (alpha/gamma rhythms), and the distal_reward network of
/// Izhikevich (2007) with dopamine-modulated STDP.
///
/// Keys: `[network]` excitatory, inhibitory, heterogeneous, out_degree, inhibition_onto_all,
/// w_exc, w_inh, random_weights, w_exc_max, delay_max_ms, noise_exc, noise_inh, kick,
/// uniform_input, dt_ms, raster_steps; `[task]` name ("none" or "distal_reward"),
/// reward_delay_ms, reward_jitter_ms, pairing_window_ms, target_w0.
/// `[rule]`: `name` and `switchable` from `IzhikevichRules.registry` (`none`, `stdp`,
/// `da_stdp`) and the listed rules' parameters (`synaptop rules izhikevich_network`): stdp and
/// da_stdp take the shared STDP keys tau_pre_ms, tau_post_ms, a_plus (A+ relative to
/// network.w_exc_max: 0.025 x 4 mV/ms = 0.1) and a_minus_ratio (A- = ratio A+ tau+/tau-: 1.5
/// gives 0.15); da_stdp also tau_c_ms, tau_d_ms, reward, dopamine_baseline, eta.
public struct IzhikevichNetworkSceneModel: SceneModel {
    public static let kind = "izhikevich_network"
    public static var ruleFamily: String { IzhikevichRules.registry.family }
    public static let summary = "Izhikevich (2003) neuron networks: thalamo-cortical rhythms; dopamine-modulated STDP with distal reward (Izhikevich 2007)"
    public var config: IzhikevichNetworkConfig

    public static let maxNeurons = 20_000
    public static let maxSynapses = 20_000_000

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = IzhikevichNetworkConfig()
        var net = try scene.table("network")
        c.excitatory = try net.integer("excitatory", in: 1...Self.maxNeurons, default: 800)
        c.inhibitory = try net.integer("inhibitory", in: 0...Self.maxNeurons, default: 200)
        let n = c.excitatory + c.inhibitory
        if n > Self.maxNeurons {
            throw net.error("inhibitory", "expected excitatory + inhibitory <= \(Self.maxNeurons), got \(n)")
        }
        c.heterogeneous = try net.bool("heterogeneous", default: true)
        c.outDegree = try net.integer("out_degree", in: 0...Self.maxNeurons, default: 0)
        let synapses = n * (c.outDegree == 0 ? n : min(n, c.outDegree))
        if synapses > Self.maxSynapses {
            throw net.error("out_degree", "expected at most \(Self.maxSynapses) synapses (neurons x out_degree, 0 = all-to-all), got \(synapses)")
        }
        c.inhibitionOntoAll = try net.bool("inhibition_onto_all", default: true)
        c.weightExc = try net.number("w_exc", in: .closed(0, 100), default: 0.5)
        c.weightInh = try net.number("w_inh", in: .closed(-100, 0), default: -1)
        c.randomWeights = try net.bool("random_weights", default: true)
        c.weightExcMax = try net.number("w_exc_max", in: .openClosed(0, 100), default: 4)
        if c.weightExc > c.weightExcMax {
            throw net.error("w_exc_max", "expected w_exc_max >= w_exc (\(c.weightExc)), got \(c.weightExcMax)")
        }
        c.delayMaxMs = try net.integer("delay_max_ms", in: 1...1000, default: 1)
        c.noiseExc = try net.number("noise_exc", in: .closed(0, 1000), default: 5)
        c.noiseInh = try net.number("noise_inh", in: .closed(0, 1000), default: 2)
        c.kick = try net.number("kick", in: .closed(0, 1000), default: 0)
        c.uniformInput = try net.number("uniform_input", in: .closed(0, 1000), default: 0)
        c.dt = try net.number("dt_ms", in: .closed(0.01, 1), default: 1) / 1000
        let delaySteps = Double(c.delayMaxMs) / (c.dt * 1000)
        if delaySteps > 1000 {
            throw net.error("delay_max_ms", "expected delay_max_ms / dt_ms <= 1000 steps (the delay ring's limit), got \(c.delayMaxMs) / \(c.dt * 1000)")
        }
        c.rasterSteps = try net.integer("raster_steps", in: 10...100_000, default: 1000)
        try net.finish()

        var rule = try scene.table("rule")
        let selection = try rule.rules(from: IzhikevichRules.registry, default: NoPlasticity.name)
        try rule.finish()
        c.rules = selection.configured
        c.start = selection.start

        var task = try scene.table("task")
        let name = try task.string("name", oneOf: ["none", "distal_reward"], default: "none")
        c.rewardTask = name == "distal_reward"
        c.rewardDelay = try task.number("reward_delay_ms", in: .closed(0, 100_000), default: 1000) / 1000
        c.rewardJitter = try task.number("reward_jitter_ms", in: .closed(0, 100_000), default: 0) / 1000
        c.pairingWindow = try task.number("pairing_window_ms", in: .openClosed(0, 1000), default: 10) / 1000
        if task.has("target_w0") {
            let w0 = try task.number("target_w0", in: .closed(0, c.weightExcMax), default: c.weightExc)
            c.targetInitialWeight = w0
        }
        if c.rewardTask && c.outDegree == 0 && n > 2000 {
            throw task.error("name", "expected a sparse network (network.out_degree > 0) or <= 2000 neurons for distal_reward, got all-to-all with \(n)")
        }
        try task.finish()
        config = c
    }

    public var metricNames: [String] { IzhikevichNetworkSimulation.metricNames(config) }
    public var viewNames: [String] { IzhikevichNetworkSimulation.viewNames(config) }
    public var ruleNames: [String] { config.rules.map(\.name) }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        IzhikevichNetworkSimulation(config: config, seed: seed)
    }
}

extension IzhikevichNetworkSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`).
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let f = 4.0  // bytes per Float
        let n = Double(config.excitatory + config.inhibitory)
        let synapses = n * (config.outDegree == 0 ? n : min(n, Double(config.outDegree)))
        let ringSteps = Double(config.delayMaxMs) / (config.dt * 1000) + 2
        // Weight, target, delay, pre index and STDP state per synapse; the delay ring.
        c.bytes = synapses * 16 + n * ringSteps * f
        c.stepFlops = synapses * 0.05 + n * 20
        return c
    }
}
