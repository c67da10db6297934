/// Curl descent (Ninou, Kadmon & Cayco-Gajic 2025): backprop's error, but a fraction of the
/// presynaptic units have the sign of their outgoing gradient terms flipped, as if those
/// neurons used anti-Hebbian instead of Hebbian plasticity:
///
///     g_W_l = δ_{l+1} (D a_l)ᵀ,   g_b_l = δ_{l+1},   θ ← θ − η ḡ,   D = diag(±1)
///
/// (symbols: `MLPLearningRule`). The flow is no longer a gradient (it has curl). D flips the
/// first round(`flip_fraction` · n) units of a seeded random order of the hidden units (plus
/// the inputs: the scene's `flip_fraction_in`); it belongs to the network (live control
/// `flip_fraction`), so a rule switch keeps it. With no unit flipped this is backprop.
public struct CurlDescent: MLPFeedbackRule {
    public static let name = "curl"
    public static let summary = "curl descent: backprop with sign-flipped plasticity of a fraction of units (Ninou et al. 2025)"
    public static let eta = MLPParameter.eta(default: 0.01)
    public static let flip = RuleParameter("flip_fraction", "initial fraction of units whose outgoing gradient terms are flipped (live control)",
                                           range: .closed(0, 1), default: 0)
    public static let parameters = [eta, flip, MLPParameter.batch]
    public static let errorFeedback = ErrorFeedback.backprop

    public var eta: Float
    public let batch: Int
    public let fraction: Double

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        fraction = values[Self.flip]
        batch = values.integer(MLPParameter.batch)
    }

    public init(eta: Float, flipFraction: Double = 0, batch: Int = 1) {
        self.eta = eta
        fraction = flipFraction
        self.batch = batch
    }

    public var flipFraction: Double? { fraction }

    public var equation: String { equationLine(estimate: "g = delta_post * D a_pre, D = diag(+-1) (curl)") }
}
