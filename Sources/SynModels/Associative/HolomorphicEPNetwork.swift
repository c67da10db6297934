import Foundation
import SynCore

/// A layered recurrent rate network without weight symmetry, for generalised holomorphic
/// equilibrium propagation (Laborieux & Zenke, ICLR 2024, arXiv 2309.02214; authors' code
/// `Laborieux-Axel/generalized-holo-ep`, `models/dyn.py`).
///
/// Dynamic layers l = 1 ... L (L = output) relax as u <- u + γ (F(σ(u)) − u), with
///
///     F_1 = W_1 x + B_2 σ(u_2) + b_1,   F_l = W_l σ(u_{l−1}) + B_{l+1} σ(u_{l+1}) + b_l,
///     F_L = W_L σ(u_{L−1}) + b_L − β (σ(u_L) − y)        (MSE nudge, holomorphic in β)
///
/// W_l (n_l × n_{l−1}) feed forward, B_l (n_{l−1} × n_l) feed back and are NOT tied to W_lᵀ;
/// σ(z) = sigmoid(4z − 2), holomorphic, so the same relaxation runs with complex β on real weights.
/// Everything is batched: a state is a batch × n_l matrix per layer (real and imaginary parts).
public struct HolomorphicEPNetwork: Sendable, Equatable {
    /// Unit counts: input, hidden layers, output.
    public let sizes: [Int]
    /// W[l] for l = 1 ... L (index 0 unused, empty).
    public var w: [Matrix]
    /// B[l] for l = 2 ... L (indices 0 and 1 unused, empty).
    public var b: [Matrix]
    /// Biases b_l for l = 1 ... L (index 0 unused).
    public var bias: [[Float]]

    /// Dynamic layers L.
    public var layers: Int { sizes.count - 1 }
    /// Dynamic units n = Σ_{l ≥ 1} n_l (the normaliser of the homeostatic loss).
    public var units: Int { sizes.dropFirst().reduce(0, +) }

    /// W_l ~ N(0, 1/n_{l−1}) · scale and R_l ~ N(0, 1/n_l) · scale (B's own initialisation), then
    /// B_l = cos α · W_lᵀ + sin α · R_l (the authors' `rotate`; α in radians).
    public init(sizes: [Int], scale: Float, alpha: Double, rng: inout RNG) {
        precondition(sizes.count >= 3 && sizes.allSatisfy { $0 > 0 })
        self.sizes = sizes
        let lCount = sizes.count - 1
        var w = [Matrix(rows: 0, cols: 0)], r = [Matrix(rows: 0, cols: 0)]
        for l in 1...lCount {
            let sd = scale / Float(sizes[l - 1]).squareRoot()
            w.append(Matrix(rows: sizes[l], cols: sizes[l - 1]) { _, _ in sd * rng.normal() })
        }
        for l in 1...lCount {
            let sd = scale / Float(sizes[l]).squareRoot()
            r.append(l >= 2 ? Matrix(rows: sizes[l - 1], cols: sizes[l]) { _, _ in sd * rng.normal() } : Matrix(rows: 0, cols: 0))
        }
        self.w = w
        self.b = Self.rotate(w: w, r: r, alpha: alpha)
        bias = sizes.indices.map { $0 == 0 ? [] : [Float](repeating: 0, count: sizes[$0]) }
    }

    /// B_l = cos α W_lᵀ + sin α R_l.
    static func rotate(w: [Matrix], r: [Matrix], alpha: Double) -> [Matrix] {
        let c = Float(Foundation.cos(alpha)), s = Float(Foundation.sin(alpha))
        return w.indices.map { l in
            guard l >= 2 else { return Matrix(rows: 0, cols: 0) }
            return Matrix(rows: w[l].cols, cols: w[l].rows) { i, j in c * w[l][j, i] + s * r[l][i, j] }
        }
    }

    // MARK: Rates

    /// σ(z) = sigmoid(4z − 2) for real z.
    @inline(__always) public static func sigma(_ a: Float) -> Float { 1 / (1 + Foundation.exp(2 - 4 * a)) }

    /// σ(a + i b) = 1 / (1 + e^{2 − 4a} e^{−4ib}) as (re, im); poles at a = 1/2, 4b = π (mod 2π).
    @inline(__always) public static func sigma(_ a: Float, _ b: Float) -> (Float, Float) {
        let e = 2 - 4 * a
        let c = Foundation.cos(4 * b), s = Foundation.sin(4 * b)
        if e > 30 { let k = Foundation.exp(-e); return (k * c, k * s) }
        let big = Foundation.exp(e)
        let dr = 1 + big * c, di = -big * s
        let n = max(dr * dr + di * di, 1e-20)
        return (dr / n, -di / n)
    }

    // MARK: Relaxation

    /// A batch state: u (real, imaginary) per dynamic layer; index l − 1 holds layer l.
    public struct State: Sendable, Equatable {
        public var re: [Matrix]
        public var im: [Matrix]
        init(batch: Int, sizes: [Int]) {
            re = sizes.dropFirst().map { Matrix(rows: batch, cols: $0) }
            im = re
        }
    }

    /// Zero state for `batch` samples.
    public func zeroState(batch: Int) -> State { State(batch: batch, sizes: sizes) }

    /// The input drive W_1 x + b_1 of a batch x (batch × n_0), constant during relaxation.
    public func drive(_ x: Matrix) -> Matrix {
        var d = Matrix(rows: x.rows, cols: sizes[1])
        Kernels.gemm(x, w[1], into: &d, transB: true)
        for r in 0..<x.rows { for j in 0..<sizes[1] { d.storage[r * sizes[1] + j] += bias[1][j] } }
        return d
    }

    /// Rates σ(u) of a state (imaginary parts only when `complex`).
    public func rates(_ s: State, complex: Bool) -> State {
        var r = s
        for l in s.re.indices {
            for k in 0..<s.re[l].storage.count {
                if complex {
                    let (a, c) = Self.sigma(s.re[l].storage[k], s.im[l].storage[k])
                    r.re[l].storage[k] = a; r.im[l].storage[k] = c
                } else {
                    r.re[l].storage[k] = Self.sigma(s.re[l].storage[k])
                }
            }
        }
        return r
    }

    /// F(σ(u)) for a state: real part, and imaginary part when `complex` (weights are real, so
    /// each part is the same linear map of the rates' part; the bias and input enter the real part).
    public func field(_ s: State, drive: Matrix, target y: Matrix, beta: (re: Float, im: Float), complex: Bool) -> (State, State) {
        let r = rates(s, complex: complex)
        var f = s
        let lCount = layers
        for part in 0..<(complex ? 2 : 1) {
            let rr = part == 0 ? r.re : r.im
            var out = [Matrix]()
            for l in 1...lCount {
                var m = part == 0 && l == 1 ? drive : Matrix(rows: s.re[0].rows, cols: sizes[l])
                if l >= 2 { Kernels.gemm(rr[l - 2], w[l], into: &m, beta: 1, transB: true) }
                if l < lCount { Kernels.gemm(rr[l], b[l + 1], into: &m, beta: 1, transB: true) }
                if part == 0 && l >= 2 { for k in 0..<m.storage.count { m.storage[k] += bias[l][k % sizes[l]] } }
                out.append(m)
            }
            if part == 0 { f.re = out } else { f.im = out }
        }
        // Nudge: F_L −= β (σ(u_L) − y), complex product.
        if beta.re != 0 || beta.im != 0 {
            let o = lCount - 1
            for k in 0..<f.re[o].storage.count {
                let er = r.re[o].storage[k] - y.storage[k], ei = complex ? r.im[o].storage[k] : 0
                f.re[o].storage[k] -= beta.re * er - beta.im * ei
                if complex { f.im[o].storage[k] -= beta.re * ei + beta.im * er }
            }
        }
        return (f, r)
    }

    /// `steps` relaxation steps u <- u + γ (F − u) from `s`; returns the rates σ(u) at the end and
    /// appends the RMS residual ‖F(u) − u‖ per sample of each step to `residuals`.
    public func relax(_ s: inout State, drive: Matrix, target y: Matrix, beta: (re: Float, im: Float), steps: Int, gamma: Float,
                      residuals: inout [Float]) -> State {
        let complex = beta.im != 0
        let batch = Float(max(1, s.re[0].rows))
        for _ in 0..<steps {
            let (f, _) = field(s, drive: drive, target: y, beta: beta, complex: complex)
            var res: Float = 0
            for l in s.re.indices {
                for k in 0..<s.re[l].storage.count {
                    let dr = f.re[l].storage[k] - s.re[l].storage[k]
                    s.re[l].storage[k] += gamma * dr
                    res += dr * dr
                    if complex {
                        let di = f.im[l].storage[k] - s.im[l].storage[k]
                        s.im[l].storage[k] += gamma * di
                        res += di * di
                    }
                }
            }
            residuals.append((res / batch).squareRoot())
        }
        return rates(s, complex: complex)
    }

    // MARK: Gradient estimates

    /// β_k = |β| e^{2πik/N} as (re, im); exact zeros on the axes so real points relax in real arithmetic.
    public static func point(_ k: Int, of n: Int, modulus m: Float) -> (re: Float, im: Float) {
        let quarter = (4 * k) % n == 0 ? ((4 * k) / n) % 4 : -1
        switch quarter {
        case 0: return (m, 0)
        case 1: return (0, m)
        case 2: return (-m, 0)
        case 3: return (0, -m)
        default:
            let a = 2 * Double.pi * Double(k) / Double(n)
            return (m * Float(Foundation.cos(a)), m * Float(Foundation.sin(a)))
        }
    }

    /// The N-point holomorphic estimate of the neural error δ = dσ(u*)/dβ per layer, from the
    /// rates at the nudged fixed points of the points k = 0 ... N/2 (`ratesAt[k]`; the others are
    /// their complex conjugates) and the free rates `free`:
    ///   N = 1: (σ(u*_β) − σ(u*_0)) / β,   N ≥ 2: Re[(1/N) Σ_k σ(u*_{β_k}) / β_k],  β_k = |β| e^{2πik/N}.
    public static func neuralError(points n: Int, modulus beta: Float, ratesAt: (Int) -> State, free: State) -> [Matrix] {
        if n == 1 {
            let p = ratesAt(0)
            return p.re.indices.map { l in
                Matrix(rows: p.re[l].rows, cols: p.re[l].cols, storage: zip(p.re[l].storage, free.re[l].storage).map { ($0 - $1) / beta })
            }
        }
        var out = free.re.map { Matrix(rows: $0.rows, cols: $0.cols) }
        for k in 0...(n / 2) {
            let weight: Float = (k == 0 || 2 * k == n) ? 1 : 2
            let (br, bi) = point(k, of: n, modulus: beta)
            let scale = weight / (Float(n) * beta * beta)
            let p = ratesAt(k)
            for l in out.indices {
                for i in 0..<out[l].storage.count {
                    // Re[σ / β] = (σ_re β_re + σ_im β_im) / |β|².
                    out[l].storage[i] += scale * (p.re[l].storage[i] * br + p.im[l].storage[i] * bi)
                }
            }
        }
        return out
    }

    /// Parameter-shaped gradient: one matrix per W_l and B_l and one vector per b_l.
    public struct Gradient: Sendable, Equatable {
        public var w: [Matrix]
        public var b: [Matrix]
        public var bias: [[Float]]

        /// All entries, concatenated (for cosines).
        public var flat: [Float] { w.flatMap(\.storage) + b.flatMap(\.storage) + bias.flatMap { $0 } }
    }

    /// The zero gradient.
    public func zeroGradient() -> Gradient {
        Gradient(w: w.map { Matrix(rows: $0.rows, cols: $0.cols) }, b: b.map { Matrix(rows: $0.rows, cols: $0.cols) },
                 bias: bias.map { [Float](repeating: 0, count: $0.count) })
    }

    /// g_θ = sign · (∂F/∂θ)ᵀ e / batch at the free fixed point (rates `free`, input x) for a
    /// per-layer error e: g_{W_l} = e_lᵀ σ(u_{l−1}), g_{B_l} = e_{l−1}ᵀ σ(u_l), g_{b_l} = Σ e_l.
    /// With e = μ (recurrent backprop) and sign +1 this is dℓ/dθ; with e = δ and sign −1 the
    /// generalised-EP estimate of it.
    public func parameterGradient(error e: [Matrix], free: State, input x: Matrix, sign: Float) -> Gradient {
        var g = zeroGradient()
        let scale = sign / Float(max(1, x.rows))
        for l in 1...layers {
            Kernels.gemm(e[l - 1], l == 1 ? x : free.re[l - 2], into: &g.w[l], alpha: scale, transA: true)
            if l >= 2 { Kernels.gemm(e[l - 2], free.re[l - 1], into: &g.b[l], alpha: scale, transA: true) }
            for r in 0..<x.rows { for j in 0..<sizes[l] { g.bias[l][j] += scale * e[l - 1].storage[r * sizes[l] + j] } }
        }
        return g
    }

    /// Recurrent backprop's error μ = (I − J_uᵀ)⁻¹ ∇_u ℓ at the free fixed point, ℓ = ½ ‖σ(u_L) − y‖²,
    /// by the damped iteration μ <- μ + γ (∇_u ℓ + D J_sᵀ μ − μ), D = diag σ'(u) = 4σ(1 − σ), where
    /// (J_sᵀ μ)_l = μ_{l+1} W_{l+1} + μ_{l−1} B_l (batch rows).
    public func recurrentBackpropError(free r: State, target y: Matrix, steps: Int, gamma: Float) -> [Matrix] {
        let lCount = layers
        let d = r.re.map { m in Matrix(rows: m.rows, cols: m.cols, storage: m.storage.map { 4 * $0 * (1 - $0) }) }
        var grad = r.re.map { Matrix(rows: $0.rows, cols: $0.cols) }
        for k in 0..<grad[lCount - 1].storage.count {
            grad[lCount - 1].storage[k] = d[lCount - 1].storage[k] * (r.re[lCount - 1].storage[k] - y.storage[k])
        }
        var mu = grad
        for _ in 0..<steps {
            var next = [Matrix]()
            for l in 1...lCount {
                var m = Matrix(rows: r.re[0].rows, cols: sizes[l])
                if l < lCount { Kernels.gemm(mu[l], w[l + 1], into: &m, beta: 1) }
                if l >= 2 { Kernels.gemm(mu[l - 2], b[l], into: &m, beta: 1) }
                for k in 0..<m.storage.count {
                    let target = grad[l - 1].storage[k] + d[l - 1].storage[k] * m.storage[k]
                    m.storage[k] = mu[l - 1].storage[k] + gamma * (target - mu[l - 1].storage[k])
                }
                next.append(m)
            }
            mu = next
        }
        return mu
    }

    // MARK: Jacobian homeostasis

    /// L_homeo = ½ ‖J_s − J_sᵀ‖²_F / n = Σ_{l≥2} ‖B_l − W_lᵀ‖²_F / n (J_s = ∂F/∂σ(u); its
    /// off-diagonal blocks are exactly W_l and B_l, so the expectation over Gaussian probes in the
    /// paper's estimator is this closed form).
    public var homeostaticLoss: Double {
        var s = 0.0
        for l in 2...layers { forEachPair(l) { wt, bb in s += Double((bb - wt) * (bb - wt)) } }
        return s / Double(units)
    }

    /// Adds λ ∂L_homeo/∂θ: 2λ (W_l − B_lᵀ)/n to g_{W_l} and 2λ (B_l − W_lᵀ)/n to g_{B_l}.
    public func addHomeostasis(lambda: Float, into g: inout Gradient) {
        guard lambda != 0 else { return }
        let k = 2 * lambda / Float(units)
        for l in 2...layers {
            let rows = w[l].rows, cols = w[l].cols
            for i in 0..<rows {
                for j in 0..<cols {
                    let diff = w[l].storage[i * cols + j] - b[l].storage[j * rows + i]
                    g.w[l].storage[i * cols + j] += k * diff
                    g.b[l].storage[j * rows + i] -= k * diff
                }
            }
        }
    }

    /// Symmetry index s / (s + a) of J_s: s = ‖(J_s + J_sᵀ)/2‖_F, a = ‖(J_s − J_sᵀ)/2‖_F
    /// (1 for B = Wᵀ, 1/2 for unrelated blocks of equal norm, 0 for B = −Wᵀ).
    public var symmetryIndex: Double {
        var sym = 0.0, anti = 0.0
        for l in 2...layers {
            forEachPair(l) { wt, bb in
                sym += Double((bb + wt) * (bb + wt)) / 2
                anti += Double((bb - wt) * (bb - wt)) / 2
            }
        }
        let s = sym.squareRoot(), a = anti.squareRoot()
        return s + a > 0 ? s / (s + a) : .nan
    }

    /// Calls body(W_l[j, i], B_l[i, j]) for every entry pair that J_s and J_sᵀ put together.
    private func forEachPair(_ l: Int, _ body: (Float, Float) -> Void) {
        let rows = w[l].rows, cols = w[l].cols
        for i in 0..<cols { for j in 0..<rows { body(w[l].storage[j * cols + i], b[l].storage[i * rows + j]) } }
    }
}
