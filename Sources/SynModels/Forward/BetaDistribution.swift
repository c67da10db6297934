import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Beta distribution of the noise-mask policy (science page 39): sampling, the score
/// ∂ log Beta(m; α, β) / ∂(α, β) and the digamma function ψ it needs.
public enum BetaDistribution {
    /// ψ(x) = d ln Γ(x) / dx for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then
    /// the asymptotic series ln x − 1/(2x) − 1/(12x²) + 1/(120x⁴) − 1/(252x⁶) + 1/(240x⁸)
    /// (error below 1e-11).
    public static func digamma(_ x: Double) -> Double {
        var x = x, r = 0.0
        while x < 10 { r -= 1 / x; x += 1 }
        let i2 = 1 / (x * x)
        return r + log(x) - 0.5 / x - i2 * (1.0 / 12 - i2 * (1.0 / 120 - i2 * (1.0 / 252 - i2 / 240)))
    }

    /// A Gamma(a, 1) sample for a ≥ 1 (Marsaglia & Tsang 2000).
    public static func gamma(_ a: Double, rng: inout RNG) -> Double {
        let d = a - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let x = Double(rng.normal())
            let v0 = 1 + c * x
            guard v0 > 0 else { continue }
            let v = v0 * v0 * v0
            let u = rng.uniformDouble()
            if u > 0, log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    /// A Beta(α, β) sample for α, β ≥ 1, as X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β), kept
    /// inside [1e-6, 1 − 1e-6] so its logarithms stay finite.
    public static func sample(_ alpha: Double, _ beta: Double, rng: inout RNG) -> Double {
        let x = gamma(alpha, rng: &rng), y = gamma(beta, rng: &rng)
        return min(max(x / (x + y), 1e-6), 1 - 1e-6)
    }

    /// The score of one sample: (∂/∂α, ∂/∂β) log Beta(m; α, β) =
    /// (ln m − ψ(α) + ψ(α + β), ln(1 − m) − ψ(β) + ψ(α + β)).
    public static func score(_ m: Double, _ alpha: Double, _ beta: Double) -> (Double, Double) {
        let s = digamma(alpha + beta)
        return (log(m) - digamma(alpha) + s, log(1 - m) - digamma(beta) + s)
    }
}
