/// REINFORCE with the variance-minimising per-unit baseline (Bengio et al. 2013,
/// arXiv 1308.3432):
///
///     ĝ_{a_i} = (h_i − p_i)(L − L̄_i),   L̄_i = E[(h_i − p_i)² L] / E[(h_i − p_i)²]
///
/// L in nats; both expectations are exponential moving averages (decay 0.99 per minibatch)
/// kept by the model. Still unbiased (L̄_i does not depend on h_i), lower variance.
public struct ReinforceBaseline: StochasticEstimatorRule {
    public static let name = "reinforce_baseline"
    public static let summary = "REINFORCE with the optimal per-unit baseline: (h - p)(L - Lbar_i) (Bengio et al. 2013)"
    public static let parameters: [RuleParameter] = []
    public init(_ values: RuleParameterValues) {}
    public init() {}
    public var equation: String { "g_a = (h - p)(L - Lbar_i), Lbar_i = E[(h-p)^2 L] / E[(h-p)^2]" }

    public func hiddenGradient(p: [Float], h: [Float], dh: [Float], loss: Float, baseline: [Float], into g: inout [Float]) {
        for i in g.indices { g[i] = (h[i] - p[i]) * (loss - baseline[i]) }
    }
}
