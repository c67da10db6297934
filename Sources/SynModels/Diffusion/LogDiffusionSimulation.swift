import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sampling a positive variable by reversing a geometric Brownian motion (Dale meets Langevin,
/// Shetty et al. 2025; guidance by SVDD, Li et al. 2024), as a `Simulation`.
///
/// An episode draws `particles` from the moment-matched Gaussian prior in y = log x at t = 1 and
/// takes `stepsPerEpisode` reverse steps of Δ = 1/K to t = 0 with the active sampler; then the
/// next episode starts. One simulation step = one reverse step of every particle; the big step
/// is an episode. Metrics:
/// - `ks_distance`: KS distance of the current cloud in y to the exact marginal p_t (t now);
/// - for the last finished episode (NaN before the first): `final_ks` (to the target p_0),
///   `upper_mode_fraction` (share above the target's mode boundary), `mean_log_x`,
///   `sign_violations` (particles that crossed zero), `mean_reward` (r under the reward
///   control), `ks_tilted` (to the α-tilted target p_0 e^{r/α}/Z) and `ess` (mean effective
///   sample size of the guidance weights as a fraction, NaN for unguided samplers);
/// - `t`: the diffusion time now (1 → 0 within an episode).
public struct LogDiffusionSimulation: Simulation {
    public struct Config: Sendable {
        public var particles: Int
        public var stepsPerEpisode: Int
        public var target: LogNormalMixture
        public var schedule: LinearBetaSchedule
        public var rules: [ConfiguredRule<any LogDiffusionSampler>]
        public var start: Int
        /// Guidance when no guided sampler provides defaults.
        public var reward: DiffusionReward
        public init(particles: Int = 20_000, stepsPerEpisode: Int = 200, target: LogNormalMixture = .daleLangevinTarget,
                    schedule: LinearBetaSchedule = LinearBetaSchedule(),
                    rules: [ConfiguredRule<any LogDiffusionSampler>] = [ConfiguredRule(default: LogDiffusionSamplers.registry.rules[0])],
                    start: Int = 0, reward: DiffusionReward = .logX) {
            self.particles = particles
            self.stepsPerEpisode = stepsPerEpisode
            self.target = target
            self.schedule = schedule
            self.rules = rules
            self.start = start
            self.reward = reward
        }
    }

    /// The metrics, declared once (the scene model and the contract suite read them).
    public static let metrics = [
        MetricSpec("ks_distance", "KS distance of the particles in log x to the exact marginal p_t now"),
        MetricSpec("final_ks", "KS distance of the last finished episode's particles to the target p_0", mayBeUndefined: true),
        MetricSpec("upper_mode_fraction", "share of the last episode's particles in the upper mode (target 0.6)", mayBeUndefined: true),
        MetricSpec("mean_log_x", "mean log x of the last episode's positive particles", mayBeUndefined: true),
        MetricSpec("sign_violations", unit: "particles", "particles that crossed zero during the last episode", mayBeUndefined: true),
        MetricSpec("mean_reward", "mean reward r of the last episode's particles", mayBeUndefined: true),
        MetricSpec("ks_tilted", "KS distance of the last episode to the α-tilted target p_0 e^{r/α}/Z", mayBeUndefined: true),
        MetricSpec("ess", "mean effective sample size of the guidance weights, as a fraction (NaN unguided)", mayBeUndefined: true),
        MetricSpec("t", "diffusion time now (1 → 0 within an episode)"),
    ]
    public static let metricNames = metrics.map(\.name)
    public static let views = [
        ViewSpec("density", "the particles' density in log x now against the exact marginal p_t"),
        ViewSpec("final", "the last finished episode against the target p_0 (and the α-tilted target when guided)"),
    ]
    public static let viewNames = views.map(\.name)
    /// The y range of the density views.
    public static let yRange = (-4.0, 4.0)
    static let bins = 64

    public let config: Config
    public private(set) var step = 0
    public var dt: Double { 0 }
    public var metricNames: [String] { Self.metricNames }
    public var viewNames: [String] { Self.viewNames }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public private(set) var activeRule: Int
    public private(set) var cloud: ParticleCloud
    public private(set) var guidance: DiffusionGuidance
    /// Steps of the current episode taken so far, and the episode length (K).
    public private(set) var stepInEpisode = 0
    public private(set) var stepsPerEpisode: Int
    private var pendingSteps: Int?
    public private(set) var episodes = 0
    /// The last finished episode's particles (sorted y) and statistics.
    public private(set) var finalY: [Double] = []
    private var finalViolations = Double.nan
    private var finalESS = Double.nan
    private var prior: RNG
    private var noise: RNG

    var sampler: any LogDiffusionSampler { config.rules[activeRule].rule }

    public init(config: Config, seed: UInt64) {
        self.config = config
        activeRule = config.rules.indices.contains(config.start) ? config.start : 0
        stepsPerEpisode = max(1, config.stepsPerEpisode)
        let root = RNG(seed: seed)
        prior = root.stream("prior")
        noise = root.stream("noise")
        let start = config.rules.indices.contains(activeRule) ? config.rules[activeRule].rule.guidanceDefaults : nil
        let firstGuided = config.rules.lazy.compactMap { $0.rule.guidanceDefaults }.first
        var g = start ?? firstGuided ?? DiffusionGuidance()
        g.reward = config.reward
        guidance = g
        cloud = ParticleCloud(y: [])
        beginEpisode()
    }

    /// Time t at the start of the current step.
    public var diffusionTime: Double { 1 - Double(stepInEpisode) / Double(stepsPerEpisode) }

    private var reverseStep: ReverseStep {
        ReverseStep(schedule: config.schedule, target: config.target, t: diffusionTime,
                    delta: 1 / Double(stepsPerEpisode), guidance: guidance)
    }

    /// Fresh particles from the moment-matched Gaussian prior of p_1.
    private mutating func beginEpisode() {
        if let k = pendingSteps {
            stepsPerEpisode = k
            pendingSteps = nil
        }
        stepInEpisode = 0
        let p1 = config.target.marginal(b: config.schedule.integral(1)).moments
        let sd = p1.variance.squareRoot()
        var y = [Double](repeating: 0, count: config.particles)
        for i in y.indices { y[i] = p1.mean + sd * Double(prior.normal()) }
        cloud = ParticleCloud(y: y)
        sampler.begin(&cloud, reverseStep, rng: &noise)
    }

    public var bigStep: StepUnit { StepUnit(name: "episode", steps: stepsPerEpisode) }
    public var ruleEquation: String { sampler.equation + ";  s_y = d/dy log p_t(y), beta(t) = 0.1 + 19.9 t" }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            sampler.step(&cloud, reverseStep, rng: &noise)
            stepInEpisode += 1
            step += 1
            if stepInEpisode >= stepsPerEpisode {
                finishEpisode()
                beginEpisode()
            }
        }
    }

    private mutating func finishEpisode() {
        finalY = cloud.y.sorted()
        finalViolations = Double(cloud.violations)
        finalESS = cloud.essCount > 0 ? cloud.essSum / Double(cloud.essCount) : .nan
        episodes += 1
    }

    /// The α-tilted target's distribution function for the current reward and α.
    public func tiltedCDF(_ y: Double) -> Double {
        let target = config.target, alpha = guidance.alpha
        switch guidance.reward {
        case .logX:
            return target.tiltedLinear(alpha: alpha).cdf(y)
        case .step:
            let f0 = target.cdf(0), e = exp(1 / alpha)
            let z = f0 + e * (1 - f0)
            return y < 0 ? target.cdf(y) / z : (f0 + e * (target.cdf(y) - f0)) / z
        }
    }

    public mutating func measure() -> [Double] {
        let current = cloud.y.sorted()
        let pt = config.target.marginal(b: config.schedule.integral(diffusionTime))
        let ks = LogNormalMixture.ksDistance(sorted: current, cdf: pt.cdf)
        guard !finalY.isEmpty else {
            return [ks, .nan, .nan, .nan, .nan, .nan, .nan, .nan, diffusionTime]
        }
        let boundary = config.target.modeBoundary
        let alive = finalY.filter(\.isFinite)
        let n = Double(finalY.count)
        let upper = Double(alive.filter { $0 > boundary }.count) / n
        let meanY = alive.isEmpty ? .nan : alive.reduce(0, +) / Double(alive.count)
        let reward = alive.isEmpty ? .nan : alive.reduce(0) { $0 + guidance.reward($1) } / Double(alive.count)
        return [ks, LogNormalMixture.ksDistance(sorted: finalY, cdf: config.target.cdf), upper, meanY, finalViolations,
                reward, LogNormalMixture.ksDistance(sorted: finalY, cdf: tiltedCDF), finalESS, diffusionTime]
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        // Population samplers need the values of the particles in flight.
        cloud.value = []
    }

    public var controls: [Control] {
        [Control(name: "steps", value: Double(pendingSteps ?? stepsPerEpisode), range: 10...2000, step: 10),
         Control(name: "alpha", value: guidance.alpha, range: 0.01...100, step: 0.05),
         Control(name: "candidates", value: Double(guidance.candidates), range: 1...64, step: 1),
         Control(name: "reward", value: Double(guidance.reward.rawValue), range: 0...Double(DiffusionReward.allCases.count - 1),
                 step: 1, labels: DiffusionReward.labels)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "steps":
            // Takes effect with the next episode, so the current one keeps its Δ.
            pendingSteps = Int(value.rounded())
        case "alpha":
            guidance.alpha = value
        case "candidates":
            guidance.candidates = Int(value.rounded())
        case "reward":
            guidance.reward = DiffusionReward(rawValue: Int(value.rounded())) ?? guidance.reward
            cloud.value = []
        default:
            return "unknown control '\(name)'"
        }
        return nil
    }

    /// Densities over y ∈ [−4, 4]: the particles as a histogram density against exact curves.
    private func densityView(_ sorted: [Double], reference: [(String, (Double) -> Double)]) -> PanelView {
        let (lo, hi) = Self.yRange
        let width = (hi - lo) / Double(Self.bins)
        var counts = [Int](repeating: 0, count: Self.bins)
        for y in sorted where y.isFinite && y >= lo && y < hi { counts[min(Self.bins - 1, Int((y - lo) / width))] += 1 }
        let n = Double(max(1, sorted.count))
        let xs = (0..<Self.bins).map { Float(lo + (Double($0) + 0.5) * width) }
        var names = ["particles"], series = [counts.map { Float(Double($0) / (n * width)) }]
        for (name, density) in reference {
            names.append(name)
            series.append(xs.map { Float(density(Double($0))) })
        }
        return .traces(TracesView(names: names, series: series, unit: "density", xs: Array(repeating: xs, count: names.count),
                                  xLabel: "log x"))
    }

    /// The α-tilted target density (for the guided samplers' reference curve).
    private func tiltedDensity(_ y: Double) -> Double {
        let target = config.target, alpha = guidance.alpha
        switch guidance.reward {
        case .logX: return target.tiltedLinear(alpha: alpha).density(y)
        case .step:
            let f0 = target.cdf(0), e = exp(1 / alpha)
            return target.density(y) * (y > 0 ? e : 1) / (f0 + e * (1 - f0))
        }
    }

    public func views() -> [String: PanelView] {
        let pt = config.target.marginal(b: config.schedule.integral(diffusionTime))
        let target = config.target
        var finalRefs: [(String, (Double) -> Double)] = [("target p0", target.density)]
        if sampler.guided { finalRefs.append(("tilted target", tiltedDensity)) }
        return [
            "density": densityView(cloud.y.sorted(), reference: [("exact p_t", pt.density)]),
            "final": densityView(finalY, reference: finalRefs),
        ]
    }

    public func probe() -> [Factor] {
        let s = reverseStep
        let y = cloud.y.first ?? .nan
        let score = y.isFinite ? s.marginal.score(y) : .nan
        return [Factor("particle 0: y = log x", y), Factor("t", s.t), Factor("beta(t) dt", s.betaDelta),
                Factor("score s_y", score), Factor("drift beta dt (1/2 + s_y)", s.betaDelta * (0.5 + score)),
                Factor("noise sd sqrt(beta dt)", s.betaDelta.squareRoot())]
    }
}
