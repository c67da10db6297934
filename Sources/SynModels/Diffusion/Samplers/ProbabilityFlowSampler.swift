import SynCore

/// The probability-flow ODE of the Dale–Langevin sampler, deterministic after the prior draw:
///
///     x ← x ⊙ exp( β(t) Δ (½ + ½ s_y(log x, t)) )
///
/// (same symbols as `MultiplicativeSampler`). Sign-preserving; follows the same marginals.
public struct ProbabilityFlowSampler: LogDiffusionSampler {
    public static let name = "probability_flow"
    public static let summary = "Dale–Langevin probability flow: x ← x exp(βΔ(½ + ½ s_y)), deterministic, sign-preserving"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "x <- x exp(beta dt (1/2 + s_y(log x, t) / 2))" }

    public func step(_ cloud: inout ParticleCloud, _ s: ReverseStep, rng: inout RNG) {
        let pt = s.marginal, bd = s.betaDelta
        for i in cloud.y.indices where cloud.y[i].isFinite {
            let y = cloud.y[i]
            cloud.y[i] = y + bd * (0.5 + 0.5 * pt.score(y))
        }
    }
}
