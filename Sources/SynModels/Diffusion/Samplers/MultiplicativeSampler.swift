import SynCore

/// The Dale–Langevin sampler (Shetty et al. 2025): the reverse-time SDE of geometric Brownian
/// motion discretised in log space, a multiplicative, sign-preserving update
///
///     x ← x ⊙ exp( β(t) Δ (½ + s_y(log x, t)) + √(β(t) Δ) ξ ),   ξ ~ N(0, 1)
///
/// s_y = ∂_y log p_t(y) is the exact score of the Gaussian-mixture marginal (dimensionless);
/// Δ is the step in diffusion time (t runs 1 → 0). Every factor is positive: no sign changes.
public struct MultiplicativeSampler: LogDiffusionSampler {
    public static let name = "multiplicative"
    public static let summary = "Dale–Langevin reverse SDE in log space: x ← x exp(βΔ(½ + s_y) + √(βΔ) ξ), never changes sign (Shetty et al. 2025)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "x <- x exp(beta dt (1/2 + s_y(log x, t)) + sqrt(beta dt) xi)" }

    public func step(_ cloud: inout ParticleCloud, _ s: ReverseStep, rng: inout RNG) {
        let pt = s.marginal, bd = s.betaDelta
        for i in cloud.y.indices where cloud.y[i].isFinite {
            let y = cloud.y[i]
            cloud.y[i] = daleLangevinMove(y, score: pt.score(y), betaDelta: bd, xi: Double(rng.normal()))
        }
    }
}
