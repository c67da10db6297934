/// How the noise-mask policy weighs a sampled mask's score (`model = "noise_mask"`): the
/// REINFORCE update Δφ = η_φ mean_batch A_i ∇_φ log π_φ(m_i | x_i) with the advantage
/// A_i = advantage(R_i, b) of the reward R_i against the running baseline b.
public protocol PolicyGradientRule: LearningRule {
    /// The advantage A of reward `reward` when the baseline is `baseline` (same units as R).
    func advantage(reward: Float, baseline: Float) -> Float
}

/// The registry of policy-gradient rules: scenes and `--rule` find them here by name.
public enum PolicyGradientRules {
    public static let registry = RuleRegistry<any PolicyGradientRule>(
        family: "policy_gradient", summary: "REINFORCE weightings of a learned input-noise policy (model noise_mask)", [
            .init(MaskReinforceBaseline.self) { $0 },
            .init(MaskReinforce.self) { $0 },
        ])
}
