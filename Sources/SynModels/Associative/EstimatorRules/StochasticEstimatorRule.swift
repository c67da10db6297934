/// A gradient estimator for a layer of stochastic binary units h_i ~ Bernoulli(p_i),
/// p_i = σ(a_i) (`model = "stochastic_binary"`; Bengio, Léonard & Courville 2013,
/// arXiv 1308.3432): it turns one example's sample into an estimate of ∂L/∂a, from which the
/// layer's weights get ĝ_W1 = ĝ_a xᵀ. The output layer always gets its exact gradient.
public protocol StochasticEstimatorRule: LearningRule {
    /// ĝ_a for one example: p = σ(a), h the sample (0/1), dh = ∂L/∂h through the output layer,
    /// `loss` L of this example, `baseline` the per-unit baseline L̄_i (tracked by the model).
    func hiddenGradient(p: [Float], h: [Float], dh: [Float], loss: Float, baseline: [Float], into g: inout [Float])
}

/// The registry of stochastic-unit gradient estimators (`model = "stochastic_binary"`). A new
/// estimator is one file in `Associative/EstimatorRules/` and one line below.
public enum StochasticEstimators {
    public static let registry = RuleRegistry<any StochasticEstimatorRule>(
        family: "stochastic_binary", summary: "gradient estimators through stochastic binary units (model = \"stochastic_binary\")", [
            .init(StraightThrough.self) { $0 },
            .init(StraightThroughSigmoid.self) { $0 },
            .init(Reinforce.self) { $0 },
            .init(ReinforceBaseline.self) { $0 },
        ])
}
