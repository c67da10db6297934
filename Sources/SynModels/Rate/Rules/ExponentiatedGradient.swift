/// Exponentiated gradient (Cornford et al. 2024, "Brain-like learning with exponentiated
/// gradients"): backprop's gradient applied multiplicatively,
///
///     w ← w exp(−η sign(w) ḡ_w)   (weights),   b ← b − η ḡ_b   (biases)
///
/// (symbols: `MLPLearningRule`). No weight ever changes sign, so excitatory and inhibitory
/// synapses stay so (Dale's law), and weight distributions become log-normal.
public struct ExponentiatedGradient: MLPFeedbackRule {
    public static let name = "exp_grad"
    public static let summary = "exponentiated gradient, w ← w exp(−η sign(w) g): weights keep their signs (Cornford et al. 2024)"
    public static let eta = MLPParameter.eta(default: 0.05)
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

    public var optimizer: MLPOptimizer { .exponentiated }

    public var equation: String { equationLine(estimate: "g = delta_post * a_pre, delta = (W^T delta_next) f'(z)") }
}
