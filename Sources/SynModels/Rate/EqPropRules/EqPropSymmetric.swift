/// Equilibrium propagation with symmetric nudging (Laborieux et al. 2021, Front. Neurosci.
/// 15:633674): two nudged phases at +β and −β, both started from the free equilibrium and
/// contrasted with each other,
///
///     ΔW_l = (η_l / 2β) (ρ_{l+1}(s^{+β}) ρ_l(s^{+β})ᵀ − ρ_{l+1}(s^{−β}) ρ_l(s^{−β})ᵀ)
///
/// (biases likewise; symbols: `EqPropLearningRule`), which removes the O(β) bias.
public struct EqPropSymmetric: EqPropLearningRule {
    public static let name = "eqprop_symmetric"
    public static let summary = "equilibrium propagation, nudged phases at +β and −β contrasted (Laborieux et al. 2021)"

    public let beta: Float
    public let eta: Float
    public var nudge: NudgeMode { .symmetric }

    public init(beta: Float = 0.2, eta: Float = 0.05) {
        self.beta = beta
        self.eta = eta
    }

    public func equation(beta: Float) -> String {
        "dW = eta (rho rho^T|+beta - rho rho^T|-beta) / (2 beta);  \(Self.relaxation);  beta = \(beta)"
    }
}
