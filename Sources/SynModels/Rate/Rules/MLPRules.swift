/// The registry of MLP rules (`model = "mlp"`): scenes and `--rule` find them here by name.
/// A new rule is one file in `Rate/Rules/` and one line below.
public enum MLPRules {
    public static let registry = RuleRegistry<any MLPLearningRule>(
        family: "mlp", summary: "gradient-estimate rules of a multilayer perceptron (model = \"mlp\")", [
            .init(Backprop.self) { $0 },
            .init(FeedbackAlignment.self) { $0 },
            .init(DirectFeedbackAlignment.self) { $0 },
            .init(NodePerturbation.self) { $0 },
            .init(WeightPerturbation.self) { $0 },
            .init(CurlDescent.self) { $0 },
            .init(ExponentiatedGradient.self) { $0 },
            .init(Momentum.self) { $0 },
            .init(Adam.self) { $0 },
            .init(WeightNoise.self) { $0 },
            .init(NVRM.self) { $0 },
        ])
}
