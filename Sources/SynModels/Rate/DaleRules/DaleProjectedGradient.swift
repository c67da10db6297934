import SynCore

/// Projected gradient descent under Dale's law, the baseline of exponentiated gradient:
///
///     W_E ← max(0, W_E − η G),   W_I ← max(0, W_I + η G),   G = ∂L/∂W, W = W_E − W_I
///
/// η dimensionless (per step). Entries pushed below 0 are clamped to exactly 0 and stay there
/// while their gradient keeps pushing: a pile of exact zeros and a left-skewed log-magnitude
/// distribution.
public struct DaleProjectedGradient: DaleRateRule {
    public static let name = "projected_gd"
    public static let summary = "projected gradient descent on W_E, W_I ≥ 0: W_E ← max(0, W_E − ηG), W_I ← max(0, W_I + ηG)"
    public static let eta = RuleParameter("eta", "learning rate η", range: .openClosed(1e-6, 100), default: 0.2)
    public let rate: Float
    public let biasRate: Float

    public init(rate: Float, biasRate: Float) {
        self.rate = rate
        self.biasRate = biasRate
    }

    public var equation: String { "W_E <- max(0, W_E - \(rateText) G), W_I <- max(0, W_I + \(rateText) G)" }

    public func update(excitatory: inout [Float], inhibitory: inout [Float], gradient: [Float]) {
        let eta = rate
        for k in gradient.indices {
            excitatory[k] = max(0, excitatory[k] - eta * gradient[k])
            inhibitory[k] = max(0, inhibitory[k] + eta * gradient[k])
        }
    }
}
