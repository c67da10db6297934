#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam with decoupled weight decay (AdamW, Loshchilov & Hutter 2019), the optimiser of the
/// modular-addition grokking runs (He et al. 2026):
///
///     θ ← (1 − η λ_wd) θ,
///     m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,
///     θ ← θ − η m̂ / (√v̂ + ε),  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
///
/// g the full gradient, t the update count since the rule became active, η > 0, λ_wd ≥ 0.
/// With λ_wd > 0 the norm settles where decay balances the ~η-sized Adam steps (|θ_i| ~ 1/λ_wd).
public struct AdamW: DynamicsRule {
    public static let name = "adamw"
    public static let summary = "Adam with decoupled weight decay (Loshchilov & Hutter 2019); grokking needs the decay"
    public static let eta = DynamicsParameter.eta(default: 0.003)
    public static let weightDecay = DynamicsParameter.weightDecay(default: 1)
    public static let parameters = [eta, weightDecay, Adam.beta1, Adam.beta2, Adam.epsilon]

    public var eta: Float
    public var weightDecay: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float

    public init(_ values: RuleParameterValues) {
        eta = values.float(Self.eta)
        weightDecay = values.float(Self.weightDecay)
        beta1 = values.float(Adam.beta1)
        beta2 = values.float(Adam.beta2)
        epsilon = values.float(Adam.epsilon)
    }

    public var equation: String {
        "theta <- (1 - eta wd) theta - eta m_hat / (sqrt(v_hat) + eps)   (eta = \(eta), wd = \(weightDecay))"
    }

    public func update(_ theta: inout [Float], gradient g: [Float], mask: [Float], state: inout DynamicsRuleState) {
        state.updates += 1
        let t = Float(state.updates)
        let c1 = 1 / (1 - powf(beta1, t)), c2 = 1 / (1 - powf(beta2, t))
        let shrink = 1 - eta * weightDecay
        for i in 0..<theta.count where mask[i] != 0 {
            let gi = g[i]
            let m = beta1 * state.m[i] + (1 - beta1) * gi
            let v = beta2 * state.v[i] + (1 - beta2) * gi * gi
            state.m[i] = m
            state.v[i] = v
            theta[i] = shrink * theta[i] - eta * (m * c1) / ((v * c2).squareRoot() + epsilon)
        }
    }
}
