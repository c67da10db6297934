#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A rate unit's transfer function a = f(z) of its net input z (dimensionless).
///
/// - `linear`: f(z) = z
/// - `tanh`: f(z) = tanh z (vectorised rational approximation, see `RateKernels.tanh8`)
/// - `relu`: f(z) = max(0, z)
/// - `sigmoid`: f(z) = 1 / (1 + e^-z) = (1 + tanh(z/2)) / 2
/// - `softplus`: f(z) = log(1 + e^z)
/// - `gelu`: f(z) = z Phi(z) = z (1 + erf(z / sqrt 2)) / 2 (exact erf form, Hendrycks & Gimpel
///   2016), f'(z) = Phi(z) + z phi(z) with phi the standard normal density
/// - `softmax` (output layer only): a_k = e^{z_k} / sum_m e^{z_m}, paired with cross-entropy
public enum Activation: String, Sendable, CaseIterable {
    case linear, tanh, relu, sigmoid, softplus, gelu, softmax

    /// Activations allowed in hidden layers (softmax normalises a whole layer, output only).
    public static let hiddenChoices: [Activation] = [.linear, .tanh, .relu, .sigmoid, .softplus, .gelu]

    /// a <- f(z) for n units (z and a may alias).
    @inlinable public func apply(_ z: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>, _ n: Int) {
        switch self {
        case .linear:
            if UnsafePointer(a) != z { a.update(from: z, count: n) }
        case .tanh:
            if UnsafePointer(a) != z { a.update(from: z, count: n) }
            RateKernels.tanh(a, n)
        case .relu:
            for i in 0..<n { a[i] = max(0, z[i]) }
        case .sigmoid:
            for i in 0..<n { a[i] = 0.5 * z[i] }
            RateKernels.tanh(a, n)
            for i in 0..<n { a[i] = 0.5 + 0.5 * a[i] }
        case .softplus:
            for i in 0..<n {
                let x = z[i]
                a[i] = x > 20 ? x : Float(log1p(exp(Double(x))))
            }
        case .gelu:
            for i in 0..<n {
                let x = Double(z[i])
                a[i] = Float(0.5 * x * (1 + erf(x * 0.5.squareRoot())))
            }
        case .softmax:
            var m = -Float.infinity
            for i in 0..<n { m = max(m, z[i]) }
            var s: Float = 0
            for i in 0..<n { let e = Float(exp(Double(z[i] - m))); a[i] = e; s += e }
            let inv = 1 / s
            for i in 0..<n { a[i] *= inv }
        }
    }

    /// d <- d * f'(z) elementwise, using the stored output a = f(z) where that is cheaper.
    /// For softmax the Jacobian is not diagonal; it is only used with cross-entropy, where the
    /// output error is taken directly as a - target, so this is the identity.
    @inlinable public func multiplyDerivative(_ z: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int) {
        switch self {
        case .linear, .softmax: break
        case .tanh: for i in 0..<n { d[i] *= 1 - a[i] * a[i] }
        case .relu: for i in 0..<n where z[i] <= 0 { d[i] = 0 }
        case .sigmoid: for i in 0..<n { d[i] *= a[i] * (1 - a[i]) }
        case .softplus: for i in 0..<n { d[i] *= Float(1 / (1 + exp(-Double(z[i])))) }
        case .gelu:
            for i in 0..<n {
                let x = Double(z[i])
                let cdf = 0.5 * (1 + erf(x * 0.5.squareRoot()))
                let pdf = exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
                d[i] *= Float(cdf + x * pdf)
            }
        }
    }
}
