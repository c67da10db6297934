/// Backpropagation (Rumelhart, Hinton & Williams 1986) with stochastic gradient descent:
///
///     δ_l = (W_lᵀ δ_{l+1}) ⊙ f′(z_l)   (l = L−1 … 1),   g_W_l = δ_{l+1} a_lᵀ,   g_b_l = δ_{l+1}
///     θ ← θ − η ḡ
///
/// g is the exact gradient ∂L/∂θ of one sample (symbols: `MLPLearningRule`). Online (batch 1)
/// it runs the fused `MLPCore.sgdStep`.
public struct Backprop: MLPFeedbackRule {
    public static let name = "backprop"
    public static let summary = "backpropagation + SGD, θ ← θ − η ∂L/∂θ (Rumelhart, Hinton & Williams 1986)"
    public static let eta = MLPParameter.eta(default: 0.02)
    public static let parameters = [eta, MLPParameter.batch]
    public static let errorFeedback = ErrorFeedback.backprop

    public var eta: Float
    public let batch: Int

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        batch = values.integer(MLPParameter.batch)
    }

    public init(eta: Float, batch: Int = 1) {
        self.eta = eta
        self.batch = batch
    }

    public var equation: String { equationLine(estimate: "g = delta_post * a_pre, delta = (W^T delta_next) f'(z)") }
}
