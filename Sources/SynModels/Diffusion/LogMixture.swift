#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The variance schedule of a geometric Brownian motion noising process (Dale meets Langevin,
/// Shetty et al. 2025): β(t) = β0 + (β1 − β0) t on t ∈ [0, 1], B(t) = ∫_0^t β(u) du.
/// In y = log x the forward process is dY = −β/2 dt + √β dW (μ = 0), so y_t = y_0 − B/2 + √B ε.
public struct LinearBetaSchedule: Sendable, Equatable {
    public var beta0: Double
    public var beta1: Double
    public init(beta0: Double = 0.1, beta1: Double = 20) {
        self.beta0 = beta0
        self.beta1 = beta1
    }
    /// β(t), per unit diffusion time.
    public func beta(_ t: Double) -> Double { beta0 + (beta1 - beta0) * t }
    /// B(t) = β0 t + (β1 − β0) t² / 2.
    public func integral(_ t: Double) -> Double { beta0 * t + 0.5 * (beta1 - beta0) * t * t }
}

/// A Gaussian mixture in y = log x (a log-normal mixture in x): the sampler's target p_0 and,
/// because the forward process is Gaussian in y, its exact marginals
/// p_t(y) = Σ_k π_k N(y; m_k − B/2, s_k² + B) with B = B(t).
public struct LogNormalMixture: Sendable, Equatable {
    public let weights: [Double]
    public let means: [Double]
    public let sds: [Double]
    /// log π_k − log s_k per component (the samplers' inner loops avoid the logarithms).
    let logScale: [Double]

    public init(weights: [Double], means: [Double], sds: [Double]) {
        let total = weights.reduce(0, +)
        self.weights = weights.map { total > 0 ? $0 / total : 1 / Double(max(1, weights.count)) }
        self.means = means
        self.sds = sds
        logScale = zip(self.weights, sds).map { log($0) - log($1) }
    }

    /// The page-20 target: log x ~ 0.4 N(−1, 0.3²) + 0.6 N(1.5, 0.4²).
    public static let daleLangevinTarget = LogNormalMixture(weights: [0.4, 0.6], means: [-1, 1.5], sds: [0.3, 0.4])

    /// The marginal p_t of the forward process at integrated variance `b` = B(t).
    public func marginal(b: Double) -> LogNormalMixture {
        LogNormalMixture(weights: weights, means: means.map { $0 - b / 2 }, sds: sds.map { ($0 * $0 + b).squareRoot() })
    }

    /// Posterior weights ω_k(y) ∝ π_k N(y; m_k, s_k²), computed in log space.
    @inline(__always)
    func responsibilities(_ y: Double, into w: inout (Double, Double, Double, Double)) -> Int {
        // Up to 4 components held inline (no allocation in the samplers' inner loops).
        var l: (Double, Double, Double, Double) = (-.infinity, -.infinity, -.infinity, -.infinity)
        let n = min(4, weights.count)
        var top = -Double.infinity
        for k in 0..<n {
            let z = (y - means[k]) / sds[k]
            let v = logScale[k] - 0.5 * z * z
            switch k { case 0: l.0 = v; case 1: l.1 = v; case 2: l.2 = v; default: l.3 = v }
            top = max(top, v)
        }
        let e0 = n > 0 ? exp(l.0 - top) : 0, e1 = n > 1 ? exp(l.1 - top) : 0
        let e2 = n > 2 ? exp(l.2 - top) : 0, e3 = n > 3 ? exp(l.3 - top) : 0
        let s = e0 + e1 + e2 + e3
        w = (e0 / s, e1 / s, e2 / s, e3 / s)
        return n
    }

    @inline(__always)
    static func component(_ w: (Double, Double, Double, Double), _ k: Int) -> Double {
        switch k { case 0: w.0; case 1: w.1; case 2: w.2; default: w.3 }
    }

    /// The score ∂_y log p(y) = −Σ_k ω_k (y − m_k) / s_k².
    public func score(_ y: Double) -> Double {
        var w = (0.0, 0.0, 0.0, 0.0)
        let n = responsibilities(y, into: &w)
        var s = 0.0
        for k in 0..<n { s -= Self.component(w, k) * (y - means[k]) / (sds[k] * sds[k]) }
        return s
    }

    /// The density p(y).
    public func density(_ y: Double) -> Double {
        var p = 0.0
        for k in weights.indices {
            let z = (y - means[k]) / sds[k]
            p += weights[k] * exp(-0.5 * z * z) / (sds[k] * (2 * Double.pi).squareRoot())
        }
        return p
    }

    /// The distribution function P(Y ≤ y).
    public func cdf(_ y: Double) -> Double {
        var f = 0.0
        for k in weights.indices { f += weights[k] * Self.normalCDF((y - means[k]) / sds[k]) }
        return f
    }

    /// Φ(z) of the standard normal.
    public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// E[y_0 | y_t = y] when this mixture is p_0 and y_t = y_0 − b/2 + √b ε (Tweedie, exact for
    /// a Gaussian mixture): Σ_k ω_k [m_k + s_k²/(s_k² + b) (y + b/2 − m_k)], ω_k ∝ π_k N(y; m_k − b/2, s_k² + b).
    public func posteriorMean(of y: Double, b: Double) -> Double {
        posteriorMean(of: y, b: b, marginal: marginal(b: b))
    }

    /// `posteriorMean(of:b:)` with the marginal at b precomputed (`pt = marginal(b: b)`).
    public func posteriorMean(of y: Double, b: Double, marginal pt: LogNormalMixture) -> Double {
        var w = (0.0, 0.0, 0.0, 0.0)
        let n = pt.responsibilities(y, into: &w)
        var m = 0.0
        for k in 0..<n {
            let s2 = sds[k] * sds[k]
            m += Self.component(w, k) * (means[k] + s2 / (s2 + b) * (y + b / 2 - means[k]))
        }
        return m
    }

    /// Mean and variance of the whole mixture (the moment-matched Gaussian prior at t = 1).
    public var moments: (mean: Double, variance: Double) {
        var m = 0.0
        for k in weights.indices { m += weights[k] * means[k] }
        var v = 0.0
        for k in weights.indices { v += weights[k] * (sds[k] * sds[k] + (means[k] - m) * (means[k] - m)) }
        return (m, v)
    }

    /// The point between the two lowest-mean components where their weighted densities are
    /// equal (the boundary of the "upper mode"); the mean for a single component.
    public var modeBoundary: Double {
        guard weights.count >= 2 else { return means.first ?? 0 }
        let order = means.indices.sorted { means[$0] < means[$1] }
        let a = order[order.count - 2], c = order[order.count - 1]
        func g(_ y: Double) -> Double {
            let za = (y - means[a]) / sds[a], zc = (y - means[c]) / sds[c]
            return (log(weights[a]) - log(sds[a]) - 0.5 * za * za) - (log(weights[c]) - log(sds[c]) - 0.5 * zc * zc)
        }
        var lo = means[a], hi = means[c]
        for _ in 0..<100 {
            let mid = 0.5 * (lo + hi)
            if g(mid) > 0 { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    /// P(Y > y).
    public func upperMass(above y: Double) -> Double { 1 - cdf(y) }

    /// The α-tilted mixture p(y) e^{y/α} / Z (the SVDD target for the reward r = y): component k
    /// becomes N(m_k + s_k²/α, s_k²) with weight ∝ π_k exp(m_k/α + s_k²/(2α²)).
    public func tiltedLinear(alpha: Double) -> LogNormalMixture {
        var logW: [Double] = []
        for k in weights.indices {
            logW.append(log(weights[k]) + means[k] / alpha + sds[k] * sds[k] / (2 * alpha * alpha))
        }
        let top = logW.max() ?? 0
        return LogNormalMixture(weights: logW.map { exp($0 - top) },
                                means: means.indices.map { means[$0] + sds[$0] * sds[$0] / alpha }, sds: sds)
    }

    /// Kolmogorov–Smirnov distance sup_y |F_n(y) − F(y)| of `sorted` samples (ascending; −∞
    /// allowed) to the distribution function `cdf`.
    public static func ksDistance(sorted: [Double], cdf: (Double) -> Double) -> Double {
        let n = Double(sorted.count)
        guard n > 0 else { return .nan }
        var d = 0.0
        for (i, y) in sorted.enumerated() {
            let f = y == -.infinity ? 0 : cdf(y)
            d = max(d, abs(Double(i + 1) / n - f), abs(f - Double(i) / n))
        }
        return d
    }
}
