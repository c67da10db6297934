#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The soft ternary quantiser of HESTIA (Wang et al. 2026, arXiv 2601.20745; authors' code
/// `thermo_quantizer.py`, science page 41): a weight tensor w is normalised by its scale
/// s = 1 / mean|w|, z = w s, and mapped to the codebook {−1, 0, +1} by a softmax at temperature T,
///
///     q_T(z) = Σ_c c softmax_c(−(z − c)² / T) = sinh(2z/T) / (cosh(2z/T) + ½ e^{1/T}),
///     q'_T(z) = (2/T) (p₊ + p₋ − q_T(z)²)   (2/T times the codebook variance under the softmax),
///
/// and w_q = q_T(z) / s; at T = 0 the hard quantiser clamp(round(z), −1, 1) / s with the
/// straight-through estimator (derivative 1). The schedule holds T₀ for the first 20 % of
/// quantisation-aware training, then anneals it to 0 by a cosine; the pressure π ramps the
/// effective weight w_eff = (1 − π) w + π w_q in over the same 20 %.
public enum SoftTernary {
    /// q_T(z) and q'_T(z), computed as a softmax with the largest logit subtracted (stable for
    /// any T > 0); T = 0 gives the hard quantiser and derivative 1 (straight-through).
    public static func quantise(_ z: Double, temperature t: Double) -> (q: Double, slope: Double) {
        guard t > 0 else { return (hard(z), 1) }
        let lm = -(z + 1) * (z + 1) / t, l0 = -z * z / t, lp = -(z - 1) * (z - 1) / t
        let m = max(lm, l0, lp)
        let em = exp(lm - m), e0 = exp(l0 - m), ep = exp(lp - m)
        let sum = em + e0 + ep
        let pm = em / sum, pp = ep / sum
        let q = pp - pm
        return (q, 2 / t * (pp + pm - q * q))
    }

    /// clamp(round(z), −1, 1): the ternary state of a normalised weight.
    public static func hard(_ z: Double) -> Double { min(1, max(-1, z.rounded())) }

    /// The ternary state of w at scale s as an integer −1, 0, +1.
    @inlinable public static func state(_ w: Float, scale s: Float) -> Int8 {
        let z = (w * s).rounded()
        return z > 0 ? 1 : z < 0 ? -1 : 0
    }

    /// Scale s = 1 / mean|w| of a tensor (1 for an all-zero tensor).
    public static func scale(_ w: ArraySlice<Float>) -> Float {
        var a = 0.0
        for x in w { a += Double(abs(x)) }
        return a > 0 ? Float(Double(w.count) / a) : 1
    }

    /// T(r) = T₀ for r ≤ 0.2, then T₀ ½ (1 + cos(π (r − 0.2) / 0.8)), 0 from r = 1 on.
    public static func temperature(_ r: Double, t0: Double) -> Double {
        if r <= 0.2 { return t0 }
        if r >= 1 { return 0 }
        return t0 * 0.5 * (1 + cos(Double.pi * (r - 0.2) / 0.8))
    }

    /// π(r) = min(1, r / 0.2).
    public static func pressure(_ r: Double) -> Double { min(1, max(0, r) / 0.2) }

    /// E[(q_T(z) − z)²] for z ~ N(0, π/2) (the law of w / mean|w| for Gaussian w), by the
    /// trapezoid rule on ±6 standard deviations.
    public static func gaussianError(temperature t: Double, points: Int = 2001) -> Double {
        let sd = (Double.pi / 2).squareRoot(), lo = -6 * sd, h = 12 * sd / Double(points - 1)
        var s = 0.0
        for k in 0..<points {
            let z = lo + Double(k) * h
            let e = quantise(z, temperature: t).q - z
            let w = (k == 0 || k == points - 1) ? 0.5 : 1
            s += w * e * e * exp(-z * z / (2 * sd * sd))
        }
        return s * h / (sd * (2 * Double.pi).squareRoot())
    }

    /// `optimalT0()`, computed once per process.
    public static let gaussianOptimalT0 = optimalT0()

    /// T₀ = argmin over [0.1, 2] of `gaussianError` (authors' `opt_temp_initializer.py`): a grid
    /// of step 0.01, then golden-section refinement around the best grid point.
    public static func optimalT0() -> Double {
        var best = 0.1, bestE = Double.infinity
        for k in 0...190 {
            let t = 0.1 + 0.01 * Double(k)
            let e = gaussianError(temperature: t, points: 401)
            if e < bestE { bestE = e; best = t }
        }
        var a = max(0.1, best - 0.01), b = min(2, best + 0.01)
        let g = (5.0.squareRoot() - 1) / 2
        for _ in 0..<30 {
            let c = b - g * (b - a), d = a + g * (b - a)
            if gaussianError(temperature: c) < gaussianError(temperature: d) { b = d } else { a = c }
        }
        return (a + b) / 2
    }

    /// Hessian guidance: per-tensor temperature scales τ_i = exp(−α σ(κ ζ_i)), ζ_i the z-score
    /// over tensors of log max(χ_i, 1e-8) (population std, +1e-8), χ_i the Hessian traces.
    public static func temperatureScales(traces: [Double], alpha: Double, kappa: Double = 1) -> [Double] {
        guard !traces.isEmpty else { return [] }
        let logs = traces.map { log(max($0.isFinite ? $0 : 1e-8, 1e-8)) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let sd = (logs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(logs.count)).squareRoot()
        return logs.map { l in
            let zeta = (l - mean) / (sd + 1e-8)
            return exp(-alpha / (1 + exp(-kappa * zeta)))
        }
    }
}
