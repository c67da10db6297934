/// REINFORCE with a running baseline (Williams 1992), the three-factor rule of the noise-mask
/// policy (Yavuz & Yang 2024):
///
///     Δφ = η_φ mean_batch (R_i − b) ∇_φ log π_φ(m_i | x_i),   b ← 0.99 b + 0.01 mean_batch R_i
///
/// R the reward (nats of cross-entropy plus the mask budget), b its running mean; subtracting
/// b leaves the expected update unchanged and lowers its variance.
public struct MaskReinforceBaseline: PolicyGradientRule {
    public static let name = "reinforce_baseline"
    public static let summary = "REINFORCE with a running-mean baseline, advantage R - b (Williams 1992)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "dphi = eta_phi <(R - b) grad_phi log Beta(m; alpha, beta)>,  b <- 0.99 b + 0.01 <R>" }

    public func advantage(reward: Float, baseline: Float) -> Float { reward - baseline }
}
