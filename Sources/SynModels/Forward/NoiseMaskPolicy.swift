import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The noise-mask policy of Yavuz & Yang (2024; science page 39, sizes by design): a linear map
/// of the image u = W x + b (64 → 2·64) gives every pixel j the Beta parameters
/// α_j = 1 + softplus(u_j), β_j = 1 + softplus(u_{64+j}) (both > 1, a unimodal mask density),
/// and a mask m_j ~ Beta(α_j, β_j) is drawn per image. Trained by REINFORCE with Adam:
/// ∇_φ log π = Σ_j score_j(m_j) ⊙ sigmoid(u) ⊗ (x, 1), no gradient through m.
public struct NoiseMaskPolicy: Sendable {
    public let pixels: Int
    /// W (2P × P, row-major) then b (2P).
    public private(set) var theta: [Float]
    var optimizer: AdamW
    var state: DynamicsRuleState
    /// u of the last sampled batch (n × 2P) and its masks (n × P).
    public private(set) var u: [Float] = []
    public private(set) var masks: [Float] = []

    /// Small random weights N(0, sd²) and biases 0 (mask mean 1/2 everywhere at the start).
    public init(pixels: Int, sd: Float, eta: Float, rng: inout RNG) {
        self.pixels = pixels
        let outs = 2 * pixels
        theta = (0..<(outs * pixels)).map { _ in rng.normal() * sd } + [Float](repeating: 0, count: outs)
        optimizer = AdamW(RuleParameterValues(AdamW.parameters, given: ["eta": Double(eta), "weight_decay": 0]))
        state = DynamicsRuleState(count: theta.count)
    }

    /// u = X Wᵀ + b for the rows of x (n × P), row-major n × 2P.
    public func preactivations(_ x: Matrix) -> [Float] {
        let p = pixels, outs = 2 * p, n = x.rows
        var out = [Float](repeating: 0, count: n * outs)
        theta.withUnsafeBufferPointer { t in
            x.storage.withUnsafeBufferPointer { xb in
                out.withUnsafeMutableBufferPointer { o in
                    guard let tp = t.baseAddress, let xp = xb.baseAddress, let op = o.baseAddress else { return }
                    Gemm.sgemm(m: n, n: outs, k: p, alpha: 1, a: xp, lda: p, transA: false, b: tp, ldb: p, transB: true,
                               beta: 0, c: op, ldc: outs)
                    for i in 0..<n { Kernels.axpy(outs, 1, tp + outs * p, op + i * outs) }
                }
            }
        }
        return out
    }

    static func softplus(_ z: Float) -> Float { z > 20 ? z : log1pf(expf(z)) }
    static func sigmoid(_ z: Float) -> Float { 1 / (1 + expf(-z)) }

    /// (α, β) of pixel j from the row u of one image.
    @inline(__always) func parameters(_ u: UnsafePointer<Float>, _ j: Int) -> (Float, Float) {
        (1 + Self.softplus(u[j]), 1 + Self.softplus(u[pixels + j]))
    }

    /// The expected masks E[m] = α / (α + β) of the rows of x (n × P).
    public func meanMasks(_ x: Matrix) -> [Float] {
        let uu = preactivations(x), p = pixels
        var m = [Float](repeating: 0, count: x.rows * p)
        uu.withUnsafeBufferPointer { ub in
            guard let up = ub.baseAddress else { return }
            for i in 0..<x.rows {
                for j in 0..<p {
                    let (a, b) = parameters(up + i * 2 * p, j)
                    m[i * p + j] = a / (a + b)
                }
            }
        }
        return m
    }

    /// Draws one mask per row of x (kept in `masks`, n × P).
    public mutating func sample(_ x: Matrix, rng: inout RNG) {
        u = preactivations(x)
        let p = pixels
        var m = [Float](repeating: 0, count: x.rows * p)
        u.withUnsafeBufferPointer { ub in
            guard let up = ub.baseAddress else { return }
            for i in 0..<x.rows {
                for j in 0..<p {
                    let (a, b) = parameters(up + i * 2 * p, j)
                    m[i * p + j] = Float(BetaDistribution.sample(Double(a), Double(b), rng: &rng))
                }
            }
        }
        masks = m
    }

    /// The per-sample policy-gradient variances of the last batch, E‖g_i − ḡ‖² with
    /// g_i = A_i ∇_φ log π(m_i | x_i), for the two advantages A = `first` and A = `second`.
    public struct Variances: Sendable, Equatable {
        public var first: Double
        public var second: Double
    }

    /// One REINFORCE step (Adam ascent on mean_i A_i ∇ log π) on the last sampled batch x with
    /// advantages `advantage`; returns the per-sample variances of the estimate under
    /// `advantage` and under `alternative` (same samples), for the variance comparison.
    @discardableResult
    public mutating func reinforce(_ x: Matrix, advantage: [Float], alternative: [Float]) -> Variances {
        let n = x.rows, p = pixels, outs = 2 * p
        precondition(advantage.count == n && alternative.count == n && masks.count == n * p)
        // δ_i = ∂ log π / ∂u (n × 2P).
        var delta = [Float](repeating: 0, count: n * outs)
        var deltaNorm = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<p {
                let ua = u[i * outs + j], ub = u[i * outs + p + j]
                let a = 1 + Self.softplus(ua), b = 1 + Self.softplus(ub)
                let (sa, sb) = BetaDistribution.score(Double(masks[i * p + j]), Double(a), Double(b))
                let da = Float(sa) * Self.sigmoid(ua), db = Float(sb) * Self.sigmoid(ub)
                delta[i * outs + j] = da
                delta[i * outs + p + j] = db
                deltaNorm[i] += Double(da * da + db * db)
            }
        }
        var xNorm = [Double](repeating: 1, count: n)
        for i in 0..<n { for j in 0..<p { let v = Double(x[i, j]); xNorm[i] += v * v } }
        func meanGradient(_ adv: [Float]) -> [Float] {
            var weighted = delta
            for i in 0..<n { for k in 0..<outs { weighted[i * outs + k] *= adv[i] / Float(n) } }
            var g = [Float](repeating: 0, count: theta.count)
            weighted.withUnsafeBufferPointer { wb in
                x.storage.withUnsafeBufferPointer { xb in
                    g.withUnsafeMutableBufferPointer { gb in
                        guard let wp = wb.baseAddress, let xp = xb.baseAddress, let gp = gb.baseAddress else { return }
                        Gemm.sgemm(m: outs, n: p, k: n, alpha: 1, a: wp, lda: outs, transA: true, b: xp, ldb: p, transB: false,
                                   beta: 0, c: gp, ldc: p)
                        for i in 0..<n { Kernels.axpy(outs, 1, wp + i * outs, gp + outs * p) }
                    }
                }
            }
            return g
        }
        func variance(_ adv: [Float], _ mean: [Float]) -> Double {
            var second = 0.0
            for i in 0..<n { second += Double(adv[i] * adv[i]) * deltaNorm[i] * xNorm[i] }
            let m2 = mean.reduce(0.0) { $0 + Double($1 * $1) }
            return max(0, second / Double(n) - m2)
        }
        let g = meanGradient(advantage)
        let v = Variances(first: variance(advantage, g), second: variance(alternative, meanGradient(alternative)))
        // Adam descends: feed −ḡ to ascend E[A log π].
        let mask = [Float](repeating: 1, count: theta.count)
        optimizer.update(&theta, gradient: g.map { -$0 }, mask: mask, state: &state)
        return v
    }
}
