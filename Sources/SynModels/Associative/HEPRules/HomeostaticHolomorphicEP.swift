/// Generalised holomorphic EP with Jacobian homeostasis (Laborieux & Zenke 2024, sec. 4):
///
///     θ <- θ − η v,   v <- m v + ĝ_θ + λ ∂L_homeo/∂θ,   L_homeo = ½ ‖J_s − J_sᵀ‖²_F / n,
///     ∂L_homeo/∂W_l = 2 (W_l − B_lᵀ)/n,   ∂L_homeo/∂B_l = 2 (B_l − W_lᵀ)/n
///
/// (J_s = ∂F/∂σ(u) at the free fixed point, whose off-diagonal blocks are W_l and B_l; ĝ as in
/// `HolomorphicEP`). The term pulls B toward Wᵀ and W toward Bᵀ, restoring the symmetry that
/// makes δ the true error.
public struct HomeostaticHolomorphicEP: HolomorphicEPRule {
    public static let name = "hep_homeostasis"
    public static let summary = "generalised holomorphic EP + Jacobian homeostasis λ ½‖J − Jᵀ‖²/n (Laborieux & Zenke 2024)"
    public static let parameters = [HolomorphicEPParameter.eta, HolomorphicEPParameter.lambda]
    public static let homeostatic = true

    public let eta: Float
    public let homeostasis: Float

    public init(eta: Float = 0.05, lambda: Float = 1) {
        self.eta = eta
        homeostasis = lambda
    }

    public init(_ values: RuleParameterValues) {
        self.init(eta: values.float(HolomorphicEPParameter.eta), lambda: values.float(HolomorphicEPParameter.lambda))
    }

    public func equation(lambda: Float) -> String {
        "theta -= eta v, v <- m v + g + lambda dL_homeo/dtheta, dL/dW_l = 2 (W_l - B_l^T)/n;  lambda = \(lambda);  \(Self.estimate)"
    }
}
