/// Backprop with Adam (Kingma & Ba 2015):
///
///     m ← β₁ m + (1 − β₁) ḡ,   v ← β₂ v + (1 − β₂) ḡ²,
///     θ ← θ − η m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
///
/// ḡ the mean backprop gradient over `batch` samples, t the number of updates since the rule
/// became active, squares and roots element-wise, β₁, β₂ in [0, 1), ε > 0 (symbols:
/// `MLPLearningRule`). Each parameter's step is about η whatever the gradient's scale.
public struct Adam: MLPFeedbackRule {
    public static let name = "adam"
    public static let summary = "backprop + Adam, per-parameter steps from bias-corrected moments (Kingma & Ba 2015)"
    public static let eta = MLPParameter.eta(default: 0.001)
    public static let beta1 = RuleParameter("beta1", "decay β₁ of the first-moment average per update", range: .closedOpen(0, 1), default: 0.9)
    public static let beta2 = RuleParameter("beta2", "decay β₂ of the second-moment average per update", range: .closedOpen(0, 1), default: 0.999)
    public static let epsilon = RuleParameter("epsilon", "ε added to √v̂", range: .openClosed(0, 1), default: 1e-8)
    public static let parameters = [eta, beta1, beta2, epsilon, MLPParameter.batch]
    public static let errorFeedback = ErrorFeedback.backprop

    public var eta: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let batch: Int

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        beta1 = values.float(Self.beta1)
        beta2 = values.float(Self.beta2)
        epsilon = values.float(Self.epsilon)
        batch = values.integer(MLPParameter.batch)
    }

    public init(eta: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, batch: Int = 1) {
        self.eta = eta
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.batch = batch
    }

    public var optimizer: MLPOptimizer { .adam(beta1: beta1, beta2: beta2, epsilon: epsilon) }

    public var equation: String { equationLine(estimate: "g = delta_post * a_pre (backprop), m, v moving averages of g, g^2") }
}
