/// Generalised holomorphic equilibrium propagation (Laborieux & Zenke 2024, arXiv 2309.02214),
/// no homeostasis:
///
///     θ <- θ − η v,   v <- m v + ĝ_θ,   ĝ_{W_l} = −δ_l σ(u*_{l−1})ᵀ,   ĝ_{B_l} = −δ_{l−1} σ(u*_l)ᵀ,
///     δ = Re[(1/N) Σ_k σ(u*_{β_k}) / β_k],   β_k = |β| e^{2πik/N}
///
/// (δ = (σ(u*_β) − σ(u*_0))/β for N = 1; symbols: `HolomorphicEPRule`). Exact as N → ∞ when
/// B_l = W_lᵀ; with asymmetric weights δ is biased however many points are used.
public struct HolomorphicEP: HolomorphicEPRule {
    public static let name = "hep"
    public static let summary = "generalised holomorphic EP, N complex nudges, no homeostasis (Laborieux & Zenke 2024)"
    public static let parameters = [HolomorphicEPParameter.eta]
    public static let homeostatic = false

    public let eta: Float
    public var homeostasis: Float { 0 }

    public init(eta: Float = 0.05) { self.eta = eta }
    public init(_ values: RuleParameterValues) { self.init(eta: values.float(HolomorphicEPParameter.eta)) }

    public func equation(lambda: Float) -> String { "theta -= eta v, v <- m v + g;  \(Self.estimate)" }
}
