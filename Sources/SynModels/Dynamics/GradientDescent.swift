/// Gradient descent on the full gradient, with optional decoupled weight decay:
///
///     θ ← (1 − η λ_wd) θ − η g,   g = ∇L(θ)
///
/// η > 0 the step (dimensionless), λ_wd ≥ 0 (default 0). On a quadratic with curvature λ it
/// is stable only for η < 2/λ: the "2/η" line of edge-of-stability training (Cohen et al. 2021).
public struct GradientDescent: DynamicsRule {
    public static let name = "gd"
    public static let summary = "full-batch gradient descent θ ← θ − η ∇L (stable on curvature below 2/η)"
    public static let eta = DynamicsParameter.eta(default: 0.1)
    public static let weightDecay = DynamicsParameter.weightDecay(default: 0)
    public static let parameters = [eta, weightDecay]

    public var eta: Float
    public var weightDecay: Float

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        weightDecay = values.float(Self.weightDecay)
    }

    public init(eta: Float, weightDecay: Float = 0) {
        self.eta = eta
        self.weightDecay = weightDecay
    }

    public var equation: String {
        weightDecay == 0 ? "theta <- theta - eta grad L   (eta = \(eta))"
            : "theta <- (1 - eta wd) theta - eta grad L   (eta = \(eta), wd = \(weightDecay))"
    }

    public func update(_ theta: inout [Float], gradient g: [Float], mask: [Float], state: inout DynamicsRuleState) {
        let shrink = 1 - eta * weightDecay
        state.updates += 1
        for i in 0..<theta.count where mask[i] != 0 { theta[i] = shrink * theta[i] - eta * g[i] }
    }
}
