/// Hebbian learning based orthogonal projection (Xiao et al., ICLR 2024): SGD whose update of
/// each layer l only uses the part of the presynaptic activity a_l outside the subspaces that
/// the lateral neurons H_l (rows orthonormal, learned by Oja's subspace rule after each task)
/// stored for earlier tasks:
///
///     a⊥ = a − H_lᵀ H_l a,   ΔW_l = −η δ_{l+1} a⊥ᵀ   (i.e. g_W_l ← g_W_l (I − H_lᵀ H_l))
///
/// Biases carry no presynaptic activity and are left unchanged (the paper's networks have none).
/// The projection is done by the simulation (`projectsUpdates`); this rule then steps by SGD.
public struct HLOP: ContinualLearningRule {
    public static let name = "hlop"
    public static let summary = "HLOP: SGD projected off the lateral (Hebbian) subspaces of earlier tasks (Xiao et al. 2024)"
    public static let eta = ContinualParameter.eta(default: 0.05)
    public static let parameters = [eta]

    public var eta: Float
    public init(_ values: RuleParameterValues) { eta = values.float(Self.eta) }

    public var projectsUpdates: Bool { true }
    public var equation: String { "dW = -eta delta (a - H^T H a)^T  (H: lateral subspace of past tasks);  eta = \(eta)" }

    public mutating func apply(_ g: UnsafePointer<Float>, to theta: UnsafeMutablePointer<Float>, count: Int, task: Int) -> Int {
        sgdApply(g, theta, count: count, eta: eta)
    }
}
