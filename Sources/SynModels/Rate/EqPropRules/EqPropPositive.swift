/// Equilibrium propagation (Scellier & Bengio 2017) with one nudged phase at +β:
///
///     ΔW_l = (η_l / β) (ρ_{l+1}(s^β) ρ_l(s^β)ᵀ − ρ_{l+1}(s^0) ρ_l(s^0)ᵀ),
///     Δb_l = (η_l / β) (ρ_{l+1}(s^β) − ρ_{l+1}(s^0))
///
/// (symbols: `EqPropLearningRule`). Tends to −η_l ∂C/∂W_l as β → 0, with an O(β) bias.
public struct EqPropPositive: EqPropLearningRule {
    public static let name = "eqprop"
    public static let summary = "equilibrium propagation, one nudged phase at +β (Scellier & Bengio 2017)"

    public let beta: Float
    public let eta: Float
    public var nudge: NudgeMode { .positive }

    public init(beta: Float = 0.2, eta: Float = 0.05) {
        self.beta = beta
        self.eta = eta
    }

    public func equation(beta: Float) -> String {
        "dW = eta (rho rho^T|beta - rho rho^T|free) / beta;  \(Self.relaxation);  beta = \(beta)"
    }
}
