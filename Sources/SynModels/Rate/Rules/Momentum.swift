/// Backprop with heavy-ball momentum (Polyak 1964):
///
///     v ← μ v + ḡ,   θ ← θ − η v
///
/// ḡ the mean backprop gradient over `batch` samples, v the velocity (reset on a rule switch),
/// μ in [0, 1) (symbols: `MLPLearningRule`). The step settles at η / (1 − μ) times the SGD
/// step along a steady gradient, so the default η is SGD's 0.02 · (1 − μ).
public struct Momentum: MLPFeedbackRule {
    public static let name = "momentum"
    public static let summary = "backprop + heavy-ball momentum, v ← μ v + g, θ ← θ − η v (Polyak 1964)"
    public static let eta = MLPParameter.eta(default: 0.002)
    public static let mu = RuleParameter("mu", "momentum coefficient μ (velocity decay per update)", range: .closedOpen(0, 1), default: 0.9)
    public static let parameters = [eta, mu, MLPParameter.batch]
    public static let errorFeedback = ErrorFeedback.backprop

    public var eta: Float
    public let mu: Float
    public let batch: Int

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        mu = values.float(Self.mu)
        batch = values.integer(MLPParameter.batch)
    }

    public init(eta: Float, mu: Float = 0.9, batch: Int = 1) {
        self.eta = eta
        self.mu = mu
        self.batch = batch
    }

    public var optimizer: MLPOptimizer { .momentum(mu: mu) }

    public var equation: String { equationLine(estimate: "g = delta_post * a_pre (backprop)") }
}
