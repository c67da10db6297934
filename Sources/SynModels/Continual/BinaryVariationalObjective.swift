#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// The mean-field objective of continual learning with binary weights (Li, Huang, Zou & Huang,
/// PRE 2023, arXiv 2212.02846; science page 9, equations reconstructed there). Weights
/// w_i ∈ {±1} are drawn from q_θ(w) = Π_i e^{θ_i w_i} / (2 cosh θ_i), magnetisation m_i = tanh θ_i.
/// For input x the pre-activation under q is Gaussian with μ = Σ m_i x_i / √N and
/// s² = Σ (1 − m_i²) x_i² / N, so P(y | x) = Φ(y μ / s). Task t minimises
///
///     L_t(θ) / P = −(1/B) Σ_batch log Φ(y μ / s) + (λ / P) KL(q_θ ‖ q_θ'),
///     KL = Σ_i [m_i (θ_i − θ'_i) − log cosh θ_i + log cosh θ'_i]
///
/// (θ' the fields after the previous task, P = α N examples, B the batch): the minibatch
/// estimate of the per-example data term keeps the KL's weight relative to a whole task.
public enum BinaryVariational {
    /// Generalisation error of a binary perceptron whose normalised overlap with the teacher is R
    /// (Gaussian inputs): ε = arccos(R) / π (0 at R = 1, 1/2 at R = 0).
    public static func generalizationError(overlap r: Double) -> Double {
        acos(min(1, max(-1, r))) / Double.pi
    }

    /// R = sign(m) · w* / N: the overlap of the clipped student (sign(θ_i), 0 for θ_i = 0) with a
    /// ±1 teacher.
    public static func overlap(_ theta: [Float], teacher: [Float]) -> Double {
        var s = 0.0
        for i in theta.indices where theta[i] != 0 { s += theta[i] > 0 ? Double(teacher[i]) : -Double(teacher[i]) }
        return s / Double(max(1, theta.count))
    }

    /// log cosh θ without overflow: |θ| + log(1 + e^{−2|θ|}) − log 2.
    public static func logCosh(_ theta: Double) -> Double {
        let a = abs(theta)
        return a + log1p(exp(-2 * a)) - log(2.0)
    }

    /// KL(q_θ ‖ q_θ') of the factorised ±1 distributions, in nats.
    public static func kl(_ theta: [Float], prior: [Float]) -> Double {
        var s = 0.0
        for i in theta.indices {
            let t = Double(theta[i]), p = Double(prior[i])
            s += tanh(t) * (t - p) - logCosh(t) + logCosh(p)
        }
        return s
    }

    /// The small-change form KL ≈ Σ_i (m_i − m'_i)² / (2 (1 − m'_i²)): each weight is anchored in
    /// proportion to its previous confidence (the metaplasticity link).
    public static func klQuadratic(_ theta: [Float], prior: [Float]) -> Double {
        var s = 0.0
        for i in theta.indices {
            let m = tanh(Double(theta[i])), mp = tanh(Double(prior[i]))
            s += (m - mp) * (m - mp) / (2 * sech2(Double(prior[i])))
        }
        return s
    }

    /// 1 − tanh² θ = sech² θ, computed without cancellation (0 only when cosh² overflows).
    @inline(__always) static func sech2(_ t: Double) -> Double {
        let c = cosh(t)
        return 1 / (c * c)
    }

    /// −log Φ(u) and its derivative −φ(u)/Φ(u), stable for very negative u (asymptotic
    /// expansion of the inverse Mills ratio below u = −30, where erfc underflows).
    public static func negLogPhi(_ u: Double) -> (value: Double, slope: Double) {
        if u < -30 {
            // Φ(u) ≈ φ(u)/|u| (1 − 1/u²): −log Φ ≈ u²/2 + log(|u| √(2π)) − log(1 − 1/u²), φ/Φ ≈ −u − 1/u.
            let v = u * u / 2 + log(-u * (2 * Double.pi).squareRoot()) - log1p(-1 / (u * u))
            return (v, u + 1 / u)
        }
        let phi = 0.5 * erfc(-u / 2.0.squareRoot())
        let density = exp(-u * u / 2) / (2 * Double.pi).squareRoot()
        return (-log(phi), -density / phi)
    }

    /// Floor on s² so a fully saturated student (every 1 − m_i² = 0 in Float) keeps a finite
    /// margin; it never binds while any field is below |θ| ≈ 8.
    static let varianceFloor: Float = 1e-6

    /// The objective L_t/P on the rows `batch` of `x` (labels `y`, ±1) and its gradient with
    /// respect to θ, written into `gradient` (resized to N). `x` rows are inputs of length N;
    /// `examples` is P, the size of the whole task, which sets the KL's weight λ / P.
    ///
    /// ∂(−log Φ(u))/∂m_i = −(φ/Φ)(u) · (y/s) [x_i/√N + μ m_i x_i² / (N s²)],  u = y μ / s;
    /// ∂KL/∂θ_i = (1 − m_i²)(θ_i − θ'_i);  ∂m_i/∂θ_i = 1 − m_i².
    public static func objective(theta: [Float], prior: [Float], lambda: Double, examples: Int,
                                 x: Matrix, y: [Float], batch: [Int], gradient: inout [Float]) -> Double {
        let n = theta.count
        precondition(x.cols == n && prior.count == n && !batch.isEmpty)
        if gradient.count != n { gradient = [Float](repeating: 0, count: n) }
        var m = [Float](repeating: 0, count: n), v = m, gm = m
        for i in 0..<n {
            m[i] = tanhf(theta[i])
            v[i] = Float(sech2(Double(theta[i])))
        }
        let rootN = Float(n).squareRoot(), invN = 1 / Float(n)
        var data = 0.0
        x.storage.withUnsafeBufferPointer { xs in
            for r in batch {
                let row = r * n
                var mu: Float = 0, s2: Float = 0
                for i in 0..<n {
                    let xi = xs[row + i]
                    mu += m[i] * xi
                    s2 += v[i] * xi * xi
                }
                mu /= rootN
                s2 = max(s2 * invN, varianceFloor)
                let s = s2.squareRoot(), label = y[r]
                let (value, slope) = negLogPhi(Double(label * mu / s))
                data += value
                let a = Float(slope) * label / s
                let c = mu * invN / s2
                for i in 0..<n {
                    let xi = xs[row + i]
                    gm[i] += a * (xi / rootN + c * m[i] * xi * xi)
                }
            }
        }
        let invB = 1 / Float(batch.count), kw = Float(lambda / Double(examples))
        for i in 0..<n { gradient[i] = v[i] * (gm[i] * invB + kw * (theta[i] - prior[i])) }
        let klTerm = lambda == 0 ? 0 : lambda / Double(examples) * kl(theta, prior: prior)
        return data / Double(batch.count) + klTerm
    }

    /// Spearman rank correlation of two equal-length series (average ranks for ties); NaN when
    /// either is constant or shorter than 2.
    public static func rankCorrelation(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, a.count > 1 else { return .nan }
        return MemoryCapacity.correlation(ranks(a), ranks(b))
    }

    /// 1-based ranks, ties sharing their average rank.
    static func ranks(_ a: [Double]) -> [Double] {
        let order = a.indices.sorted { a[$0] < a[$1] }
        var r = [Double](repeating: 0, count: a.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && a[order[j + 1]] == a[order[i]] { j += 1 }
            let avg = Double(i + j) / 2 + 1
            for k in i...j { r[order[k]] = avg }
            i = j + 1
        }
        return r
    }
}
