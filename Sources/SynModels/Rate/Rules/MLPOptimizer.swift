import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an MLP rule's mean estimate ḡ changes the parameters θ (learning rate η > 0,
/// dimensionless), a value each rule composes with its estimate:
///
/// - `sgd`: θ ← θ − η ḡ
/// - `momentum(mu)`: v ← μ v + ḡ, θ ← θ − η v (heavy ball, Polyak 1964; μ in [0, 1))
/// - `adam(beta1, beta2, epsilon)`: m ← β₁ m + (1 − β₁) ḡ, v ← β₂ v + (1 − β₂) ḡ²,
///   θ ← θ − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε), t the update count (Kingma & Ba 2015)
/// - `exponentiated`: w ← w exp(−η sign(w) ḡ) for weights (biases: SGD). A multiplicative
///   update that never changes a weight's sign (Cornford et al. 2024).
public enum MLPOptimizer: Sendable, Equatable {
    case sgd
    case momentum(mu: Float)
    case adam(beta1: Float, beta2: Float, epsilon: Float)
    case exponentiated

    /// The update in plain text (teaching panel).
    public var equation: String {
        switch self {
        case .sgd: "w <- w - eta g"
        case .momentum(let mu): "v <- \(mu) v + g; w <- w - eta v"
        case .adam: "w <- w - eta m_hat / (sqrt(v_hat) + eps)"
        case .exponentiated: "w <- w exp(-eta sign(w) g)"
        }
    }

    /// The optimiser's state: first and second moments and the update count.
    struct State: Sendable {
        var m: [Float]
        var v: [Float]
        var steps = 0

        init(count: Int) {
            m = [Float](repeating: 0, count: count)
            v = m
        }

        mutating func reset() {
            for i in 0..<m.count { m[i] = 0; v[i] = 0 }
            steps = 0
        }
    }

    /// Applies scale · `grad` (the accumulated estimate) to the network's parameters.
    func apply(_ net: inout MLP, grad: [Float], scale: Float, eta: Float, state s: inout State) {
        let n = net.layout.paramCount
        switch self {
        case .sgd:
            for i in 0..<n { net.params[i] -= eta * scale * grad[i] }
        case .momentum(let mu):
            for i in 0..<n {
                s.m[i] = mu * s.m[i] + scale * grad[i]
                net.params[i] -= eta * s.m[i]
            }
        case .adam(let b1, let b2, let eps):
            s.steps += 1
            let c1 = 1 / (1 - powf(b1, Float(s.steps))), c2 = 1 / (1 - powf(b2, Float(s.steps)))
            for i in 0..<n {
                let gi = scale * grad[i]
                s.m[i] = b1 * s.m[i] + (1 - b1) * gi
                s.v[i] = b2 * s.v[i] + (1 - b2) * gi * gi
                net.params[i] -= eta * (s.m[i] * c1) / ((s.v[i] * c2).squareRoot() + eps)
            }
        case .exponentiated:
            let lay = net.layout
            for l in 0..<lay.layers {
                let o = lay.wOffset[l]
                for k in o..<(o + lay.weightCount(l)) {
                    let w = net.params[k]
                    let sgn: Float = w > 0 ? 1 : (w < 0 ? -1 : 0)
                    net.params[k] = w * expf(-eta * sgn * scale * grad[k])
                }
                let b = lay.bOffset[l]
                for k in b..<(b + lay.sizes[l + 1]) { net.params[k] -= eta * scale * grad[k] }
            }
        }
    }

    /// The direction the optimiser moves the parameters for estimate g, to first order: g
    /// itself, or |w| g on weights for the exponentiated update (its step is −η |w| g).
    public func direction(net: MLP, estimate g: [Float]) -> [Float] {
        var d = Array(g.prefix(net.layout.paramCount))
        guard self == .exponentiated else { return d }
        let lay = net.layout
        for l in 0..<lay.layers {
            let o = lay.wOffset[l]
            for k in o..<(o + lay.weightCount(l)) { d[k] *= abs(net.params[k]) }
        }
        return d
    }
}
