import SynModels

/// `model = "adex"`: one adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005)
/// under a step current, with the firing patterns of Naud et al. (2008, Table 1).
///
/// Keys: `[neuron]` pattern (one of `AdExPattern.names`: tonic, adapting, initial_burst,
/// regular_bursting, delayed_accelerating, delayed_bursting, transient, irregular), v_peak_mv,
/// dt_ms, onset_ms, duration_ms, tail_ms, sample_ms. `[rule]`: only `none` (`AdExRules`).
public struct AdExSceneModel: SceneModel {
    public static let kind = "adex"
    public static var ruleFamily: String { AdExRules.registry.family }
    public static let summary = "one AdEx neuron (Brette & Gerstner 2005) under a step current: the firing patterns of Naud et al. (2008), phase plane with nullclines"
    public var config: AdExConfig
    let selection: RuleSelection<NoPlasticity>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var c = AdExConfig()
        var neuron = try scene.table("neuron")
        let name = try neuron.string("pattern", oneOf: AdExPattern.names, default: AdExPattern.tonic.name)
        guard let pattern = AdExPattern.named(name) else {
            throw neuron.error("pattern", "expected one of \(AdExPattern.names.joined(separator: ", ")), got \"\(name)\"")
        }
        c.pattern = pattern
        c.peakMV = try neuron.number("v_peak_mv", in: .closed(-40, 50), default: 0)
        c.dt = try neuron.number("dt_ms", in: .closed(0.001, 0.2), default: 0.05) / 1000
        c.onsetMs = try neuron.number("onset_ms", in: .closed(0, 10_000), default: 50)
        c.durationMs = try neuron.number("duration_ms", in: .closed(1, 100_000), default: 500)
        c.tailMs = try neuron.number("tail_ms", in: .closed(0, 10_000), default: 50)
        c.sampleMs = try neuron.number("sample_ms", in: .closed(0.001, 100), default: 0.5)
        if c.trialSteps > 10_000_000 {
            throw neuron.error("duration_ms", "expected a trial of at most 10000000 steps ((onset_ms + duration_ms + tail_ms) / dt_ms), got \(c.trialSteps)")
        }
        if c.trialSteps / c.sampleEvery > 100_000 {
            throw neuron.error("sample_ms", "expected at most 100000 trace samples per trial, got \(c.trialSteps / c.sampleEvery); raise sample_ms")
        }
        try neuron.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: AdExRules.registry, default: NoPlasticity.name)
        try rule.finish()
        config = c
    }

    public var metrics: [MetricSpec] { AdExSimulation.metrics }
    public static var metricCatalog: [MetricSpec] { AdExSimulation.metrics }
    public var metricNames: [String] { AdExSimulation.metricNames }
    public var views: [ViewSpec] { AdExSimulation.views }
    public var viewNames: [String] { AdExSimulation.viewNames }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        AdExSimulation(config: config)
    }
}

extension AdExSceneModel {
    /// One neuron: a few traces of one trial; nothing grows with a size key.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        c.bytes = 64 * 1024
        c.stepFlops = 50
        return c
    }
}
