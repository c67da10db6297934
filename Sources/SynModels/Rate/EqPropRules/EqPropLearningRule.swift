/// A learning rule of an `EqPropNetwork` (`model = "eqprop"`): how the nudged phases of
/// equilibrium propagation run, with the nudging strength β and learning rate η.
///
/// Symbols shared by the rules' equations: s^0 the free equilibrium (β = 0), s^β the
/// equilibrium with the output nudged toward the target t with strength β (the output relaxes to
/// clip((W s + b + β t) / (1 + β), 0, 1)), ρ(s) = clip(s, 0, 1) the hard sigmoid, ρ_l the layer-l
/// rates (ρ_0 = x, the clamped input), η_l the learning rate of layer l (every rule's `eta`, or
/// the scene's per-layer `etas`), β > 0 dimensionless.
public protocol EqPropLearningRule: LearningRule {
    /// How the nudged phases are run.
    var nudge: NudgeMode { get }
    /// Nudging strength β (live control "beta").
    var beta: Float { get }
    /// Learning rate η of every layer (unless the scene gives per-layer `etas`).
    var eta: Float { get }
    /// The update equation at nudging strength `beta` (the live control's value).
    func equation(beta: Float) -> String
    /// The rule at nudging strength `beta` and learning rate `eta`.
    init(beta: Float, eta: Float)
}

extension EqPropLearningRule {
    public var equation: String { equation(beta: beta) }

    /// Every EqProp rule reads the same two parameters.
    public static var parameters: [RuleParameter] { [EqPropParameter.beta, EqPropParameter.eta] }

    public init(_ values: RuleParameterValues) {
        self.init(beta: values.float(EqPropParameter.beta), eta: values.float(EqPropParameter.eta))
    }

    /// The relaxation dynamics every rule shares, for the equation line.
    static var relaxation: String { "s <- clip(W s_below + W^T s_above + b)  (+ beta (t - s) at the output)" }
}

/// Parameters shared by the equilibrium-propagation rules.
enum EqPropParameter {
    static let beta = RuleParameter("beta", "nudging strength β of the output toward the target (live control)",
                                    range: .closed(0.001, 1), default: 0.2)
    static let eta = RuleParameter("eta", "learning rate η of every layer (per-layer: the scene's `etas`)",
                                   range: .openClosed(0, 10), default: 0.05)
}
