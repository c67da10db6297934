import SynCore

/// How the fusion layer's gradient is modulated (`model = "iemf"`, science page 34): from the
/// batch's confidence scores s_m = Σ_batch softmax(o_m)[y] of the unimodal heads (a, v) and the
/// fused head (av), a coefficient c multiplies the gradient of the fusion output layer,
/// W_f ← W_f − η c ∂L/∂W_f (through momentum SGD); everything else trains unscaled.
public protocol FusionRule: LearningRule {
    /// The coefficient c from the confidence scores (dimensionless, batch sums).
    func coefficient(sA: Float, sV: Float, sAV: Float) -> Float
    /// Whether the authors' gradient-noise term (N(0, std(∂L/∂W_f)²)) may be added for this rule.
    var addsGradientNoise: Bool { get }
}

/// The registry of fusion-gradient rules: scenes and `--rule` find them here by name.
public enum FusionRules {
    public static let registry = RuleRegistry<any FusionRule>(
        family: "fusion", summary: "modulation of a multimodal fusion layer's gradient (model iemf)", [
            .init(PlainFusion.self) { $0 },
            .init(InverseEffectivenessFusion.self) { $0 },
        ])
}
