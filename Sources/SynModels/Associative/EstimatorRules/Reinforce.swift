/// REINFORCE without baseline (Williams 1992; Bengio et al. 2013, arXiv 1308.3432):
///
///     ĝ_{a_i} = (h_i − p_i) L        (∂ log P(h_i)/∂a_i = h_i − p_i; L in nats)
///
/// Unbiased for ∂E[L]/∂a_i, with a large variance.
public struct Reinforce: StochasticEstimatorRule {
    public static let name = "reinforce"
    public static let summary = "REINFORCE: (h - p) L, unbiased but very noisy (Williams 1992)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public init() {}
    public var equation: String { "g_a = (h - p) L" }

    public func hiddenGradient(p: [Float], h: [Float], dh: [Float], loss: Float, baseline: [Float], into g: inout [Float]) {
        for i in g.indices { g[i] = (h[i] - p[i]) * loss }
    }
}
