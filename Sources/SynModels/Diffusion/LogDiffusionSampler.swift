import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The particles of a log-space diffusion sampler: y = log x per particle (−∞ once a particle
/// has left the positive half-line, which only an additive sampler can do).
public struct ParticleCloud: Sendable, Equatable {
    public var y: [Double]
    /// Each particle's soft value at the current time (population guidance only).
    public var value: [Double]
    /// Particles that crossed zero during this episode (sign violations).
    public var violations = 0
    /// Sum and count of per-step effective sample sizes (as a fraction of the pool) this episode.
    public var essSum = 0.0
    public var essCount = 0

    public init(y: [Double]) {
        self.y = y
        value = []
    }
}

/// The reward a guided sampler steers towards, as a function of y = log x.
public enum DiffusionReward: Int, Sendable, CaseIterable {
    /// r = log x (the α-tilted target is again a Gaussian mixture in y).
    case logX
    /// r = 1[x > 1].
    case step

    /// The names shown by the `reward` control, in raw-value order.
    public static let labels = ["log_x", "step"]

    @inline(__always)
    public func callAsFunction(_ y: Double) -> Double {
        switch self {
        case .logX: y
        case .step: y > 0 ? 1 : 0
        }
    }
}

/// What a guided sampler optimises: temperature α, candidates per step M, reward r.
public struct DiffusionGuidance: Sendable, Equatable {
    public var alpha: Double
    public var candidates: Int
    public var reward: DiffusionReward
    public init(alpha: Double = 0.5, candidates: Int = 10, reward: DiffusionReward = .logX) {
        self.alpha = alpha
        self.candidates = candidates
        self.reward = reward
    }
}

/// One reverse step from diffusion time t to t − Δ: the schedule, the target p_0 (its exact
/// marginals give the score) and the guidance.
public struct ReverseStep: Sendable {
    public let schedule: LinearBetaSchedule
    public let target: LogNormalMixture
    public let t: Double
    public let delta: Double
    public var guidance: DiffusionGuidance
    /// B(t − Δ) and the marginal there (the soft values are taken at t − Δ), computed once.
    let nextB: Double
    let nextMarginal: LogNormalMixture

    public init(schedule: LinearBetaSchedule, target: LogNormalMixture, t: Double, delta: Double, guidance: DiffusionGuidance) {
        self.schedule = schedule
        self.target = target
        self.t = t
        self.delta = delta
        self.guidance = guidance
        nextB = schedule.integral(max(0, t - delta))
        nextMarginal = target.marginal(b: nextB)
    }

    /// β(t) Δ.
    public var betaDelta: Double { schedule.beta(t) * delta }
    /// The exact marginal p_t in y.
    public var marginal: LogNormalMixture { target.marginal(b: schedule.integral(t)) }
    /// The soft value v(y, t − Δ) = r(E[y_0 | y_{t−Δ} = y]) (SVDD-PM; exact posterior mean).
    @inline(__always)
    public func value(_ y: Double) -> Double {
        guidance.reward(target.posteriorMean(of: y, b: nextB, marginal: nextMarginal))
    }
}

/// A sampler of the family `log_diffusion` (`model = "log_diffusion"`): it moves every particle
/// of the cloud one reverse-time step. Registry: `LogDiffusionSamplers.registry`.
public protocol LogDiffusionSampler: LearningRule {
    /// True for samplers that use `DiffusionGuidance` (they report an effective sample size).
    var guided: Bool { get }
    /// The guidance this sampler starts with (nil for unguided samplers).
    var guidanceDefaults: DiffusionGuidance? { get }
    /// Called with fresh particles from the prior at t = 1 (population samplers weight them).
    func begin(_ cloud: inout ParticleCloud, _ step: ReverseStep, rng: inout RNG)
    /// One reverse step t → t − Δ for every particle.
    func step(_ cloud: inout ParticleCloud, _ step: ReverseStep, rng: inout RNG)
}

extension LogDiffusionSampler {
    public var guided: Bool { false }
    public var guidanceDefaults: DiffusionGuidance? { nil }
    public func begin(_ cloud: inout ParticleCloud, _ step: ReverseStep, rng: inout RNG) {}
}

/// The multiplicative (Dale–Langevin) reverse-SDE kernel in y = log x:
/// y ← y + βΔ (½ + s_y(y, t)) + √(βΔ) ξ. Shared by the unguided and guided samplers.
@inline(__always)
func daleLangevinMove(_ y: Double, score: Double, betaDelta: Double, xi: Double) -> Double {
    y + betaDelta * (0.5 + score) + betaDelta.squareRoot() * xi
}

/// The registry of log-space diffusion samplers: scenes and `--rule` find them here by name.
public enum LogDiffusionSamplers {
    public static let registry = RuleRegistry<any LogDiffusionSampler>(
        family: "log_diffusion",
        summary: "samplers of a positive variable by reverse geometric-Brownian diffusion (model = \"log_diffusion\")", [
            .init(MultiplicativeSampler.self) { $0 },
            .init(ProbabilityFlowSampler.self) { $0 },
            .init(AdditiveSampler.self) { $0 },
            .init(SVDDSampler.self) { $0 },
            .init(SMCGuidedSampler.self) { $0 },
        ])
}
