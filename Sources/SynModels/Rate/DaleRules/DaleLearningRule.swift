import SynCore

/// A learning rule of a Dale-split network (`model = "dale_mlp"`): every layer's weights are
/// W = W_E − W_I with two non-negative pathways, and the rule updates both from the gradient
/// G = ∂L/∂W without ever letting an entry of W_E or W_I become negative.
public protocol DaleLearningRule: LearningRule {
    /// Updates `excitatory` (W_E) and `inhibitory` (W_I), same shape as `gradient` (G).
    func update(excitatory: inout [Float], inhibitory: inout [Float], gradient: [Float])
    /// Learning rate of the biases (plain gradient descent).
    var biasRate: Float { get }
}

/// A Dale rule set by one learning rate η (its own `eta`, with its own default) plus the shared
/// bias rate: the parameter list and the decoding live here once, for every such rule.
public protocol DaleRateRule: DaleLearningRule {
    /// The rule's learning rate η (dimensionless, per step) with the default it is shown at.
    static var eta: RuleParameter { get }
    /// η of the weights.
    var rate: Float { get }
    init(rate: Float, biasRate: Float)
}

extension DaleRateRule {
    public static var parameters: [RuleParameter] { [eta, DaleRules.etaBias] }
    public init(_ values: RuleParameterValues) {
        self.init(rate: values.float(Self.eta), biasRate: values.float(DaleRules.etaBias))
    }
    /// η as the teaching panel prints it.
    var rateText: String { NumberFormat.shortest(Double(rate)) }
}

/// The registry of Dale-split rules (`model = "dale_mlp"`).
public enum DaleRules {
    public static let registry = RuleRegistry<any DaleLearningRule>(
        family: "dale_mlp", summary: "sign-constrained learning of Dale-split layers W = W_E − W_I (model = \"dale_mlp\")", [
            .init(DaleExponentiatedGradient.self) { $0 },
            .init(DaleProjectedGradient.self) { $0 },
        ])

    /// The biases' learning rate, shared by the Dale rules.
    static let etaBias = RuleParameter("eta_bias", "learning rate of the biases (plain gradient descent)",
                                       range: .closed(0, 10), default: 0.2)
}
