/// Equilibrium propagation with the sign of the nudge alternating from sample to sample
/// (+β, −β, +β, …; Scellier & Bengio 2017, sec. 5), which cancels the O(β) bias on average:
///
///     ΔW_l = (η_l / β_k) (ρ_{l+1}(s^{β_k}) ρ_l(s^{β_k})ᵀ − ρ_{l+1}(s^0) ρ_l(s^0)ᵀ),   β_k = (−1)^k β
///
/// for sample k (biases likewise; symbols: `EqPropLearningRule`).
public struct EqPropAlternating: EqPropLearningRule {
    public static let name = "eqprop_alternating"
    public static let summary = "equilibrium propagation, nudge sign alternating per sample (Scellier & Bengio 2017)"

    public let beta: Float
    public let eta: Float
    public var nudge: NudgeMode { .alternating }

    public init(beta: Float = 0.2, eta: Float = 0.05) {
        self.beta = beta
        self.eta = eta
    }

    public func equation(beta: Float) -> String {
        "dW = eta (rho rho^T|+-beta - rho rho^T|free) / (+-beta), sign alternating per sample;  \(Self.relaxation);  beta = \(beta)"
    }
}
