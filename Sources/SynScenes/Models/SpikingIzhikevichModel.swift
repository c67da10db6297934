import SynModels

/// `model = "izhikevich-network"`: networks of Izhikevich (2003) neurons — the 1000-neuron
/// random network with thalamic noise (alpha/gamma rhythms), and the distal-reward network of
/// Izhikevich (2007) with dopamine-modulated STDP.
///
/// Keys: `[network]` excitatory, inhibitory, heterogeneous, out_degree, inhibition_onto_all,
/// w_exc, w_inh, random_weights, w_exc_max, delay_max_ms, noise_exc, noise_inh, kick, dt_ms,
/// raster_steps; `[rule]` name, switchable, tau_pre_ms, tau_post_ms, a_plus, a_minus,
/// tau_c_ms, tau_d_ms, reward, dopamine_baseline, eta; `[task]` name ("none" or
/// "distal-reward"), reward_delay_ms, pairing_window_ms.
public struct SpikingIzhikevichModel: SceneModel {
    public static let kind = "izhikevich-network"
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
        c.dt = try net.number("dt_ms", in: .closed(0.01, 1), default: 1) / 1000
        let delaySteps = Double(c.delayMaxMs) / (c.dt * 1000)
        if delaySteps > 1000 {
            throw net.error("delay_max_ms", "expected delay_max_ms / dt_ms <= 1000 steps (the delay ring's limit), got \(c.delayMaxMs) / \(c.dt * 1000)")
        }
        c.rasterSteps = try net.integer("raster_steps", in: 10...100_000, default: 1000)
        try net.finish()

        var rule = try scene.table("rule")
        c.rule = try rule.string("name", oneOf: IzhikevichNetworkConfig.rules, default: "none")
        c.switchable = try rule.strings("switchable", oneOf: IzhikevichNetworkConfig.rules, default: [c.rule])
        if !c.switchable.contains(c.rule) {
            throw rule.error("switchable", "expected a list containing the starting rule \"\(c.rule)\", got [\(c.switchable.joined(separator: ", "))]")
        }
        c.stdp.tauPre = try rule.number("tau_pre_ms", in: .openClosed(0, 10_000), default: 20) / 1000
        c.stdp.tauPost = try rule.number("tau_post_ms", in: .openClosed(0, 10_000), default: 20) / 1000
        c.stdp.aPlus = Float(try rule.number("a_plus", in: .closed(0, 10), default: 0.1))
        c.stdp.aMinus = Float(try rule.number("a_minus", in: .closed(0, 10), default: 0.15))
        c.tauC = try rule.number("tau_c_ms", in: .openClosed(0, 1_000_000), default: 1000) / 1000
        c.tauD = try rule.number("tau_d_ms", in: .openClosed(0, 1_000_000), default: 200) / 1000
        c.reward = try rule.number("reward", in: .closed(0, 100), default: 0.5)
        c.dopamineBaseline = try rule.number("dopamine_baseline", in: .closed(0, 10), default: 0.002)
        c.eta = try rule.number("eta", in: .closed(0, 100_000), default: 100)
        try rule.finish()

        var task = try scene.table("task")
        let name = try task.string("name", oneOf: ["none", "distal-reward"], default: "none")
        c.rewardTask = name == "distal-reward"
        c.rewardDelay = try task.number("reward_delay_ms", in: .closed(0, 100_000), default: 1000) / 1000
        c.pairingWindow = try task.number("pairing_window_ms", in: .openClosed(0, 1000), default: 10) / 1000
        if c.rewardTask && c.outDegree == 0 && n > 2000 {
            throw task.error("name", "expected a sparse network (network.out_degree > 0) or <= 2000 neurons for distal-reward, got all-to-all with \(n)")
        }
        try task.finish()
        config = c
    }

    public var metricNames: [String] { IzhikevichNetworkSimulation.metricNames(config) }
    public var viewNames: [String] { IzhikevichNetworkSimulation.viewNames(config) }
    public var ruleNames: [String] { config.switchable }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        IzhikevichNetworkSimulation(config: config, seed: seed)
    }
}
