#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inverse-effectiveness driven multimodal fusion (He et al., arXiv 2505.10176, as the
/// authors' code `Brain-Cog-Lab/BIM-ML` does it): with confidence scores s_m (batch sums of the
/// true class's softmax probability),
///
///     ratio = ((s_a + s_v) / 2) / s_av,   c = 1 + tanh(1 − ratio) ∈ (0, 1 + tanh 1],
///     W_f ← W_f − η c ∂L/∂W_f  (and b_f)
///
/// so the fusion layer learns faster exactly when the fused prediction is more confident than
/// the unimodal average (weak single cues, the regime of inverse effectiveness).
public struct InverseEffectivenessFusion: FusionRule {
    public static let name = "iemf"
    public static let summary = "fusion gradient x (1 + tanh(1 - mean unimodal / fused confidence)) (He et al. 2026, authors' code)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "c = 1 + tanh(1 - ((s_a + s_v)/2) / s_av);  W_f <- W_f - eta c dL/dW_f" }
    public var addsGradientNoise: Bool { true }
    public func coefficient(sA: Float, sV: Float, sAV: Float) -> Float {
        guard sAV > 0 else { return 1 }
        return 1 + Float(tanh(Double(1 - (sA + sV) / 2 / sAV)))
    }
}
