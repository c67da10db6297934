/// Feedback alignment (Lillicrap, Cownden, Tweed & Akerman 2016): the error is sent back
/// through fixed random matrices B_l (the shape of W_l) instead of the transposed forward
/// weights; the forward weights come to align with B so the updates follow the gradient:
///
///     δ_l = (B_lᵀ δ_{l+1}) ⊙ f′(z_l),   g_W_l = δ_{l+1} a_lᵀ,   g_b_l = δ_{l+1},   θ ← θ − η ḡ
///
/// (symbols: `MLPLearningRule`; B_l ~ N(0, 1 / fan_in), drawn with the network, `MLP.feedback`).
public struct FeedbackAlignment: MLPFeedbackRule {
    public static let name = "feedback_alignment"
    public static let summary = "feedback alignment: errors sent back through fixed random B (Lillicrap et al. 2016)"
    public static let eta = MLPParameter.eta(default: 0.02)
    public static let parameters = [eta, MLPParameter.batch]
    public static let errorFeedback = ErrorFeedback.feedbackAlignment

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

    public var equation: String { equationLine(estimate: "g = delta_post * a_pre, delta = (B^T delta_next) f'(z), B fixed random") }
}
