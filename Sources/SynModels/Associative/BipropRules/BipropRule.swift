/// A training variant of the tied classifier/generator of bidirectional learning
/// (`model = "biprop"`; Pontes-Filho & Liwicki 2019, arXiv 1805.08006): which of the two losses
/// update the shared weights at minibatch t (t = 0, 1, ... counted from the start of training).
///
/// Symbols (all dimensionless): x input (64 pixels in [0, 1]), y one-hot label, W1 (64 x L) and
/// W2 (L x 10) the shared weights, b1, b2 the classifier's and c1, c2 the generator's biases,
/// σ the logistic sigmoid, η the Adam learning rate of both losses.
/// - classifier: h = σ(x W1 + b1), L_c = CE(softmax(h W2 + b2), y) (nats, batch mean);
/// - generator: g = σ(y W2ᵀ + c2), x̂ = σ(g W1ᵀ + c1),
///   L_g = −mean over batch and pixels of [x log x̂ + (1 − x) log(1 − x̂)] (nats per pixel).
/// Every variant takes one Adam step on L_c w.r.t. {W1, W2, b1, b2} per minibatch; a variant
/// that trains the generator at t then takes one Adam step on L_g w.r.t. {W1, W2, c1, c2}, with
/// its own Adam moments (one state per loss).
public protocol BipropRule: LearningRule {
    /// Whether the generator step runs at minibatch t (t ≥ 0).
    func trainsGenerator(at t: Int) -> Bool
}

/// The registry of bidirectional-learning variants (`model = "biprop"`). A new variant is one
/// file in `Associative/BipropRules/` and one line below.
public enum BipropRules {
    public static let registry = RuleRegistry<any BipropRule>(
        family: "biprop", summary: "backprop vs bidirectional learning of a tied classifier/generator (model = \"biprop\")", [
            .init(ClassifierOnly.self) { $0 },
            .init(Biprop.self) { $0 },
            .init(HalfBiprop.self) { $0 },
        ])
}
