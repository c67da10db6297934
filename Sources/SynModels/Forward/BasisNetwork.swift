import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tanh MLP f_θ(x, a) → N basis values b(x) with their exact first and second derivatives in
/// the scalar input x (science page 42: finite differences are too noisy in Float). Each layer
/// carries (z, z′, z″) = W (h, h′, h″) (+ b for z only) and a = tanh z,
/// a′ = (1 − a²) z′, a″ = (1 − a²) z″ − 2 a (1 − a²) z′²; the three channels of P points are
/// stacked as 3P rows so every layer is one `Gemm` forward and two backward. The output layer
/// is linear. Backward takes ∂L/∂(b, b′, b″) and returns ∂L/∂θ (`MLPLayout` order).
public struct BasisNetwork: Sendable {
    public let layout: MLPLayout
    /// Activities per layer (3P × width: values, then x-derivatives, then second derivatives).
    private var acts: [[Float]] = []
    /// Pre-activations (z, z′, z″) of each hidden layer (`pres[l]` feeds `acts[l + 1]`).
    private var pres: [[Float]] = []
    private var points = 0

    public init(inputs: Int, hidden: Int, basis: Int) {
        layout = MLPLayout(sizes: [inputs, hidden, hidden, basis])
    }

    /// Glorot-style weights N(0, 1/fan_in) for tanh, biases 0.
    public func initialParameters(rng: inout RNG) -> [Float] {
        var theta = [Float](repeating: 0, count: layout.paramCount)
        for l in 0..<layout.layers {
            let sd = (1 / Float(layout.sizes[l])).squareRoot()
            for k in 0..<layout.weightCount(l) { theta[layout.wOffset[l] + k] = rng.normal() * sd }
        }
        return theta
    }

    /// Forward pass of P inputs (P × inputs, column 0 is x): returns (b, b′, b″) stacked as
    /// 3P × N rows.
    public mutating func forward(_ theta: [Float], inputs: [Float], count p: Int) -> [Float] {
        let s = layout.sizes
        precondition(inputs.count == p * s[0])
        points = p
        var h = [Float](repeating: 0, count: 3 * p * s[0])
        for i in 0..<(p * s[0]) { h[i] = inputs[i] }
        for i in 0..<p { h[(p + i) * s[0]] = 1 }            // dx/dx = 1, d²x/dx² = 0, da/dx = 0.
        acts = [h]
        pres = []
        for l in 0..<layout.layers {
            var z = [Float](repeating: 0, count: 3 * p * s[l + 1])
            Self.gemm(m: 3 * p, n: s[l + 1], k: s[l], acts[l], false, theta, layout.wOffset[l], true, &z)
            for i in 0..<p { for j in 0..<s[l + 1] { z[i * s[l + 1] + j] += theta[layout.bOffset[l] + j] } }
            if l < layout.layers - 1 {
                pres.append(z)
                let w = s[l + 1]
                for i in 0..<p {
                    for j in 0..<w {
                        let k0 = i * w + j, k1 = (p + i) * w + j, k2 = (2 * p + i) * w + j
                        let t = tanhf(z[k0]), sd = 1 - t * t, z1 = z[k1]
                        z[k0] = t
                        z[k1] = sd * z1
                        z[k2] = sd * z[k2] - 2 * t * sd * z1 * z1
                    }
                }
            }
            acts.append(z)
        }
        return acts[layout.layers]
    }

    /// ∂L/∂θ from g = ∂L/∂(b, b′, b″) (3P × N, the layout of `forward`'s result) for the last
    /// forward pass.
    public func backward(_ theta: [Float], _ g: [Float]) -> [Float] {
        let s = layout.sizes, p = points
        var grad = [Float](repeating: 0, count: layout.paramCount)
        var gz = g
        for l in stride(from: layout.layers - 1, through: 0, by: -1) {
            let (ni, no) = (s[l], s[l + 1])
            // ∂L/∂W_l = Σ over the 3P rows of gz hᵀ; ∂L/∂b_l = Σ over the value rows only.
            var gw = [Float](repeating: 0, count: ni * no)
            Self.gemmTA(m: no, n: ni, k: 3 * p, gz, acts[l], &gw)
            for k in 0..<(ni * no) { grad[layout.wOffset[l] + k] = gw[k] }
            for i in 0..<p { for j in 0..<no { grad[layout.bOffset[l] + j] += gz[i * no + j] } }
            guard l > 0 else { break }
            var gh = [Float](repeating: 0, count: 3 * p * ni)
            Self.gemm(m: 3 * p, n: ni, k: no, gz, false, theta, layout.wOffset[l], false, &gh)
            // Through the tanh channels of layer l (activities acts[l], pre-activations pres[l − 1]).
            let a = acts[l], z = pres[l - 1]
            for i in 0..<p {
                for j in 0..<ni {
                    let k0 = i * ni + j, k1 = (p + i) * ni + j, k2 = (2 * p + i) * ni + j
                    let t = a[k0], sd = 1 - t * t
                    let z1 = z[k1], z2 = z[k2]
                    let g0 = gh[k0], g1 = gh[k1], g2 = gh[k2]
                    gh[k2] = g2 * sd
                    gh[k1] = g1 * sd - 4 * g2 * t * sd * z1
                    gh[k0] = g0 * sd - 2 * t * sd * z1 * g1 - g2 * (2 * t * sd * z2 + 2 * z1 * z1 * sd * (sd - 2 * t * t))
                }
            }
            gz = gh
        }
        return grad
    }

    /// C (m × n) = A (m × k) · op(W) with W the layer block at `offset` of θ (n × k stored
    /// row-major when transposed, k × n otherwise).
    static func gemm(m: Int, n: Int, k: Int, _ a: [Float], _ transA: Bool, _ theta: [Float], _ offset: Int, _ transB: Bool,
                     _ c: inout [Float]) {
        a.withUnsafeBufferPointer { ab in
            theta.withUnsafeBufferPointer { tb in
                c.withUnsafeMutableBufferPointer { cb in
                    guard let ap = ab.baseAddress, let tp = tb.baseAddress, let cp = cb.baseAddress else { return }
                    Gemm.sgemm(m: m, n: n, k: k, alpha: 1, a: ap, lda: transA ? m : k, transA: transA, b: tp + offset,
                               ldb: transB ? k : n, transB: transB, beta: 0, c: cp, ldc: n)
                }
            }
        }
    }

    /// C (m × n) = Aᵀ B with A k × m and B k × n.
    static func gemmTA(m: Int, n: Int, k: Int, _ a: [Float], _ b: [Float], _ c: inout [Float]) {
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                c.withUnsafeMutableBufferPointer { cb in
                    guard let ap = ab.baseAddress, let bp = bb.baseAddress, let cp = cb.baseAddress else { return }
                    Gemm.sgemm(m: m, n: n, k: k, alpha: 1, a: ap, lda: m, transA: true, b: bp, ldb: n, transB: false,
                               beta: 0, c: cp, ldc: n)
                }
            }
        }
    }
}
