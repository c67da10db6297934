/// A parameter update of the learning-dynamics scenes (`edge_of_stability`, `grokking`,
/// `coupled_learners`): given the full gradient g of the loss at θ, one step θ ← U(θ, g).
/// The scenes study what such a rule does over time (sharpness, grokking, synchrony), so the
/// rule is a plain optimiser on a flat Float32 parameter vector.
///
/// Symbols: θ parameters, g = ∇L(θ), η > 0 learning rate per update (dimensionless),
/// λ_wd ≥ 0 decoupled weight decay per unit η.
public protocol DynamicsRule: LearningRule {
    /// The learning rate η (a live control in the scenes).
    var eta: Float { get set }
    /// The decoupled weight decay λ_wd (a live control in `grokking`).
    var weightDecay: Float { get set }
    /// Applies one update to the n entries of θ from the gradient g, where `mask[i]` is 0 for
    /// entries held fixed (e.g. biases of a bias-free network) and 1 otherwise.
    func update(_ theta: inout [Float], gradient g: [Float], mask: [Float], state: inout DynamicsRuleState)
}

/// The state a `DynamicsRule` keeps between updates (optimiser moments, update count); a live
/// rule switch resets it.
public struct DynamicsRuleState: Sendable, Equatable {
    public var m: [Float]
    public var v: [Float]
    public var updates = 0

    public init(count: Int) {
        m = [Float](repeating: 0, count: count)
        v = m
    }
}

/// The learning-rate parameter of the dynamics rules, with each rule's default.
enum DynamicsParameter {
    static func eta(default value: Double) -> RuleParameter {
        RuleParameter("eta", "learning rate η per update", range: .openClosed(0, 10), default: value)
    }

    static func weightDecay(default value: Double) -> RuleParameter {
        RuleParameter("weight_decay", "decoupled weight decay λ_wd: θ ← (1 − η λ_wd) θ before the step", range: .closed(0, 100),
                      default: value)
    }
}

/// The registry of dynamics rules: scenes and `--rule` find them here by name. A new rule is
/// one file in `Dynamics/` and one line below.
public enum DynamicsRules {
    public static let registry = RuleRegistry<any DynamicsRule>(
        family: "dynamics", summary: "full-gradient optimisers of the learning-dynamics scenes (edge_of_stability, grokking, coupled_learners)", [
            .init(GradientDescent.self) { $0 },
            .init(AdamW.self) { $0 },
        ])
}
