/// A learning rule of the asymmetric network of generalised holomorphic equilibrium propagation
/// (`model = "holomorphic_ep"`; Laborieux & Zenke, ICLR 2024): every rule forms the
/// generalised-EP estimate from the N-point neural error δ = dσ(u*)/dβ and descends
/// ĝ_θ + λ ∂L_homeo/∂θ with SGD and momentum; they differ in λ (the Jacobian-homeostasis weight).
///
/// Symbols shared by the rules' equations: u* the free fixed point, σ(u) the rates, δ_l the
/// layer-l neural error, W_l feed-forward and B_l feedback weights (not tied), n the number of
/// dynamic units, η the learning rate (dimensionless), λ ≥ 0 dimensionless.
public protocol HolomorphicEPRule: LearningRule {
    /// Learning rate η.
    var eta: Float { get }
    /// λ of the Jacobian-homeostasis loss (0: none; live control "lambda" for rules that have one).
    var homeostasis: Float { get }
    /// Whether the rule has a homeostatic term the "lambda" control moves.
    static var homeostatic: Bool { get }
    /// The update equation at homeostasis weight `lambda`.
    func equation(lambda: Float) -> String
}

extension HolomorphicEPRule {
    public var equation: String { equation(lambda: homeostasis) }

    /// The generalised-EP estimate every rule shares, for the equation line.
    static var estimate: String {
        "g_W_l = -delta_l sigma(u*_{l-1})^T, g_B_l = -delta_{l-1} sigma(u*_l)^T, delta = Re[(1/N) sum_k sigma(u*_beta_k)/beta_k]"
    }
}

/// Parameters shared by the holomorphic-EP rules.
enum HolomorphicEPParameter {
    static let eta = RuleParameter("eta", "learning rate η of SGD with momentum (momentum: the scene's `momentum`)",
                                   range: .openClosed(0, 1), default: 0.05)
    static let lambda = RuleParameter("lambda", "weight λ of the Jacobian-homeostasis loss ½‖J_s − J_sᵀ‖²/n (live control)",
                                      range: .closed(0, 100), default: 1)
}

/// The registry of holomorphic-EP rules (`model = "holomorphic_ep"`): a new rule is one file in
/// `Associative/HEPRules/` and one line below.
public enum HolomorphicEPRules {
    public static let registry = RuleRegistry<any HolomorphicEPRule>(
        family: "holomorphic_ep", summary: "generalised holomorphic EP without weight symmetry (model = \"holomorphic_ep\")", [
            .init(HolomorphicEP.self) { $0 },
            .init(HomeostaticHolomorphicEP.self) { $0 },
        ])
}
