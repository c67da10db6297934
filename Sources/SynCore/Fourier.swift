#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fourier analysis over the cyclic group Z_p: how a function on {0, …, p − 1} (one neuron's
/// input weights over the tokens of a modular-arithmetic task) splits into frequencies, in the
/// orthonormal real basis 1/√p, √(2/p) cos(2πkj/p), √(2/p) sin(2πkj/p), k = 1 … ⌊(p − 1)/2⌋
/// (plus the alternating vector 1/√p (−1)^j when p is even).
public enum Fourier {
    /// Power at frequencies k = 0 … ⌊p/2⌋: P_0 = c_0², P_k = c_k² + s_k² (the squared amplitude
    /// A_k² of He et al. 2026), with c_k, s_k the coefficients in the orthonormal basis. By
    /// Parseval the powers sum to ‖x‖².
    public static func power(_ x: [Float]) -> [Double] {
        let p = x.count
        precondition(p >= 1)
        var out = [Double](repeating: 0, count: p / 2 + 1)
        let w = 2 * Double.pi / Double(p)
        for k in 0...(p / 2) {
            var c = 0.0, s = 0.0
            for j in 0..<p {
                let a = w * Double((k * j) % p)
                c += Double(x[j]) * cos(a)
                s += Double(x[j]) * sin(a)
            }
            // Frequency 0 and (p even) p/2 have a single real basis vector of norm √p; the others
            // a cosine and a sine of norm √(p/2).
            let single = k == 0 || 2 * k == p
            out[k] = (c * c + s * s) / Double(p) * (single ? 1 : 2)
        }
        return out
    }

    /// Inverse participation ratio of the amplitudes A_k = √P_k over the nonconstant
    /// frequencies k = 1 … K: Σ A_k⁴ / (Σ A_k²)²; 1 for a single frequency, 1/K for a flat
    /// spectrum, NaN when all nonconstant power is 0.
    public static func ipr(_ power: [Double]) -> Double {
        let ks = power.dropFirst()
        let s = ks.reduce(0, +)
        guard s > 0 else { return .nan }
        return ks.reduce(0) { $0 + $1 * $1 } / (s * s)
    }

    /// The nonconstant frequency (1 … ⌊p/2⌋) with the most power (1 when p < 2 or all are 0).
    public static func dominantFrequency(_ power: [Double]) -> Int {
        var best = 1
        for k in 1..<power.count where power[k] > power[best] { best = k }
        return min(best, max(1, power.count - 1))
    }
}
