import SynModels

/// `model = "log_diffusion"`: sampling a positive variable by reversing geometric Brownian
/// motion (Dale meets Langevin, Shetty et al. 2025), unguided or steered by soft value-based
/// decoding (SVDD, Li et al. 2024).
///
/// ```toml
/// [network]
/// particles = 20000      # in [100, 200000]
/// [task]
/// steps = 200            # reverse steps per episode K (Δ = 1/K), in [10, 2000]; live control
/// beta_min = 0.1         # β(t) = beta_min + (beta_max − beta_min) t
/// beta_max = 20.0
/// reward = "log_x"       # log_x | step (guided samplers; live control)
/// [rule]
/// name = "multiplicative"   # `synaptop rules log_diffusion`
/// switchable = ["multiplicative", "additive", "probability_flow"]
/// ```
/// The target is the page-20 mixture log x ~ 0.4 N(−1, 0.3²) + 0.6 N(1.5, 0.4²).
public struct LogDiffusionSceneModel: SceneModel {
    public static let kind = "log_diffusion"
    public static var ruleFamily: String { LogDiffusionSamplers.registry.family }
    public static let summary = "reverse geometric-Brownian diffusion in log space: the sign-preserving Dale–Langevin sampler, its additive contrast, SVDD guidance"

    public static let maxParticles = 200_000
    let config: LogDiffusionSimulation.Config
    let selection: RuleSelection<any LogDiffusionSampler>

    public init(reading scene: inout SceneReader) throws(SceneError) {
        var net = try scene.table("network")
        let particles = try net.integer("particles", in: 100...Self.maxParticles, default: 20_000)
        try net.finish()
        var task = try scene.table("task")
        let steps = try task.integer("steps", in: 10...2000, default: 200)
        let beta0 = try task.number("beta_min", in: .closed(0.001, 100), default: 0.1)
        let beta1 = try task.number("beta_max", in: .closed(0.001, 100), default: 20)
        if beta1 < beta0 { throw task.error("beta_max", "expected beta_max >= beta_min (\(beta0)), got \(beta1)") }
        let rewardName = try task.string("reward", oneOf: DiffusionReward.labels, default: "log_x")
        guard let index = DiffusionReward.labels.firstIndex(of: rewardName), let reward = DiffusionReward(rawValue: index) else {
            throw task.error("reward", "expected one of \(DiffusionReward.labels.joined(separator: ", ")), got \"\(rewardName)\"")
        }
        try task.finish()
        var rule = try scene.table("rule")
        selection = try rule.rules(from: LogDiffusionSamplers.registry, default: MultiplicativeSampler.name)
        try rule.finish()
        config = LogDiffusionSimulation.Config(particles: particles, stepsPerEpisode: steps,
                                               schedule: LinearBetaSchedule(beta0: beta0, beta1: beta1),
                                               rules: selection.configured, start: selection.start, reward: reward)
    }

    public var metrics: [MetricSpec] { LogDiffusionSimulation.metrics }
    public static var metricCatalog: [MetricSpec] { LogDiffusionSimulation.metrics }
    public var metricNames: [String] { LogDiffusionSimulation.metricNames }
    public var views: [ViewSpec] { LogDiffusionSimulation.views }
    public var viewNames: [String] { LogDiffusionSimulation.viewNames }
    public var ruleNames: [String] { selection.names }
    public var ruleSummaries: [RuleSummary] { selection.summaries }

    public func makeSimulation(seed: UInt64) throws(SceneError) -> any Simulation {
        LogDiffusionSimulation(config: config, seed: seed)
    }
}

extension LogDiffusionSceneModel {
    /// Particles times candidates (10 by default), a few exponentials each, plus the sorts of
    /// the metrics.
    public func cost(metricsEvery: Int) -> CostEstimate {
        var c = CostEstimate()
        let n = Double(config.particles)
        c.bytes = n * 8 * 4
        c.stepFlops = n * 10 * 60 + n * 40 / Double(max(1, metricsEvery))
        return c
    }
}
