/// Plain REINFORCE (Williams 1992), without a baseline:
///
///     Δφ = η_φ mean_batch R_i ∇_φ log π_φ(m_i | x_i)
///
/// R the reward (nats). Unbiased like the baseline version, but every sample's score is
/// weighted by the whole reward, so the update is much noisier (the `pg_var_*` metrics).
public struct MaskReinforce: PolicyGradientRule {
    public static let name = "reinforce"
    public static let summary = "REINFORCE without a baseline, advantage R (Williams 1992): unbiased but noisier"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "dphi = eta_phi <R grad_phi log Beta(m; alpha, beta)>   (no baseline)" }

    public func advantage(reward: Float, baseline: Float) -> Float { reward }
}
