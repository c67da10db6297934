#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ternary quantisers of HESTIA (Wang et al. 2026, arXiv 2601.20745; authors'
/// `thermo_quantizer.py`) on a normalised weight z = w · s, s = 1 / mean|w| of its tensor,
/// codebook c ∈ {−1, 0, +1}:
///
///     soft (T > 0):  q_T(z) = Σ_c c softmax_c(−(z − c)² / T) = sinh(2z/T) / (cosh(2z/T) + ½ e^{1/T})
///     hard (T = 0):  q_0(z) = clamp(round(z), −1, 1), backward by straight-through (slope 1)
///
/// The soft slope is exact: dq_T/dz = (2/T) Var_p(c) = (2/T)(p₋ + p₊ − q_T²) with p the softmax.
public enum TernaryQuantiser {
    /// Below this temperature the soft quantiser is the hard one (e^{−(z−c)²/T} underflows).
    public static let hardBelow: Float = 1e-4

    /// The hard ternary state clamp(round(z), −1, 1) as −1, 0 or +1.
    @inlinable public static func state(_ z: Float) -> Int8 {
        z >= 0.5 ? 1 : (z <= -0.5 ? -1 : 0)
    }

    /// q_T(z) and dq_T/dz; at T < `hardBelow` the hard quantiser with the straight-through slope 1.
    @inlinable public static func soft(_ z: Float, temperature t: Float) -> (value: Float, slope: Float) {
        guard t >= hardBelow else { return (Float(state(z)), 1) }
        // Logits −(z − c)²/T relative to the largest, so the exponentials never overflow.
        let lm = -(z + 1) * (z + 1) / t, l0 = -z * z / t, lp = -(z - 1) * (z - 1) / t
        let m = max(lm, l0, lp)
        let em = expf(lm - m), e0 = expf(l0 - m), ep = expf(lp - m)
        let inv = 1 / (em + e0 + ep)
        let pm = em * inv, pp = ep * inv
        let q = pp - pm
        return (q, 2 / t * (pm + pp - q * q))
    }

    /// The closed form sinh(2z/T) / (cosh(2z/T) + ½ e^{1/T}) of q_T (Double; overflows for
    /// small T, where `soft` does not: used to check it).
    public static func closedForm(_ z: Double, temperature t: Double) -> Double {
        sinh(2 * z / t) / (cosh(2 * z / t) + 0.5 * exp(1 / t))
    }

    /// E_{z ~ N(0, σ²)}[(q_T(z) − z)²], the quantisation error at temperature T, by Simpson's
    /// rule on ±8σ (σ² = π/2 is the variance of w / mean|w| for Gaussian w).
    public static func meanSquaredError(temperature t: Double, variance: Double = Double.pi / 2, points: Int = 800) -> Double {
        let sd = variance.squareRoot(), a = -8 * sd, h = 16 * sd / Double(points)
        var sum = 0.0
        for i in 0...points {
            let z = a + Double(i) * h
            let e = Double(soft(Float(z), temperature: Float(t)).value) - z
            let w = i == 0 || i == points ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0)
            sum += w * e * e * exp(-z * z / (2 * variance))
        }
        return sum * h / 3 / (2 * Double.pi * variance).squareRoot()
    }

    /// T₀ = argmin_{T ∈ [0.1, 2]} E_{z ~ N(0, π/2)}[(q_T(z) − z)²] (about 0.35): a grid of step
    /// 0.01, then golden-section search in the bracket around the best grid point.
    public static func optimalTemperature(in range: ClosedRange<Double> = 0.1...2) -> Double {
        let n = Int(((range.upperBound - range.lowerBound) / 0.01).rounded())
        var best = range.lowerBound, bestErr = Double.infinity
        for i in 0...n {
            let t = range.lowerBound + Double(i) * (range.upperBound - range.lowerBound) / Double(n)
            let e = meanSquaredError(temperature: t)
            if e < bestErr { best = t; bestErr = e }
        }
        var lo = max(range.lowerBound, best - 0.01), hi = min(range.upperBound, best + 0.01)
        let g = (5.0.squareRoot() - 1) / 2
        for _ in 0..<40 {
            let a = hi - g * (hi - lo), b = lo + g * (hi - lo)
            if meanSquaredError(temperature: a) < meanSquaredError(temperature: b) { hi = b } else { lo = a }
        }
        return (lo + hi) / 2
    }

    /// T₀ computed once.
    public static let defaultT0 = optimalTemperature()
}
