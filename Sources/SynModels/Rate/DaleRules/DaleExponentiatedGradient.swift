#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// Exponentiated gradient under Dale's law (Cornford et al. 2024; the learning side of Dale
/// meets Langevin, Shetty et al. 2025):
///
///     W_E ← W_E ⊙ exp(−η G),   W_I ← W_I ⊙ exp(+η G),   G = ∂L/∂W, W = W_E − W_I
///
/// η dimensionless (per step). Magnitudes move multiplicatively: no entry reaches 0 and no
/// pathway changes sign, and log-magnitudes spread symmetrically (log-normal-like weights).
public struct DaleExponentiatedGradient: DaleRateRule {
    public static let name = "exp_grad"
    public static let summary = "exponentiated gradient on W_E, W_I ≥ 0: W_E ← W_E exp(−ηG), W_I ← W_I exp(ηG) (Cornford et al. 2024)"
    public static let eta = RuleParameter("eta", "learning rate η of the multiplicative update", range: .openClosed(1e-6, 100), default: 2.0)
    public let rate: Float
    public let biasRate: Float

    public init(rate: Float, biasRate: Float) {
        self.rate = rate
        self.biasRate = biasRate
    }

    public var equation: String { "W_E <- W_E exp(-\(rateText) G), W_I <- W_I exp(+\(rateText) G)" }

    public func update(excitatory: inout [Float], inhibitory: inout [Float], gradient: [Float]) {
        let eta = rate
        for k in gradient.indices {
            // Clamp the exponent so one huge gradient cannot overflow to inf or underflow to 0.
            let e = min(30, max(-30, eta * gradient[k]))
            excitatory[k] *= expf(-e)
            inhibitory[k] *= expf(e)
        }
    }
}
