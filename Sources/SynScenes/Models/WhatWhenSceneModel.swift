import SynModels

/// `model = "what_when"`: a spiking E/I reservoir whose "what" and "when" readouts are learned
/// by a gated three-factor rule and by FORCE side by side (scene `what-when`; Yamada & Chao 2025,
/// science page 8).
///
/// ```toml
/// [network]
/// excitatory = 160             # regular-spiking family (heterogeneous Izhikevich 2003), in [10, 2000]
/// inhibitory = 40              # fast-spiking family, in [0, 2000]
/// connection_prob = 0.1        # out-degree = round(p N), in (0, 1]
/// w_exc = 2.0                  # E weights ~ U(0, w_exc) mV/ms, in [0, 100]
/// w_inh = -4.0                 # I weights ~ -U(0, |w_inh|) mV/ms, in [-100, 0]
/// noise_exc = 5.0              # thalamic noise SD (mV/ms per 1 ms), E, in [0, 100]
/// noise_inh = 2.0              # same, I, in [0, 100]
/// tau_r_ms = 30                # presynaptic trace time constant (control "tau_r_ms"), in [5, 200]
/// [task]
/// trial_ms = 1000              # in [200, 5000]
/// cue_ms = 20                  # cue current duration, in [1, 200]
/// cue_fraction = 0.2           # cued share of the neurons, in (0, 1]
/// cue_current = 10.0           # mV/ms into each cued neuron, in (0, 200]
/// latency_ms = 300             # stimulus latency L (control "latency_ms"), in [100, 900], < trial_ms - box_ms / 2
/// switch_trial = 100           # L becomes switch_latency_ms at this trial (0 = never), in [0, 100000]
/// switch_latency_ms = 500      # in [100, 900]
/// p_a = 0.8                    # probability of stimulus A (else B; control "p_a"), in [0, 1]
/// box_ms = 50                  # target box width, centred on L, in [2, 200]
/// estimate_rate = 0.5          # κ of the latency estimate L̂ that centres the gate, in (0, 1]
/// gate = true                  # attention gate on (control "gate")
/// [rule]
/// name = "three_factor"        # `WhatWhenRules.registry`: three_factor, force
/// switchable = ["three_factor", "force"]   # every listed rule runs as its own arm
/// ```
public struct WhatWhenSceneModel: SceneModel {
    public static let kind = "what_when"
    public static var ruleFamily: String { WhatWhenRules.registry.family }
    public static let summary = "what/when predictions read out of a spiking Izhikevich reservoir: gated three-factor rule vs FORCE (Yamada & Chao 2025)"

    let config: WhatWhenSimulation.Config
    let selection: RuleSelection<any WhatWhenReadoutRule>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var net = IzhikevichNetworkConfig()
        var n = try scene.table("network")
        net.excitatory = try n.integer("excitatory", in: 10...2000, default: 160)
        net.inhibitory = try n.integer("inhibitory", in: 0...2000, default: 40)
        let count = net.excitatory + net.inhibitory
        let p = try n.number("connection_prob", in: .openClosed(0, 1), default: 0.1)
        net.outDegree = max(1, min(count - 1, Int((p * Double(count)).rounded())))
        net.heterogeneous = true
        net.inhibitionOntoAll = true
        net.weightExc = try n.number("w_exc", in: .closed(0, 100), default: 2)
        net.weightExcMax = max(net.weightExc, 1)
        net.weightInh = try n.number("w_inh", in: .closed(-100, 0), default: -4)
        net.noiseExc = try n.number("noise_exc", in: .closed(0, 100), default: 5)
        net.noiseInh = try n.number("noise_inh", in: .closed(0, 100), default: 2)
        net.rasterSteps = 1000
        let tau = try n.number("tau_r_ms", in: .closed(5, 200), default: 30)
        try n.finish()

        var r = try scene.table("rule")
        selection = try r.rules(from: WhatWhenRules.registry, default: GatedThreeFactorReadout.name)
        try r.finish()

        var c = WhatWhenSimulation.Config(network: net, rules: selection.configured)
        c.start = selection.start
        c.tauRMs = tau
        var t = try scene.table("task")
        c.trialMs = try t.integer("trial_ms", in: 200...5000, default: 1000)
        c.cueMs = try t.integer("cue_ms", in: 1...200, default: 20)
        c.cueFraction = try t.number("cue_fraction", in: .openClosed(0, 1), default: 0.2)
        c.cueCurrent = try t.number("cue_current", in: .openClosed(0, 200), default: 10)
        c.boxMs = try t.integer("box_ms", in: 2...200, default: 50)
        c.latencyMs = try t.integer("latency_ms", in: 100...900, default: 300)
        c.switchTrial = try t.integer("switch_trial", in: 0...100_000, default: 100)
        c.switchLatencyMs = try t.integer("switch_latency_ms", in: 100...900, default: 500)
        for (key, l) in [("latency_ms", c.latencyMs), ("switch_latency_ms", c.switchLatencyMs)] where l + c.boxMs / 2 > c.trialMs {
            throw t.error(key, "expected the target box (L ± box_ms / 2) inside the trial of \(c.trialMs) ms, got L = \(l)")
        }
        if c.trialMs < 900 + c.boxMs / 2 {
            throw t.error("trial_ms", "expected at least 900 + box_ms / 2 ms (the latency control reaches 900 ms), got \(c.trialMs)")
        }
        c.probabilityA = try t.number("p_a", in: .closed(0, 1), default: 0.8)
        c.estimateRate = try t.number("estimate_rate", in: .openClosed(0, 1), default: 0.5)
        c.gate = try t.bool("gate", default: true)
        try t.finish()
        config = c
    }

    public var metricNames: [String] { metrics.map(\.name) }
    public var metrics: [MetricSpec] { WhatWhenSimulation.metricSpecs(ruleNames: selection.names) }
    public static var metricCatalog: [MetricSpec] { WhatWhenSimulation.metricSpecs(ruleNames: WhatWhenRules.registry.names) }
    public var viewNames: [String] { views.map(\.name) }
    public var views: [ViewSpec] { WhatWhenSimulation.viewSpecs }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        WhatWhenSimulation(config: config, seed: seed)
    }

    /// Memory: synapses, traces and the readout buffers, plus FORCE's P (N² doubles per arm).
    /// Work per step: the network, then N per readout for the three-factor arm and ~3 N² for RLS.
    public func cost(metricsEvery: Int) -> CostEstimate {
        let n = Double(config.neurons)
        let synapses = n * Double(config.network.outDegree)
        let arms = Double(config.rules.count)
        var c = CostEstimate()
        let perArm: Double = n * n * 8 + 24 * Double(config.trialMs) + 24 * n
        let recorder: Double = 65_536 * 8
        c.bytes = synapses * 16 + arms * perArm + recorder
        let armFlops: Double = 3 * n * n + 12 * n
        c.stepFlops = synapses * 0.05 + n * 20 + arms * armFlops
        return c
    }
}
