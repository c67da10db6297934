/// Straight-through times σ′ (Bengio et al. 2013, arXiv 1308.3432): the sampler is treated as
/// the smooth sigmoid in the backward pass,
///
///     ĝ_{a_i} = ∂L/∂h_i · p_i (1 − p_i)        (dimensionless)
public struct StraightThroughSigmoid: StochasticEstimatorRule {
    public static let name = "ste_sigmoid"
    public static let summary = "straight-through x sigma': dh/da := p (1 - p) (Bengio et al. 2013)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public init() {}
    public var equation: String { "g_a = dL/dh * p (1 - p)" }

    public func hiddenGradient(p: [Float], h: [Float], dh: [Float], loss: Float, baseline: [Float], into g: inout [Float]) {
        for i in g.indices { g[i] = dh[i] * p[i] * (1 - p[i]) }
    }
}
