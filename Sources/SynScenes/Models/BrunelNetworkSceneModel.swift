import SynModels

/// `model = "brunel_network"`: Brunel's (2000) sparse E/I network of delta-synapse LIF neurons
/// with fixed in-degrees, delays and external Poisson drive, stepped on `threads` threads
/// (bit-identical results for any count).
///
/// Keys: `[network]` excitatory, inhibitory, epsilon, j_mv, g, eta, tau_m_ms, threshold_mv,
/// reset_mv, refractory_ms, delay_ms, dt_ms, v0_low_mv, v0_high_mv, threads (0 = auto: every
/// core headless, one left to the UI in the dashboard), raster_steps. `[rule]`: only `none`.
public struct BrunelNetworkSceneModel: SceneModel {
    public static let kind = "brunel_network"
    public static var ruleFamily: String { BrunelNetworkRules.registry.family }
    public static let summary = "Brunel (2000) sparse E/I network (delta synapses, delays, Poisson drive): AI and synchronous regimes by g and eta; multi-threaded"
    public var config: BrunelNetworkConfig
    let selection: RuleSelection<NoPlasticity>

    public static let maxNeurons = 250_000
    public static let maxSynapses = 50_000_000
    /// Largest mean number of external spikes per neuron and step (at eta = 6).
    public static let maxExternalPerStep = 1000.0

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = BrunelNetworkConfig()
        var net = try scene.table("network")
        c.excitatory = try net.integer("excitatory", in: 1...Self.maxNeurons, default: 10_000)
        c.inhibitory = try net.integer("inhibitory", in: 0...Self.maxNeurons, default: c.excitatory / 4)
        if c.neurons > Self.maxNeurons {
            throw net.error("inhibitory", "expected excitatory + inhibitory <= \(Self.maxNeurons), got \(c.neurons)")
        }
        c.epsilon = try net.number("epsilon", in: .openClosed(0, 1), default: 0.1)
        if c.inDegreeE < 1 {
            throw net.error("epsilon", "expected epsilon * excitatory >= 0.5 (at least one input), got \(c.epsilon * Double(c.excitatory))")
        }
        let synapses = Double(c.neurons) * Double(c.inDegreeE + c.inDegreeI)
        if synapses > Double(Self.maxSynapses) {
            throw net.error("epsilon", "expected (excitatory + inhibitory) * epsilon * (excitatory + inhibitory) <= \(Self.maxSynapses) synapses, got \(Int(synapses))")
        }
        c.jMV = try net.number("j_mv", in: .closed(0.001, 20), default: 0.1)
        c.g = try net.number("g", in: .closed(0, 10), default: 5)
        c.eta = try net.number("eta", in: .closed(0.1, 6), default: 2)
        c.tauM = try net.number("tau_m_ms", in: .closed(0.1, 1000), default: 20) / 1000
        c.thresholdMV = try net.number("threshold_mv", in: .closed(0.1, 100), default: 20)
        c.resetMV = try net.number("reset_mv", in: .closed(-100, 100), default: 10)
        if c.resetMV >= c.thresholdMV {
            throw net.error("reset_mv", "expected reset_mv < threshold_mv (\(c.thresholdMV)), got \(c.resetMV)")
        }
        c.refractory = try net.number("refractory_ms", in: .closed(0, 100), default: 2) / 1000
        c.dt = try net.number("dt_ms", in: .closed(0.01, 1), default: 0.1) / 1000
        c.delay = try net.number("delay_ms", in: .closed(0.01, 100), default: 1.5) / 1000
        if c.delay < c.dt * 0.5 {
            throw net.error("delay_ms", "expected delay_ms >= dt_ms (\(c.dt * 1000)), got \(c.delay * 1000)")
        }
        let perStep = 6 * c.thresholdMV * c.dt / (c.jMV * c.tauM)
        if perStep > Self.maxExternalPerStep {
            throw net.error("j_mv", "expected 6 * threshold_mv * dt_ms / (j_mv * tau_m_ms) <= \(Int(Self.maxExternalPerStep)) external spikes per step, got \(Int(perStep))")
        }
        c.v0LowMV = try net.number("v0_low_mv", in: .closed(-100, 100), default: 0)
        c.v0HighMV = try net.number("v0_high_mv", in: .closed(-100, 100), default: c.thresholdMV)
        if c.v0HighMV < c.v0LowMV { throw net.error("v0_high_mv", "expected v0_high_mv >= v0_low_mv (\(c.v0LowMV)), got \(c.v0HighMV)") }
        c.threads = try net.integer("threads", in: 0...256, default: 0)
        c.rasterSteps = try net.integer("raster_steps", in: 10...100_000, default: 2000)
        try net.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: BrunelNetworkRules.registry, default: NoPlasticity.name)
        try rule.finish()
        config = c
    }

    public var metricNames: [String] { BrunelNetworkSimulation.metricNames }
    public var metrics: [MetricSpec] {
        [MetricSpec("rate_hz", unit: "Hz", "mean rate per neuron since the start"),
         MetricSpec("recent_rate_hz", unit: "Hz", "mean rate per neuron over the last metrics interval; NaN before the first step", mayBeUndefined: true),
         MetricSpec("rate_exc_hz", unit: "Hz", "mean rate of the E neurons since the start"),
         MetricSpec("rate_inh_hz", unit: "Hz", "mean rate of the I neurons since the start"),
         MetricSpec("cv_isi", "mean CV of interspike intervals (neurons with >= 3 ISIs; ~1 irregular, ~0 regular); NaN until one has them", mayBeUndefined: true),
         MetricSpec("fano", "Fano factor of 1 ms population spike counts over the last second (~1 asynchronous, >> 1 synchronous)")]
    }
    public var viewNames: [String] { BrunelNetworkSimulation.viewNames }
    public var views: [ViewSpec] {
        [ViewSpec("raster", "spike raster of an evenly spaced sample of E and I neurons"),
         ViewSpec("rate", "population rate in 1 ms bins over the raster window (Hz)"),
         ViewSpec("rates", "rate of every neuron since the start (Hz)")]
    }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        BrunelNetworkSimulation(config: config, seed: seed)
    }
}

extension BrunelNetworkSceneModel {
    /// What this configuration costs before anything is allocated (see `CostEstimate`):
    /// 8 bytes per synapse while building (sources, then the CSR), the delay rows, and per step
    /// one update per neuron plus the synaptic events at ~20 Hz.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let n = Double(config.neurons)
        let synapses = n * Double(config.inDegreeE + config.inDegreeI)
        let slots = (config.delay / config.dt).rounded() + 2
        c.bytes = synapses * 8 + n * (slots * 4 + 64)
        c.setupFlops = synapses * 10
        c.stepFlops = n * 10 + synapses * 20 * config.dt
        return c
    }
}
