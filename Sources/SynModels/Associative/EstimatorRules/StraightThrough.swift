/// Straight-through estimator (Hinton's lectures; Bengio et al. 2013, arXiv 1308.3432): the
/// sampler is treated as the identity in the backward pass,
///
///     ĝ_{a_i} = ∂L/∂h_i        (dimensionless)
///
/// Biased (it ignores σ′ and the discreteness) but low-variance; it trains best in practice.
public struct StraightThrough: StochasticEstimatorRule {
    public static let name = "ste"
    public static let summary = "straight-through: dh/da := 1 (biased, low variance; Bengio et al. 2013)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public init() {}
    public var equation: String { "g_a = dL/dh" }

    public func hiddenGradient(p: [Float], h: [Float], dh: [Float], loss: Float, baseline: [Float], into g: inout [Float]) {
        for i in g.indices { g[i] = dh[i] }
    }
}
