/// Direct feedback alignment (Nøkland 2016): every hidden layer receives the output error
/// e = δ_L directly through its own fixed random matrix D_l (size_l × outputs):
///
///     δ_l = (D_l e) ⊙ f′(z_l),   g_W_l = δ_{l+1} a_lᵀ,   g_b_l = δ_{l+1},   θ ← θ − η ḡ
///
/// (symbols: `MLPLearningRule`; D_l drawn with the network, `MLP.feedback` at `dfaOffset`).
public struct DirectFeedbackAlignment: MLPFeedbackRule {
    public static let name = "direct_feedback_alignment"
    public static let summary = "direct feedback alignment: output error sent to every layer through fixed random D_l (Nøkland 2016)"
    public static let eta = MLPParameter.eta(default: 0.02)
    public static let parameters = [eta, MLPParameter.batch]
    public static let errorFeedback = ErrorFeedback.directFeedbackAlignment

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

    public var equation: String { equationLine(estimate: "g = delta_post * a_pre, delta_l = (D_l e) f'(z_l), D_l fixed random") }
}
